import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts import services
from accounts.models import CompanyVerificationEvent
from tests.factories import CompanyClientFactory, CompanyDocumentFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture
def pending():
    owner = CompanyClientFactory()
    CompanyDocumentFactory(company=owner.company_profile)
    return services.submit_company_for_verification(company=owner.company_profile, by=owner)


CHANGELIST = "admin:accounts_companyprofile_changelist"


def test_admin_verify_action_calls_the_service(admin_client, pending):
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "verify_selected", ACTION_CHECKBOX_NAME: [pending.pk]}
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.verification_status == "verified"
    assert CompanyVerificationEvent.objects.filter(company=pending, to_status="verified").exists()


def test_admin_verify_action_reports_refusal_for_unsubmitted_company(admin_client):
    company = CompanyClientFactory().company_profile
    response = admin_client.post(
        reverse(CHANGELIST),
        {"action": "verify_selected", ACTION_CHECKBOX_NAME: [company.pk]},
        follow=True,
    )
    assert "cannot become verified" in response.content.decode()
    company.refresh_from_db()
    assert company.verification_status == "unverified"


def test_admin_reject_action_asks_for_a_reason_first(admin_client, pending):
    response = admin_client.post(
        reverse(CHANGELIST), {"action": "reject_selected", ACTION_CHECKBOX_NAME: [pending.pk]}
    )
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()
    pending.refresh_from_db()
    assert pending.verification_status == "pending"


def test_admin_reject_action_with_reason_calls_the_service(admin_client, pending):
    response = admin_client.post(
        reverse(CHANGELIST),
        {
            "action": "reject_selected",
            ACTION_CHECKBOX_NAME: [pending.pk],
            "reason": "The register extract is unreadable.",
        },
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.verification_status == "rejected"
    assert pending.rejection_reason == "The register extract is unreadable."


def test_company_change_page_links_documents_to_the_private_view(admin_client, pending):
    document = pending.documents.get()
    url = reverse("admin:accounts_companyprofile_change", args=[pending.pk])
    html = admin_client.get(url).content.decode()
    assert document.get_absolute_url() in html


@pytest.mark.parametrize(
    "model",
    [
        "user",
        "skillcategory",
        "skill",
        "language",
        "expertprofile",
        "expertskill",
        "expertlanguage",
        "qualification",
        "experience",
        "portfolioitem",
        "clientprofile",
        "companyprofile",
        "companydocument",
        "companyverificationevent",
    ],
)
def test_every_accounts_model_has_a_working_admin_list(admin_client, pending, model):
    response = admin_client.get(reverse(f"admin:accounts_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200
