"""Reviews in Chromium: after a completed contract both parties review; neither review shows
until both are in; then the expert's profile shows the rating and the expert's bid moves up the
client's best-match list on another project."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from escrow.services.payouts import request_payout
from escrow.services.wallets import credit_user
from tests.bids.factories import make_standalone_project, place
from tests.factories import ExpertProfileFactory
from tests.reviews.factories import completed_contract
from tests.workspaces.factories import ClientFactory, ExpertFactory

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
    settings.REVIEW_WINDOW_DAYS = 14


def _page_for(browser: Browser, live_server, user, *, width: int = 1280) -> Page:
    django_client = Client()
    django_client.force_login(user)
    context = browser.new_context(viewport={"width": width, "height": 900})
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


def _stars(page: Page, group: str, value: int) -> None:
    page.get_by_role("group", name=group).get_by_label(f"{value} star", exact=False).first.check()


def _bid_order(page: Page) -> list[str]:
    return page.locator("#bid-list article .bidder__name").all_inner_texts()


def test_both_parties_review_blind_then_rating_shows_and_ranks_the_bid(
    live_server, browser: Browser
):
    owner = ClientFactory(email="clara@example.com", name="Clara Client")
    rated = ExpertFactory(email="erik@example.com", name="Erik Expert")
    rival = ExpertFactory(email="rita@example.com", name="Rita Rival")
    for expert in (rated, rival):
        ExpertProfileFactory(user=expert, headline="Brand designer")
    contract = completed_contract(30_000, owner=owner, expert=rated, standalone=True)
    completed_contract(30_000, expert=rival, standalone=True)  # same track record, no review
    credit_user(
        user=rated,
        amount=5_000,
        kind="reward",
        key="e2e-reward",
        memo="Reward",
        pending_until=timezone.now() + timedelta(days=30),
    )
    request_payout(user=rated, amount=10_000)
    other_client = ClientFactory(email="olga@example.com", name="Olga Owner")
    project = make_standalone_project(owner=other_client, title="Poster for a fair")
    place(project, rival, amount=40_000)
    place(project, rated, amount=45_000)
    bids_url = f"{live_server.url}{reverse('bids:project_bids', args=[project.pk])}"
    hirer = _page_for(browser, live_server, other_client)
    hirer.goto(bids_url)
    assert _bid_order(hirer)[:2] == ["Rita Rival", "Erik Expert"]

    review_url = f"{live_server.url}{reverse('reviews:contract', args=[contract.pk])}"
    client_page = _page_for(browser, live_server, owner)
    client_page.goto(f"{live_server.url}/dashboard/")
    expect(client_page.get_by_text("Reviews waiting for you")).to_be_visible()
    _shot(client_page, "dashboard-client-1280")
    client_page.get_by_role("link", name=f"Review “{contract.project.title}”").click()
    expect(client_page).to_have_url(review_url)
    _stars(client_page, "Overall rating", 5)
    for group in ("Quality of work", "Communication", "Timeliness", "Value for money"):
        _stars(client_page, group, 5)
    client_page.get_by_label("Your review").fill("Erik delivered a sharp logo ahead of time.")
    client_page.get_by_role("group", name="Would you work together again?").get_by_label(
        "Yes"
    ).check()
    _shot(client_page, "review-form-1280")
    client_page.get_by_role("button", name="Submit review").click()
    expect(client_page.get_by_text("Hidden until both have reviewed")).to_be_visible()

    expert_page = _page_for(browser, live_server, rated)
    expert_page.goto(review_url)
    expect(expert_page.get_by_text("They have written their review")).to_be_visible()
    expect(expert_page.get_by_text("sharp logo ahead of time")).to_have_count(0)
    _stars(expert_page, "Overall rating", 4)
    for group in ("Clarity of requirements", "Responsiveness", "Payment promptness"):
        _stars(expert_page, group, 4)
    expert_page.get_by_label("Your review").fill("Clear brief and quick payment.")
    expert_page.get_by_role("group", name="Would you work together again?").get_by_label(
        "Yes"
    ).check()
    expert_page.get_by_role("button", name="Submit review").click()
    expect(expert_page.get_by_text("Erik delivered a sharp logo ahead of time.")).to_be_visible()
    expect(expert_page.get_by_text("Both reviews are published.")).to_be_visible()

    client_page.reload()
    expect(client_page.get_by_text("Clear brief and quick payment.")).to_be_visible()

    profile_url = f"{live_server.url}{rated.expert_profile.get_absolute_url()}"
    expert_page.goto(profile_url)
    expect(expert_page.locator(".reputation")).to_contain_text("5.0")
    expect(expert_page.locator(".reputation")).to_contain_text("from 1 review")
    expect(expert_page.get_by_text("Erik delivered a sharp logo ahead of time.")).to_be_visible()
    expert_page.get_by_text("Why this score").click()
    expect(expert_page.locator(".reputation__inputs")).to_contain_text("Average rating")
    _shot(expert_page, "profile-with-reviews-1280")

    hirer.reload()
    assert _bid_order(hirer)[:2] == ["Erik Expert", "Rita Rival"]
    expect(hirer.locator("#bid-list article").first).to_contain_text("Rated 5.0/5 by 1 client")

    expert_page.goto(f"{live_server.url}/dashboard/")
    expect(expert_page.get_by_role("heading", name="Earnings by month")).to_be_visible()
    expect(expert_page.locator("svg.chart rect.chart__bar")).to_have_count(3)
    _shot(expert_page, "dashboard-expert-1280")
    if SHOTS:
        for user, name, path in (
            (rated, "dashboard-expert-390", "/dashboard/"),
            (owner, "dashboard-client-390", "/dashboard/"),
            (rated, "profile-with-reviews-390", rated.expert_profile.get_absolute_url()),
        ):
            narrow = _page_for(browser, live_server, user, width=390)
            narrow.goto(f"{live_server.url}{path}")
            _shot(narrow, name)
        form_page = _page_for(browser, live_server, rival, width=390)
        rival_contract = rival.contracts_as_expert.get()
        form_page.goto(f"{live_server.url}{reverse('reviews:contract', args=[rival_contract.pk])}")
        _shot(form_page, "review-form-390")
    for page in (client_page, expert_page, hirer):
        assert page.errors == []  # type: ignore[attr-defined]
