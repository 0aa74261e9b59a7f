import pytest
from django.urls import reverse

from accounts.models import ClientProfile, CompanyProfile, ExpertProfile, User

pytestmark = pytest.mark.django_db


def _signup(client, **fields):
    data = {
        "email": "new@example.com",
        "password1": "a-long-unusual-password-42",
        "password2": "a-long-unusual-password-42",
        "name": "Maria Schmidt",
        "role": "client",
        "account_type": "individual",
        "legal_name": "",
        **fields,
    }
    return client.post(reverse("account_signup"), data)


def test_signup_page_shows_role_and_account_type_choices(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hire experts" in html
    assert "Work as an expert" in html
    assert "A company" in html
    assert 'name="legal_name"' in html


def test_signup_as_individual_client_creates_client_profile(client):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert user.name == "Maria Schmidt"
    assert (user.is_client, user.is_expert, user.active_role) == (True, False, "client")
    assert user.account_type == "individual"
    assert ClientProfile.objects.filter(user=user).exists()
    assert not ExpertProfile.objects.filter(user=user).exists()
    assert not CompanyProfile.objects.filter(user=user).exists()


def test_signup_as_individual_expert_creates_expert_profile(client):
    _signup(client, role="expert")
    user = User.objects.get(email="new@example.com")
    assert (user.is_client, user.is_expert, user.active_role) == (False, True, "expert")
    assert ExpertProfile.objects.filter(user=user).exists()
    assert not ClientProfile.objects.filter(user=user).exists()


def test_signup_as_company_client_creates_company_with_legal_name(client):
    _signup(client, account_type="company", legal_name="Nordlicht Plastics GmbH")
    user = User.objects.get(email="new@example.com")
    assert user.account_type == "company"
    company = CompanyProfile.objects.get(user=user)
    assert company.legal_name == "Nordlicht Plastics GmbH"
    assert company.verification_status == "unverified"
    assert ClientProfile.objects.filter(user=user).exists()


def test_signup_as_company_expert_creates_expert_and_company_profiles(client):
    _signup(client, role="expert", account_type="company", legal_name="Brandt Tooling GmbH")
    user = User.objects.get(email="new@example.com")
    assert user.is_expert
    assert user.is_company
    assert ExpertProfile.objects.filter(user=user).exists()
    assert CompanyProfile.objects.get(user=user).legal_name == "Brandt Tooling GmbH"


def test_company_signup_without_legal_name_shows_error_beside_field_and_keeps_values(client):
    response = _signup(client, account_type="company", legal_name="  ")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the legal name of your company." in html
    assert 'value="Maria Schmidt"' in html
    assert 'value="new@example.com"' in html
    assert not User.objects.filter(email="new@example.com").exists()


def test_signup_refuses_unknown_role(client):
    response = _signup(client, role="admin")
    assert response.status_code == 200
    assert not User.objects.filter(email="new@example.com").exists()


def test_login_page_renders_with_reset_link(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert reverse("account_reset_password") in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["account_reset_password", "account_reset_password_done"],
)
def test_password_reset_pages_render(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_password_change_and_email_pages_render_for_signed_in_user(client):
    user = User.objects.create_user("p@example.com", "a-long-unusual-password-42")
    client.force_login(user)
    assert client.get(reverse("account_change_password")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_wrong_password_shows_error_and_keeps_email(client):
    User.objects.create_user("p@example.com", "a-long-unusual-password-42")
    response = client.post(
        reverse("account_login"), {"login": "p@example.com", "password": "wrong-password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not correct" in html
    assert 'value="p@example.com"' in html
