import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import services
from accounts.exceptions import (
    DetailsLockedError,
    IllegalTransitionError,
    ReasonRequiredError,
    VerificationIncompleteError,
)
from accounts.models import CompanyDocument, CompanyProfile, CompanyVerificationEvent
from notifications.models import Notification
from tests.factories import (
    CompanyClientFactory,
    CompanyDocumentFactory,
    ExpertFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return CompanyClientFactory()


@pytest.fixture
def company(owner):
    return owner.company_profile


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def pending(company, owner):
    CompanyDocumentFactory(company=company)
    return services.submit_company_for_verification(company=company, by=owner)


def _state(company):
    company.refresh_from_db()
    return (
        company.verification_status,
        company.rejection_reason,
        company.verified_at,
        CompanyVerificationEvent.objects.filter(company=company).count(),
    )


def test_submit_moves_unverified_company_to_pending_with_history(company, owner):
    CompanyDocumentFactory(company=company)
    company = services.submit_company_for_verification(company=company, by=owner)
    assert company.verification_status == "pending"
    assert company.submitted_at is not None
    event = CompanyVerificationEvent.objects.get(company=company)
    assert (event.from_status, event.to_status, event.by) == ("unverified", "pending", owner)


def test_submit_without_documents_is_refused(company, owner):
    before = _state(company)
    with pytest.raises(VerificationIncompleteError, match="registration document"):
        services.submit_company_for_verification(company=company, by=owner)
    assert _state(company) == before


def test_submit_without_registration_number_is_refused(company, owner):
    CompanyProfile.objects.filter(pk=company.pk).update(registration_number="")
    CompanyDocumentFactory(company=company)
    with pytest.raises(VerificationIncompleteError, match="registration number"):
        services.submit_company_for_verification(company=company, by=owner)
    assert _state(company)[0] == "unverified"


def test_submit_twice_is_refused(pending, owner):
    before = _state(pending)
    with pytest.raises(IllegalTransitionError):
        services.submit_company_for_verification(company=pending, by=owner)
    assert _state(pending) == before


def test_submit_by_someone_else_is_refused(company):
    CompanyDocumentFactory(company=company)
    with pytest.raises(PermissionDenied):
        services.submit_company_for_verification(company=company, by=ExpertFactory())
    assert _state(company)[0] == "unverified"


def test_verify_pending_company_notifies_owner(
    pending, staff, owner, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        company = services.verify_company(company=pending, by=staff)
    assert company.verification_status == "verified"
    assert company.verified_by == staff
    assert company.verified_at is not None
    notification = Notification.objects.get(user=owner)
    assert notification.kind == "accounts.company_verified"
    assert len(mailoutbox) == 1


def test_verify_twice_is_refused(pending, staff):
    services.verify_company(company=pending, by=staff)
    before = _state(pending)
    with pytest.raises(IllegalTransitionError):
        services.verify_company(company=pending, by=staff)
    assert _state(pending) == before
    assert Notification.objects.count() == 1


def test_verify_unsubmitted_company_is_refused(company, staff):
    before = _state(company)
    with pytest.raises(IllegalTransitionError):
        services.verify_company(company=company, by=staff)
    assert _state(company) == before


def test_non_staff_cannot_verify(pending, owner):
    before = _state(pending)
    with pytest.raises(PermissionDenied):
        services.verify_company(company=pending, by=owner)
    assert _state(pending) == before


def test_reject_requires_a_reason(pending, staff):
    before = _state(pending)
    with pytest.raises(ReasonRequiredError):
        services.reject_company(company=pending, by=staff, reason="   ")
    assert _state(pending) == before


def test_reject_stores_reason_notifies_and_allows_resubmission(pending, staff, owner):
    services.reject_company(company=pending, by=staff, reason="The extract is older than 3 months.")
    pending.refresh_from_db()
    assert pending.verification_status == "rejected"
    assert pending.rejection_reason == "The extract is older than 3 months."
    notification = Notification.objects.get(user=owner)
    assert notification.kind == "accounts.company_rejected"
    services.submit_company_for_verification(company=pending, by=owner)
    assert _state(pending)[0] == "pending"


def test_non_staff_cannot_reject(pending, owner):
    with pytest.raises(PermissionDenied):
        services.reject_company(company=pending, by=owner, reason="no")
    assert _state(pending)[0] == "pending"


def test_legal_name_is_locked_while_pending(pending, owner):
    with pytest.raises(DetailsLockedError):
        services.update_company_profile(
            company=pending, by=owner, changes={"legal_name": "Other GmbH"}
        )
    pending.refresh_from_db()
    assert pending.legal_name != "Other GmbH"


def test_company_edit_page_shows_status_and_rejection_reason(client, pending, staff, owner):
    services.reject_company(company=pending, by=staff, reason="Upload the VAT certificate.")
    client.force_login(owner)
    html = client.get(reverse("accounts:company_edit")).content.decode()
    assert "Verification rejected" in html
    assert "Upload the VAT certificate." in html
    assert "Submit for verification" in html


def test_submit_view_shows_missing_items_as_message(client, company, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:company_submit"), follow=True)
    assert "at least one registration document" in response.content.decode()
    assert _state(company)[0] == "unverified"


def test_document_upload_stores_private_file(client, company, owner):
    client.force_login(owner)
    upload = SimpleUploadedFile("extract.pdf", b"%PDF-1.4 register", "application/pdf")
    response = client.post(reverse("accounts:company_document_add"), {"document-file": upload})
    assert response.status_code == 302
    document = CompanyDocument.objects.get(company=company)
    assert document.original_name == "extract.pdf"
    assert document.size == len(b"%PDF-1.4 register")
    assert document.file.name.startswith(f"private/company-documents/{company.pk}/")


def test_document_over_size_limit_is_refused(client, company, owner, settings):
    settings.MAX_DOCUMENT_SIZE = 10
    client.force_login(owner)
    upload = SimpleUploadedFile("big.pdf", b"x" * 11, "application/pdf")
    response = client.post(reverse("accounts:company_document_add"), {"document-file": upload})
    assert response.status_code == 200
    assert "Documents can be at most 10 bytes" in response.content.decode()
    assert not CompanyDocument.objects.exists()


def test_empty_document_is_refused(client, company, owner):
    client.force_login(owner)
    upload = SimpleUploadedFile("empty.pdf", b"", "application/pdf")
    response = client.post(reverse("accounts:company_document_add"), {"document-file": upload})
    assert "empty" in response.content.decode()
    assert not CompanyDocument.objects.exists()


def test_documents_cannot_be_removed_while_pending(pending, owner):
    document = pending.documents.get()
    with pytest.raises(DetailsLockedError):
        services.remove_company_document(document=document, by=owner)
    assert CompanyDocument.objects.filter(pk=document.pk).exists()


@pytest.fixture
def document(company):
    return CompanyDocumentFactory(company=company)


def test_private_document_download_for_owner(client, document, owner):
    client.force_login(owner)
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 demo"


def test_private_document_download_for_staff(client, document, staff):
    client.force_login(staff)
    assert client.get(document.get_absolute_url()).status_code == 200


def test_private_document_is_404_for_other_users(client, document):
    client.force_login(ExpertFactory())
    assert client.get(document.get_absolute_url()).status_code == 404


def test_private_document_sends_anonymous_to_login(client, document):
    response = client.get(document.get_absolute_url())
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_private_document_is_not_served_as_public_media(client, document):
    assert client.get("/media/" + document.file.name).status_code == 404


def test_verified_company_form_keeps_legal_name_fixed(client, pending, staff, owner):
    services.verify_company(company=pending, by=staff)
    client.force_login(owner)
    html = client.get(reverse("accounts:company_edit")).content.decode()
    assert "Fixed while the company is reviewed or verified." in html
    german = client.get(reverse("accounts:company_edit"), HTTP_ACCEPT_LANGUAGE="de")
    assert "solange das Unternehmen geprüft wird oder verifiziert ist" in german.content.decode()
    response = client.post(
        reverse("accounts:company_edit"),
        {"legal_name": "Sneaky Rename GmbH", "industry": "Moulding", "country": "DE"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.legal_name != "Sneaky Rename GmbH"
    assert pending.industry == "Moulding"
    assert pending.verification_status == "verified"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("extract.pdf", b"<html><script>alert(1)</script></html>", "application/pdf"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
            "image/svg+xml",
        ),
        ("scan.png", b"<!DOCTYPE html><p>not a png</p>", "image/png"),
        ("scan.jpg", b"\xff\xd8\xff\xe0 truncated nonsense", "image/jpeg"),
    ],
    ids=["html-named-pdf", "svg", "html-named-png", "broken-jpeg"],
)
def test_document_that_is_neither_pdf_nor_image_by_content_is_refused(
    client, company, owner, name, content, content_type
):
    client.force_login(owner)
    upload = SimpleUploadedFile(name, content, content_type)
    response = client.post(reverse("accounts:company_document_add"), {"document-file": upload})
    assert response.status_code == 200
    assert "neither a PDF nor an image" in response.content.decode()
    assert not CompanyDocument.objects.exists()


def test_document_may_be_a_real_image(client, company, owner, png):
    client.force_login(owner)
    upload = SimpleUploadedFile("scan.png", png.read(), "image/png")
    response = client.post(reverse("accounts:company_document_add"), {"document-file": upload})
    assert response.status_code == 302
    assert CompanyDocument.objects.filter(company=company).exists()
