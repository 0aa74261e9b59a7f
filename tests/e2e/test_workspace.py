"""The workspace in Chromium: the expert asks to start, the client pays the milestone by demo
card, the expert delivers a file, the client marks it as completed; balances are exact to the
cent on both sides. Then a dispute that staff settle with a split."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from escrow.models import HeldFunds
from tests.workspaces.factories import (
    ClientFactory,
    ExpertFactory,
    StaffFactory,
    balance_of,
    make_contract,
)
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")  # set to keep screenshots of each step


@pytest.fixture(autouse=True)
def _e2e_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
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
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True, caret="initial")


def test_full_milestone_cycle_with_the_demo_card_and_a_file(
    live_server, browser: Browser, tmp_path, settings
):
    settings.SITE_URL = live_server.url
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    expert = ExpertFactory(email="expert@example.com", name="Erik Expert")
    contract = make_contract(12_345, owner=owner, expert=expert, standalone=True)
    address = f"{live_server.url}/workspaces/{contract.pk}/"

    worker = _page_for(browser, live_server, expert)
    worker.goto(address)
    expect(worker.locator("#next-action")).to_contain_text("Request Start of “Step 1”")
    worker.get_by_role("button", name="Request Start").click()
    expect(worker.locator("#milestone-" + str(Milestone.objects.get().pk))).to_contain_text(
        "Start requested"
    )

    client = _page_for(browser, live_server, owner)
    client.goto(address)
    expect(client.locator("#next-action")).to_contain_text("Start “Step 1” to fund it")
    _shot(client, "workspace-1-client-banner")
    client.get_by_role("link", name="Start", exact=True).click()
    expect(client.get_by_role("heading", name="Start “Step 1”")).to_be_visible()
    expect(client.locator("#pay-amount")).to_have_text("€123.45")
    _shot(client, "workspace-2-payment")
    client.get_by_label("Pay by card").check()
    client.get_by_role("button", name="Pay €123.45 and start").click()
    expect(client.get_by_role("heading", name="Pay by card")).to_be_visible()
    client.get_by_label("4242 4242 4242 4242", exact=False).check()
    client.get_by_role("button", name="Pay").click()
    expect(client.get_by_text("Payment received")).to_be_visible()
    client.get_by_role("link", name="Continue").click()
    expect(client.locator("#milestone-" + str(Milestone.objects.get().pk))).to_contain_text(
        "In progress"
    )

    deliverable = tmp_path / "logo-final.svg"
    deliverable.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    worker.goto(address)
    expect(worker.locator("#next-action")).to_contain_text("Work on “Step 1”")
    _shot(worker, "workspace-3-expert-banner")
    worker.get_by_label("Note to the client").fill("Final logo attached.")
    worker.get_by_label("Files", exact=True).set_input_files(str(deliverable))
    worker.get_by_role("button", name="Deliver").click()
    expect(worker.get_by_role("link", name="logo-final.svg")).to_be_visible()

    client.goto(address)
    expect(client.locator("#next-action")).to_contain_text("Mark as Completed or Request Revision")
    _shot(client, "workspace-4-delivered")
    with client.expect_download() as download:
        client.get_by_role("link", name="logo-final.svg").click()
    assert download.value.suggested_filename == "logo-final.svg"
    client.get_by_role("button", name="Mark as Completed").click()
    expect(client.locator("#next-action")).to_contain_text("This contract is completed")
    _shot(client, "workspace-5-completed")
    client.set_viewport_size({"width": 390, "height": 844})
    _shot(client, "workspace-5-completed-390")

    held = HeldFunds.objects.get()
    assert held.status == HeldFunds.Status.RELEASED
    assert (held.amount, held.fee, held.payee_net) == (12_345, 1_235, 11_110)
    assert balance_of(owner) == 0
    assert balance_of(expert) == 11_110
    worker.goto(f"{live_server.url}/money/")
    expect(worker.locator("main")).to_contain_text("€111.10")
    assert client.errors == []  # type: ignore[attr-defined]
    assert worker.errors == []  # type: ignore[attr-defined]


def test_dispute_is_opened_and_staff_split_it(live_server, browser: Browser, settings):
    from workspaces import services

    settings.SITE_URL = live_server.url
    staff = StaffFactory(email="staff@example.com", name="Sam Staff")
    contract = make_contract(20_000, standalone=True)
    workspace = services.open_workspace(contract=contract)
    milestone = workspace.milestones.get()
    from tests.workspaces.factories import top_up

    services.request_start(milestone=milestone, by=contract.expert)
    top_up(contract.client, 20_000)
    services.start_milestone(milestone=milestone, by=contract.client, source="balance")
    services.deliver_milestone(milestone=milestone, by=contract.expert, note="All pages")
    address = f"{live_server.url}/workspaces/{contract.pk}/"

    client = _page_for(browser, live_server, contract.client)
    client.goto(address)
    client.get_by_text("Open a dispute").click()
    client.get_by_label("Reason").fill("Two of the five pages are missing.")
    client.get_by_role("button", name="Open dispute").click()
    expect(client.locator("#next-action")).to_contain_text("is in dispute")
    _shot(client, "workspace-6-dispute")

    decider = _page_for(browser, live_server, staff)
    decider.goto(address)
    expect(decider.locator("#next-action")).to_contain_text("Decide the dispute")
    decider.get_by_label("Split", exact=True).check()
    decider.get_by_label("Expert's share", exact=False).fill("80.01")
    decider.get_by_role("button", name="Decide").click()
    expect(decider.locator("#timeline")).to_contain_text("Dispute decided")
    _shot(decider, "workspace-7-dispute-decided")
    assert balance_of(contract.expert) == 8_001 - 800
    assert balance_of(contract.client) == 20_000 - 8_001
    assert client.errors == []  # type: ignore[attr-defined]
    assert decider.errors == []  # type: ignore[attr-defined]
