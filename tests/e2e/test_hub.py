"""A hub project in Chromium, from company sign-up to payment release: the company signs up and
cannot post a hub project until staff verify it; staff approve the post; an anonymous expert's
bid is awarded; the expert accepts the contract and the NDA (recorded with time, IP and text
version); the company pays upfront by card; the hub manager talks in the private channel and
verifies the delivery before the company sees it; the company approves and the payment is
released to the expert."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts import services as account_services
from accounts.models import CompanyProfile, User
from bids.models import Contract
from escrow.models import HeldFunds
from projects import services as project_services
from projects.models import Project
from tests.bids.factories import place
from tests.factories import ExpertFactory, SkillCategoryFactory, SkillFactory, StaffFactory
from tests.workspaces.factories import balance_of

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")
PASSWORD = "a-long-Passphrase-42"


@pytest.fixture(autouse=True)
def _e2e_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PROJECT_MODERATION = "all"
    settings.NDA_VERSION = "2026-11"


def _watch(page: Page) -> Page:
    page.errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: page.errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None,  # type: ignore[attr-defined]
    )
    return page


def _page_for(browser: Browser, live_server, user) -> Page:
    django_client = Client()
    django_client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": django_client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    return _watch(context.new_page())


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _verify(company: CompanyProfile, staff: User) -> None:
    """Registration details and documents, then staff approval (the accounts e2e test drives
    these pages; here they are the real services)."""
    company = account_services.update_company_profile(
        company=company,
        by=company.user,
        changes={"registration_number": "HRB 123456", "industry": "Injection moulding"},
    )
    account_services.add_company_document(
        company=company,
        by=company.user,
        upload=SimpleUploadedFile("register.pdf", b"%PDF-1.4 register extract"),
    )
    account_services.submit_company_for_verification(company=company, by=company.user)
    account_services.verify_company(company=company, by=staff)


def test_a_hub_project_from_company_sign_up_to_payment_release(
    live_server, browser: Browser, tmp_path
):
    base = live_server.url
    staff = StaffFactory(name="Hana Hub")
    expert = ExpertFactory(email="expert@example.com", name="Erik Expert")
    category = SkillCategoryFactory(name="Plastics engineering")

    owner = _watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    owner.goto(base + reverse("account_signup"))
    owner.get_by_label("Hire experts").check()
    owner.get_by_label("A company").check()
    owner.get_by_label("Full name").fill("Olga Owner")
    owner.get_by_label("Email").fill("olga@example.com")
    owner.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    owner.get_by_label("Password (again)").fill(PASSWORD)
    owner.get_by_label("Legal company name").fill("Acme Plastics GmbH")
    owner.get_by_role("button", name="Create account").click()
    expect(owner).to_have_url(base + reverse("dashboard"))
    company_user = User.objects.get(email="olga@example.com")

    draft = project_services.create_draft(
        by=company_user,
        values={
            "title": "Reduce warpage of a PA66 housing",
            "description": "Mould-flow review and gate change proposal; drawings attached.",
            "category": category,
            "skills": [SkillFactory(category=category)],
            "budget_type": "fixed",
            "budget_min": 90_000,
            "budget_max": 90_000,
            "deadline": timezone.localdate() + timedelta(days=30),
            "managed": True,
            "nda_required": True,
            "public_summary": "Mould-flow review of a PA66 housing.",
        },
    )
    owner.goto(base + draft.get_absolute_url())
    expect(owner.locator("#publish-blocked")).to_contain_text("must be verified")
    expect(owner.get_by_role("button", name="Publish")).to_have_count(0)
    draft.refresh_from_db()
    assert draft.status == Project.Status.DRAFT

    _verify(company_user.company_profile, staff)
    owner.goto(base + draft.get_absolute_url())
    owner.get_by_role("button", name="Publish").click()
    expect(owner.locator("#toasts")).to_contain_text("Submitted.")
    draft.refresh_from_db()
    assert draft.status == Project.Status.PENDING
    project = project_services.approve_project(project=draft, by=staff)

    bid = place(project, expert, amount=90_000, days=20)
    owner.goto(base + bid.get_absolute_url())
    expect(owner.locator("main")).to_contain_text(bid.alias)
    expect(owner.locator("main")).not_to_contain_text("Erik Expert")
    owner.get_by_role("button", name="Award").click()
    expect(owner.get_by_role("button", name="Withdraw award")).to_be_visible()

    worker = _page_for(browser, live_server, expert)
    worker.goto(base + bid.get_absolute_url())
    worker.get_by_role("link", name="Review and confirm").click()
    expect(worker.get_by_label("I accept the non-disclosure agreement")).to_have_attribute(
        "required", ""
    )
    worker.get_by_label("I accept the contract").check()
    worker.get_by_label("I accept the non-disclosure agreement").check()
    _shot(worker, "hub-1-nda")
    worker.get_by_role("button", name="Confirm").click()
    expect(worker.get_by_role("heading", name="Workspace")).to_be_visible()
    contract = Contract.objects.get()
    assert contract.expert == expert
    assert contract.nda_accepted_at is not None
    assert contract.accepted_ip == "127.0.0.1"
    assert contract.nda_version == "2026-11"

    address = f"{base}/workspaces/{contract.pk}/"
    worker.goto(address)
    worker.get_by_role("button", name="Request Start").click()
    expect(worker.locator("main")).to_contain_text("Start requested")

    owner.goto(address)
    owner.get_by_role("link", name="Start", exact=True).click()
    owner.get_by_label("Pay by card").check()
    owner.get_by_role("button", name="Pay €900.00 and start").click()
    owner.get_by_label("4242 4242 4242 4242", exact=False).check()
    owner.get_by_role("button", name="Pay").click()
    expect(owner.get_by_text("Payment received")).to_be_visible()
    owner.get_by_role("link", name="Continue").click()
    expect(owner.locator("main")).to_contain_text("In progress")
    assert HeldFunds.objects.get().status == HeldFunds.Status.FUNDED

    manager = _page_for(browser, live_server, staff)
    manager.goto(address)
    manager.get_by_label("Message").fill("Hana from the hub here: send the drawings by Friday.")
    manager.get_by_role("button", name="Send").click()
    expect(manager.locator("#chat-log")).to_contain_text("send the drawings by Friday")

    drawing = tmp_path / "gate-change.pdf"
    drawing.write_bytes(b"%PDF-1.4 gate change")
    worker.goto(address)
    expect(worker.locator("#chat-log")).to_contain_text("send the drawings by Friday")
    worker.get_by_label("Files", exact=True).set_input_files(str(drawing))
    worker.get_by_role("button", name="Deliver").click()
    expect(worker.locator("main")).to_contain_text("In quality control")

    owner.goto(address)
    expect(owner.get_by_role("link", name="gate-change.pdf")).to_have_count(0)
    expect(owner.locator("main")).not_to_contain_text("Erik Expert")

    manager.goto(address)
    manager.get_by_role("button", name="Approve for the client").click()
    expect(manager.locator("main")).to_contain_text("Delivered")

    owner.goto(address)
    expect(owner.get_by_role("link", name="gate-change.pdf")).to_be_visible()
    _shot(owner, "hub-2-verified-delivery")
    owner.get_by_role("button", name="Mark as Completed").click()
    expect(owner.locator("#next-action")).to_contain_text("completed")

    held = HeldFunds.objects.get()
    assert held.status == HeldFunds.Status.RELEASED
    assert balance_of(expert) == held.payee_net == 81_000
    for page in (owner, worker, manager):
        assert page.errors == []  # type: ignore[attr-defined]
