"""A Speedy in Chromium: staff set it up and invite two experts, both press Accept, one gets it
and the other sees that it was taken (with the proofreading offer); the winner delivers in Your
work, staff QC approve, the client approves, and the reward waits 30 days as pending."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from bids.models import Contract
from escrow.selectors import wallet_balance
from escrow.services import release_due_pending
from projects.models import Project
from tests.factories import (
    ClientFactory,
    ExpertFactory,
    SkillCategoryFactory,
    SkillFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")


@pytest.fixture(autouse=True)
def _e2e_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PROJECT_MODERATION = "off"


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
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,  # type: ignore[attr-defined]
    )
    return page


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_a_speedy_with_two_experts_racing(live_server, browser: Browser, tmp_path, settings):
    settings.SITE_URL = live_server.url
    staff = StaffFactory(name="Sam Staff")
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    anna = ExpertFactory(email="anna@example.com", name="Anna First")
    ben = ExpertFactory(email="ben@example.com", name="Ben Second")
    category = SkillCategoryFactory(name="Translation")
    skill = SkillFactory(category=category, name="German translation")

    desk = _page_for(browser, live_server, staff)
    desk.goto(f"{live_server.url}/projects/invited/new/")
    desk.get_by_label("Client's email").fill(owner.email)
    desk.get_by_label("Speedy").check()
    desk.get_by_label("Title").fill("Translate our product sheet into German")
    desk.get_by_label("Description").fill("Two pages of technical text; keep the layout.")
    desk.get_by_label("Category").select_option(label="Translation")
    desk.get_by_label("Skills").select_option(str(skill.pk))
    desk.get_by_label("Reward").fill("80.00")
    desk.get_by_label("Offer for experts who arrive too late").fill(
        "Proofread the German version instead for €25."
    )
    desk.get_by_label("Invite experts").fill("anna@example.com, ben@example.com")
    _shot(desk, "speedy-1-set-up")
    desk.get_by_role("button", name="Set up and invite").click()
    expect(desk.locator("#toasts")).to_contain_text("2 expert(s) invited")
    project = Project.objects.get()
    invitation = f"{live_server.url}/projects/{project.pk}/invitation/"

    first = _page_for(browser, live_server, anna)
    second = _page_for(browser, live_server, ben)
    first.goto(invitation)
    second.goto(invitation)
    expect(first.locator("main")).to_contain_text("€80.00")
    expect(second.get_by_role("button", name="Accept project")).to_be_visible()
    _shot(second, "speedy-2-invitation")
    first.get_by_role("button", name="Accept project").click()
    expect(first.get_by_role("heading", name="Your work")).to_be_visible()
    second.get_by_role("button", name="Accept project").click()
    expect(
        second.get_by_role("heading", name="This project has already been taken")
    ).to_be_visible()
    expect(second.locator("main")).to_contain_text("Proofread the German version instead")
    _shot(second, "speedy-3-taken")
    contract = Contract.objects.get()
    assert contract.expert == anna

    deliverable = tmp_path / "sheet-de.docx"
    deliverable.write_bytes(b"PK translated")
    first.get_by_label("Files", exact=True).set_input_files(str(deliverable))
    first.get_by_role("button", name="Deliver").click()
    expect(first.locator("main")).to_contain_text("In quality control")
    _shot(first, "speedy-4-delivered")

    customer = _page_for(browser, live_server, owner)
    workspace = f"{live_server.url}/workspaces/{contract.pk}/"
    customer.goto(workspace)
    expect(customer.get_by_role("link", name="sheet-de.docx")).to_have_count(0)

    desk.goto(workspace)
    desk.get_by_role("button", name="Approve for the client").click()
    expect(desk.locator("main")).to_contain_text("Delivered")
    summary = wallet_balance(anna)
    assert (summary.available, summary.pending) == (0, 8_000)

    customer.goto(workspace)
    expect(customer.get_by_role("link", name="sheet-de.docx")).to_be_visible()
    customer.get_by_role("button", name="Mark as Completed").click()
    expect(customer.locator("#next-action")).to_contain_text("completed")
    _shot(customer, "speedy-5-completed")

    assert release_due_pending(now=timezone.now() + timedelta(days=29)) == 0
    assert release_due_pending(now=timezone.now() + timedelta(days=31)) == 1
    assert wallet_balance(anna).available == 8_000
    for page in (desk, first, second, customer):
        assert page.errors == []  # type: ignore[attr-defined]
