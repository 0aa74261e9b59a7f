"""A booking in Chromium: the expert publishes a service; the client requests a booking from it;
the expert sends an offer; the client accepts and pays only the platform fee with the demo card;
the expert marks the job done; the client confirms. Only the fee moved, to the cent."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from accounts.models import ServiceListing
from bookings.models import Booking
from escrow.models import Account, HeldFunds
from escrow.services.ledger import platform_account, wallet_account
from projects.models import Project
from tests.factories import ClientFactory, ExpertFactory, SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")


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
    return context.new_page()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True, caret="initial")


def test_a_booking_moves_only_the_platform_fee(live_server, browser: Browser, settings):
    settings.SITE_URL = live_server.url
    category = SkillCategoryFactory(name="Construction", slug="construction")
    SkillFactory(name="Tiling", slug="tiling", category=category)
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    expert = ExpertFactory(email="expert@example.com", name="Erik Expert")

    worker = _page_for(browser, live_server, expert)
    worker.goto(f"{live_server.url}/services/new/")
    worker.get_by_label("Title").fill("Bathroom tiling")
    worker.get_by_label("Description").fill("Walls and floor tiled in two days.")
    worker.get_by_label("Category").select_option(label="Construction")
    worker.get_by_label("Skills").select_option(label="Tiling")
    worker.get_by_label("Starting price").fill("200")
    worker.get_by_label("Delivery time in days").fill("2")
    _shot(worker, "booking-1-listing-form")
    worker.get_by_role("button", name="Publish service").click()
    expect(worker.get_by_role("heading", name="Bathroom tiling")).to_be_visible()
    listing = ServiceListing.objects.get()

    client = _page_for(browser, live_server, owner)
    client.goto(f"{live_server.url}/services/")
    client.get_by_label("Search services").fill("tiling")
    client.get_by_role("button", name="Search").click()
    _shot(client, "booking-2-catalogue")
    client.get_by_role("link", name="Bathroom tiling").click()
    expect(client.get_by_text("€200.00")).to_be_visible()
    _shot(client, "booking-2b-listing")
    client.get_by_role("link", name="Request a booking").click()
    client.get_by_label("What do you need?").fill("Tile a 6 m² bathroom wall in white.")
    client.get_by_role("button", name="Send booking request").click()
    expect(client.get_by_role("heading", name="No offers yet")).to_be_visible()
    project = Project.objects.get()
    assert project.booking_request.listing == listing

    worker.goto(f"{live_server.url}/bids/project/{project.pk}/bid/")
    worker.get_by_label("Total price").fill("123.45")
    worker.get_by_label("Estimated days").fill("2")
    worker.get_by_label("Proposal").fill("I can tile it on Tuesday and Wednesday.")
    worker.get_by_role("button", name="Send bid").click()
    expect(worker.get_by_text("Tuesday and Wednesday").first).to_be_visible()

    client.reload()
    _shot(client, "booking-3-offers")
    client.get_by_role("button", name="Accept offer").click()
    expect(client.get_by_role("heading", name="Pay the platform fee")).to_be_visible()
    expect(client.locator("#pay-amount")).to_have_text("€12.35")
    _shot(client, "booking-4-fee")
    client.get_by_label("Pay by card").check()
    client.get_by_role("button", name="Pay €12.35").click()
    expect(client.get_by_role("heading", name="Pay by card")).to_be_visible()
    client.get_by_label("4242 4242 4242 4242", exact=False).check()
    client.get_by_role("button", name="Pay").click()
    expect(client.get_by_text("Payment received")).to_be_visible()
    client.get_by_role("link", name="Continue").click()
    expect(client.locator("#next-action")).to_contain_text("is working on the job")
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED

    worker.goto(f"{live_server.url}{booking.get_absolute_url()}")
    expect(worker.locator("#next-action")).to_contain_text("The job can start")
    worker.get_by_role("button", name="Mark job done").click()
    expect(worker.locator("#next-action")).to_contain_text("Waiting for Clara Client")

    client.reload()
    client.get_by_role("button", name="Confirm the job is done").click()
    expect(client.locator("#next-action")).to_contain_text("This booking is completed")
    expect(client.locator("#booking-fee")).to_have_text("€12.35")
    expect(client.locator("#booking-direct")).to_have_text("€111.10")
    _shot(client, "booking-5-completed")

    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert wallet_account(owner).balance == 0
    assert wallet_account(expert).balance == 0
    assert platform_account(Account.Kind.PLATFORM_REVENUE, "EUR").balance == 1_235
    assert platform_account(Account.Kind.CARD_CLEARING, "EUR").balance == -1_235
    assert not HeldFunds.objects.exists()
