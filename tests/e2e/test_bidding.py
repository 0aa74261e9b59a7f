"""The bidding flow in Chromium: an expert bids with three milestones; the client shortlists,
asks a question in the conversation and awards; the expert confirms; both see the contract."""

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.bids.factories import (
    ClientFactory,
    ExpertFactory,
    make_standalone_project,
    place,
    plan,
)

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")  # set to keep screenshots of each step


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


def test_expert_bids_client_awards_expert_confirms(live_server, browser: Browser):
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    expert = ExpertFactory(email="expert@example.com", name="Erik Expert")
    project = make_standalone_project(owner=owner, title="Logo for a bakery", budget_min=60_000)
    base = live_server.url

    bidder = _page_for(browser, live_server, expert)
    bidder.goto(f"{base}{project.get_absolute_url()}")
    bidder.get_by_role("link", name="Place a bid").click()
    expect(bidder.get_by_role("heading", name="Place a bid")).to_be_visible()
    bidder.get_by_label("Total price").fill("600")
    bidder.get_by_label("Estimated days").fill("21")
    bidder.get_by_label("Proposal").fill("Three concepts, two rounds of changes, final files.")
    for row, (title, amount, due) in enumerate(
        [("Concepts", "200", "7"), ("Refinement", "200", "14"), ("Final files", "200", "21")]
    ):
        bidder.locator(f"#id_milestones-{row}-title").fill(title)
        bidder.locator(f"#id_milestones-{row}-amount").fill(amount)
        bidder.locator(f"#id_milestones-{row}-due_in_days").fill(due)
    _shot(bidder, "1-bid-form")
    bidder.get_by_role("button", name="Send bid").click()
    expect(bidder.get_by_role("heading", name="Bid on Logo for a bakery")).to_be_visible()
    expect(bidder.get_by_text("Final files", exact=True)).to_be_visible()

    client = _page_for(browser, live_server, owner)
    client.goto(f"{base}{project.get_absolute_url()}")
    client.get_by_role("link", name="View bids (1)").click()
    card = client.locator("article.bid-card")
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Shortlist").click()
    expect(card.get_by_role("button", name="Remove from shortlist")).to_be_visible()
    expect(card.get_by_text("Shortlisted", exact=True)).to_be_visible()
    _shot(client, "2-client-bid-list")

    card.get_by_role("link", name="Ask a question").click()
    client.get_by_label("Message").fill(
        "Can you also deliver a favicon? Mail me at clara@example.com"
    )
    client.get_by_role("button", name="Send").click()
    expect(client.get_by_text("We removed contact details")).to_be_visible()
    expect(client.locator(".message__body").first).to_contain_text("favicon")
    _shot(client, "3-conversation")

    bidder.goto(client.url)
    expect(bidder.get_by_text("Can you also deliver a favicon?")).to_be_visible()
    bidder.get_by_label("Message").fill("Yes, a favicon is included.")
    bidder.get_by_role("button", name="Send").click()
    expect(client.get_by_text("Yes, a favicon is included.")).to_be_visible(timeout=15_000)

    client.get_by_role("link", name="Back to the bid").click()
    client.get_by_role("button", name="Award").click()
    expect(client.get_by_role("button", name="Withdraw award")).to_be_visible()

    bidder.goto(client.url)
    bidder.get_by_role("link", name="Review and confirm").click()
    expect(bidder.get_by_role("heading", name="Contract summary")).to_be_visible()
    bidder.get_by_label("I accept the contract").check()
    bidder.get_by_role("button", name="Confirm").click()
    expect(bidder.get_by_role("heading", name="Workspace")).to_be_visible()
    expect(bidder.get_by_text("Refinement", exact=True)).to_be_visible()
    _shot(bidder, "4-contract")

    client.reload()
    client.get_by_role("link", name="Open the contract").click()
    expect(client.get_by_role("heading", name="Workspace")).to_be_visible()
    assert client.errors == []  # type: ignore[attr-defined]
    assert bidder.errors == []  # type: ignore[attr-defined]


def test_client_compares_bids_side_by_side(live_server, browser: Browser):
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    project = make_standalone_project(owner=owner, title="Logo for a bakery", budget_min=60_000)
    for name, amount, days in [("Ada Artist", 55_000, 20), ("Ben Brand", 72_000, 12)]:
        place(project, ExpertFactory(name=name), amount=amount, days=days, milestones=plan(amount))
    client = _page_for(browser, live_server, owner)
    client.goto(f"{live_server.url}/bids/project/{project.pk}/?order=price_desc")
    expect(client.locator("article.bid-card").first).to_contain_text("Ben Brand")
    for box in client.get_by_label("Compare").all():
        box.check()
    client.get_by_role("button", name="Compare selected (2 or 3)").click()
    expect(client.get_by_role("heading", name="Compare bids")).to_be_visible()
    expect(client.locator("table.compare-table")).to_contain_text("€720.00")
    expect(client.locator("table.compare-table")).to_contain_text("€550.00")
    _shot(client, "5-compare")
    assert client.errors == []  # type: ignore[attr-defined]
