"""The money pages in Chromium: top up through the demo card page, a declined card, the
statement's "Older movements" over htmx, and a withdrawal request."""

import pytest
from playwright.sync_api import Browser, Page, expect

from escrow.models import Checkout, Payout
from escrow.services.ledger import wallet_account
from tests.escrow.conftest import top_up
from tests.escrow.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-for-tests-123"


def _log_in(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base_url + "/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_top_up_with_test_cards_and_browse_the_statement(live_server, browser: Browser):
    user = UserFactory(email="browser-client@example.com", is_client=True)
    for i in range(55):
        top_up(user, 100, key=f"browser:{i}")
    page = _log_in(browser, live_server.url, user.email)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(live_server.url + "/money/top-up/")
    page.fill("input[name=amount]", "25")
    page.locator("main button[type=submit]").click()
    page.get_by_label("4000 0000 0000 0002 — Declined").check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("did not go through")

    page.goto(live_server.url + "/money/top-up/")
    page.fill("input[name=amount]", "25")
    page.locator("main button[type=submit]").click()
    page.get_by_label("4242 4242 4242 4242 — Succeeds").check()
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Payment received")
    assert wallet_account(user).balance == 5500 + 2500
    assert sorted(Checkout.objects.values_list("status", flat=True)) == ["failed", "succeeded"]

    page.goto(live_server.url + "/money/statement/")
    rows = page.locator("#statement-rows > tr")
    expect(rows).to_have_count(51)  # 50 movements and the "Older movements" row
    page.get_by_role("link", name="Older movements").click()
    expect(rows).to_have_count(56)
    assert errors == []


def test_withdrawal_request_from_the_form(live_server, browser: Browser):
    expert = UserFactory(email="browser-expert@example.com", is_expert=True, active_role="expert")
    top_up(expert, 9000)
    page = _log_in(browser, live_server.url, expert.email)
    page.goto(live_server.url + "/money/withdraw/")
    page.fill("input[name=amount]", "90.01")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("available balance is too low")
    page.fill("input[name=amount]", "40")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("€50.00")
    assert Payout.objects.get().amount == 4000
