"""A managed contract keeps both parties anonymous to each other: every page, notification,
email, file name, receipt and CSV the client can open shows the expert's alias, and every one
the expert can open shows "Client", never the other party's real name, email or company."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import CompanyProfile
from bids.services import managed
from escrow.models import Checkout, Purchase
from messaging.models import Conversation
from messaging.services import send_message
from notifications.models import Notification
from tests.bids.factories import award_and_confirm, make_standalone_project, place, plan
from tests.factories import ExpertFactory, QualificationFactory, StaffFactory, verified_company
from tests.reviews.factories import review
from tests.workspaces.factories import top_up
from workspaces import services as ws

pytestmark = pytest.mark.django_db

CLIENT_SECRETS = ("Olga Owner", "olga.owner", "Acme Plastics")
# Names, email local parts (which also catch the emails) and companies, however they are joined.
EXPERT_SECRETS = ("Lukas Brandt", "lukas-brandt", "lukas.brandt", "Brandt Engineering")


@pytest.fixture
def managed_contract(settings, django_capture_on_commit_callbacks):
    """A managed NDA contract walked end to end through the real services: bid, negotiation
    through staff, award, NDA, milestones paid and delivered, QC, chat, files, reviews."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        return _walk_a_managed_contract()


def _walk_a_managed_contract():
    client = verified_company(
        name="Olga Owner",
        email="olga.owner@acme-plastics.example",
        company_profile__legal_name="Acme Plastics GmbH",
    )
    expert = ExpertFactory(
        name="Lukas Brandt",
        email="lukas.brandt@brandt-engineering.example",
        account_type="company",
    )
    CompanyProfile.objects.create(
        user=expert,
        legal_name="Brandt Engineering GmbH",
        verification_status=CompanyProfile.Status.VERIFIED,
        verified_at="2026-01-01T00:00Z",
    )
    QualificationFactory(profile=expert.expert_profile, institution="Hochschule Aalen")
    staff = StaffFactory(name="Hana Hub")
    project = make_standalone_project(
        owner=client,
        title="Reduce warpage of a PA66 housing",
        managed=True,
        nda_required=True,
        public_summary="Mould-flow review of a housing.",
        budget_min=90_000,
    )
    bid = place(project, expert, amount=90_000, milestones=plan(40_000, 50_000))
    managed.request_negotiation(bid=bid, by=client, message="Could the first step be cheaper?")
    managed.relay_to_expert(bid=bid, by=staff, message="The client asks about step one.")
    revision = managed.revise_offer(
        bid=bid,
        by=staff,
        amount=85_000,
        days=20,
        milestones=plan(35_000, 50_000),
        note="Agreed with the expert.",
    )
    managed.accept_offer(revision=revision, by=client)
    contract = award_and_confirm(bid, ip="192.0.2.4")
    workspace = ws.open_workspace(contract=contract)
    send_message(
        conversation=workspace.conversation,
        by=client,
        body="Welcome aboard.",
        files=[SimpleUploadedFile("olga.owner-brief.pdf", b"%PDF-1.4 brief")],
    )
    send_message(conversation=workspace.conversation, by=expert, body="Thanks, starting now.")
    ws.upload_file(
        workspace=workspace,
        by=expert,
        upload=SimpleUploadedFile("lukas-brandt-notes.txt", b"notes"),
    )
    first, second = workspace.milestones.order_by("contract_milestone__position")
    ws.request_start(milestone=first, by=expert)
    top_up(client, 200_000)
    ws.start_milestone(milestone=first, by=client, source="balance")
    ws.deliver_milestone(
        milestone=first,
        by=expert,
        note="Report attached.",
        files=[SimpleUploadedFile("Report by Lukas Brandt.pdf", b"%PDF-1.4 report")],
    )
    ws.approve_delivery(milestone=first, by=staff)
    ws.complete_milestone(milestone=first, by=client)
    ws.request_start(milestone=second, by=expert)
    ws.start_milestone(milestone=second, by=client, source="balance")
    ws.deliver_milestone(milestone=second, by=expert, note="Final.", files=[])
    ws.approve_delivery(milestone=second, by=staff)
    ws.complete_milestone(milestone=second, by=client)
    review(contract, client, text="Clear report, on time.")
    review(contract, expert, text="Precise brief.")
    return contract


def _pages(contract, role: str) -> list[str]:
    project, bid = contract.project, contract.bid
    workspace = contract.workspace
    milestone = workspace.milestones.order_by("contract_milestone__position").first()
    delivery_file = milestone.deliveries.get().files.first()
    shared = workspace.files.filter(delivery__isnull=True).first()
    common = [
        reverse("dashboard"),
        project.get_absolute_url(),
        bid.get_absolute_url(),
        reverse("bids:contract", args=[contract.pk]),
        reverse("bids:contract_milestones", args=[contract.pk]),
        workspace.get_absolute_url(),
        reverse("workspaces:chat", args=[workspace.pk]),
        reverse("workspaces:index"),
        reverse("workspaces:file", args=[workspace.pk, delivery_file.pk]),
        reverse("workspaces:file", args=[workspace.pk, shared.pk]),
        reverse("reviews:contract", args=[contract.pk]),
        reverse("reviews:mine"),
        reverse("messaging:inbox"),
        reverse("notifications:list"),
        reverse("escrow:balance"),
        reverse("escrow:statement"),
        reverse("escrow:statement_csv"),
        reverse("escrow:receipts"),
    ]
    if role == "client":
        common += [
            reverse("bids:project_bids", args=[project.pk]),
            reverse("projects:mine"),
            reverse("workspaces:start", args=[workspace.pk, milestone.pk]),
            reverse("workspaces:terminate", args=[workspace.pk]),
        ]
        common += [
            reverse("escrow:receipt", args=[pk])
            for pk in Checkout.objects.filter(user=contract.client).values_list("pk", flat=True)
        ]
        common += [
            reverse("escrow:purchase_receipt", args=[pk])
            for pk in Purchase.objects.filter(user=contract.client).values_list("pk", flat=True)
        ]
    else:
        common += [reverse("bids:mine")]
    for conversation in Conversation.objects.filter(participants__user=_user(contract, role)):
        common.append(conversation.get_absolute_url())
    return common


def _user(contract, role):
    return contract.client if role == "client" else contract.expert


def _leaks(text: str, secrets: tuple[str, ...]) -> list[str]:
    return [secret for secret in secrets if re.search(re.escape(secret), text, re.IGNORECASE)]


@pytest.mark.parametrize("role", ["client", "expert"])
def test_no_page_or_notification_of_a_managed_contract_names_the_other_party(
    managed_contract, role
):
    contract = managed_contract
    viewer = _user(contract, role)
    secrets = EXPERT_SECRETS if role == "client" else CLIENT_SECRETS
    browser = Client()
    browser.force_login(viewer)
    found: list[str] = []
    for url in _pages(contract, role):
        response = browser.get(url, follow=True)
        assert response.status_code == 200, url
        headers = " ".join(f"{k}: {v}" for k, v in response.headers.items())
        body = b"".join(response).decode(errors="replace") if response.streaming else ""
        text = headers + body + (response.content.decode() if not response.streaming else "")
        found += [f"{url}: {leak}" for leak in _leaks(text, secrets)]
    for note in Notification.objects.filter(user=viewer):
        found += [
            f"notification {note.kind}: {leak}" for leak in _leaks(note.title + note.body, secrets)
        ]
    for message in mail.outbox:
        if viewer.email in message.to:
            content = message.subject + message.body
            content += "".join(str(part[0]) for part in getattr(message, "alternatives", []))
            found += [f"email {message.subject!r}: {leak}" for leak in _leaks(content, secrets)]
    assert Notification.objects.filter(user=viewer).exists()
    assert found == [], "\n".join(found)


def test_the_review_page_of_a_managed_contract_uses_the_alias(managed_contract):
    browser = Client()
    browser.force_login(managed_contract.client)
    page = browser.get(reverse("reviews:contract", args=[managed_contract.pk])).content.decode()
    assert "Lukas Brandt" not in page
    assert managed_contract.bid.alias in page
