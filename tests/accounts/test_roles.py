import pytest
from django.urls import reverse

from accounts import services
from accounts.models import ClientProfile, ExpertProfile, User
from tests.factories import ClientFactory, ExpertFactory

pytestmark = pytest.mark.django_db


def test_switch_to_untaken_expert_role_turns_it_on_and_creates_profile():
    user = ClientFactory()
    user = services.switch_role(user=user, role="expert")
    user.refresh_from_db()
    assert (user.is_client, user.is_expert, user.active_role) == (True, True, "expert")
    assert ExpertProfile.objects.filter(user=user).exists()


def test_switch_back_to_client_keeps_both_roles():
    user = ExpertFactory()
    services.switch_role(user=user, role="client")
    services.switch_role(user=user, role="expert")
    services.switch_role(user=user, role="client")
    user.refresh_from_db()
    assert (user.is_client, user.is_expert, user.active_role) == (True, True, "client")
    assert ClientProfile.objects.filter(user=user).count() == 1
    assert ExpertProfile.objects.filter(user=user).count() == 1


def test_switch_role_view_requires_post_and_login(client):
    assert client.get(reverse("accounts:switch_role")).status_code in {302, 405}
    response = client.post(reverse("accounts:switch_role"), {"role": "expert"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_switch_role_view_sends_new_expert_to_profile_editor(client):
    user = ClientFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:switch_role"), {"role": "expert"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:expert_edit")
    user.refresh_from_db()
    assert user.active_role == "expert"


def test_switch_role_view_follows_safe_next_only(client):
    user = ExpertFactory(is_client=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:switch_role"), {"role": "client", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("dashboard")
    response = client.post(reverse("accounts:switch_role"), {"role": "expert", "next": "/profile/"})
    assert response["Location"] == "/profile/"


def test_switch_role_view_refuses_unknown_role_without_change(client):
    user = ClientFactory()
    client.force_login(user)
    client.post(reverse("accounts:switch_role"), {"role": "staff"})
    user.refresh_from_db()
    assert (user.is_client, user.is_expert, user.active_role) == (True, False, "client")


def test_profile_edit_routes_by_active_role(client):
    expert = ExpertFactory()
    client.force_login(expert)
    assert client.get(reverse("accounts:profile_edit"))["Location"] == reverse(
        "accounts:expert_edit"
    )
    hirer = ClientFactory()
    client.force_login(hirer)
    assert client.get(reverse("accounts:profile_edit"))["Location"] == reverse(
        "accounts:client_edit"
    )


def test_user_without_profile_gets_one_when_opening_the_editor(client):
    user = User.objects.create_user(
        "bare@example.com", "pw-long-enough-123", is_expert=True, active_role="expert"
    )
    client.force_login(user)
    assert client.get(reverse("accounts:expert_edit")).status_code == 200
    assert ExpertProfile.objects.filter(user=user).exists()


def test_client_profile_edit_saves_and_refuses_bad_country(client):
    user = ClientFactory()
    client.force_login(user)
    url = reverse("accounts:client_edit")
    assert client.get(url).status_code == 200
    data = {"display_name": "Berger Outdoor", "country": "ZZ", "city": "Vienna", "about": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert 'value="Berger Outdoor"' in response.content.decode()
    user.client_profile.refresh_from_db()
    assert user.client_profile.display_name == ""
    response = client.post(url, {**data, "country": "AT"})
    assert response.status_code == 302
    user.client_profile.refresh_from_db()
    assert (user.client_profile.display_name, user.client_profile.country) == (
        "Berger Outdoor",
        "AT",
    )


def test_client_about_and_display_name_refuse_contact_details(client):
    user = ClientFactory()
    client.force_login(user)
    data = {
        "display_name": "Berger Outdoor",
        "country": "AT",
        "city": "Vienna",
        "about": "Tents and packs. WhatsApp: +43 66O 1234567",
    }
    response = client.post(reverse("accounts:client_edit"), data)
    assert response.status_code == 200
    assert "Remove the contact details" in response.content.decode()
    user.client_profile.refresh_from_db()
    assert user.client_profile.about == ""
