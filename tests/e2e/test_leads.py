"""Referral leads in a real browser: staff publish a mandate, one provider buys, one reserves at
half price and is awarded by the job four days later, a credit is asked for and accepted."""

import os
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from escrow.services.ledger import wallet_account
from leads import services
from leads.models import CreditRequest, Mandate
from tests.factories import TEST_PASSWORD, SkillFactory, StaffFactory
from tests.leads.conftest import fund
from tests.leads.factories import LeadCriteriaFactory, ProviderFactory

pytestmark = pytest.mark.django_db(transaction=True)

CONTACT = "dana.prospect@example.org"


@pytest.fixture(autouse=True)
def _settings(settings) -> None:
    settings.PLATFORM_CURRENCY = "EUR"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LEAD_MAX_BUYERS = 4
    settings.LEAD_HALF_PRICE_AFTER_DAYS = 4


def _shot(page: Page, name: str) -> None:
    folder = os.environ.get("E2E_SHOTS_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def _log_in(browser: Browser, base_url: str, email: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(base_url + "/account/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


def test_staff_publish_providers_buy_reserve_credit_and_balances_add_up(
    live_server, browser: Browser
):
    skill = SkillFactory(name="Blow moulding", slug="blow-moulding-e2e")
    staff = StaffFactory(email="lead-staff@guildhall.example", is_superuser=True)
    buyer = ProviderFactory(email="buyer@example.com", name="Berta Buyer")
    reserver = ProviderFactory(email="reserver@example.com", name="Rolf Reserver")
    for provider in (buyer, reserver):
        LeadCriteriaFactory(user=provider, skills=[skill], countries=["DE"])
        fund(provider, 10000)

    # Staff write the mandate from a prospect's call and publish it.
    desk = _log_in(browser, live_server.url, staff.email)
    desk.goto(live_server.url + "/leads/staff/new/")
    desk.fill("#id_title", "Blow moulding line for a dairy")
    desk.fill("#id_description", "A dairy wants a second blow moulding line for bottles.")
    desk.get_by_label("Blow moulding").check()
    desk.fill("#id_budget_min", "20000")
    desk.select_option("#id_country", "DE")
    desk.fill("#id_city", "Hamburg")
    desk.fill("#id_price", "40.00")
    desk.fill("#id_contact_name", "Dana Prospect")
    desk.fill("#id_contact_email", CONTACT)
    desk.get_by_role("button", name="Save and publish").click()
    expect(desk.get_by_text("Mandate published and sent to 2 provider(s).")).to_be_visible()
    mandate = Mandate.objects.get()

    # Provider one buys at full price and sees the contact.
    one = _log_in(browser, live_server.url, buyer.email)
    errors: list[str] = []
    one.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    one.goto(live_server.url + "/leads/")
    _shot(one, "lead-inbox")
    one.get_by_role("link", name="Bought 0").click()
    expect(one.get_by_text("No leads here")).to_be_visible()
    assert one.url.endswith("?status=bought")
    one.get_by_role("link", name="New 1").click()
    expect(one.get_by_role("link", name="Blow moulding line for a dairy")).to_be_visible()
    assert CONTACT not in one.content()
    one.get_by_role("link", name="Blow moulding line for a dairy").click()
    assert CONTACT not in one.content()
    one.get_by_role("button", name="Accept for €40.00").click()
    expect(one.get_by_role("link", name=CONTACT)).to_be_visible()
    _shot(one, "lead-bought")

    # Provider two reserves at half price; no contact yet.
    two = _log_in(browser, live_server.url, reserver.email)
    two.goto(f"{live_server.url}/leads/{mandate.pk}/")
    two.get_by_role("button", name="Accept at half price (€20.00)").click()
    expect(two.get_by_text("Reserved at half price.").first).to_be_visible()
    _shot(two, "lead-reserved")
    assert CONTACT not in two.content()

    # Four days later the job awards the reservation (time moved by passing `now`).
    mandate.refresh_from_db()
    assert mandate.published_at is not None
    assert services.award_half_price_reservations(now=mandate.published_at + timedelta(days=4))
    two.reload()
    expect(two.get_by_role("link", name=CONTACT)).to_be_visible()
    expect(two.get_by_text("(half price)")).to_be_visible()

    # Provider one could not present their services and asks for a credit.
    one.reload()
    one.get_by_label("The client had already chosen a provider").check()
    one.fill("#id_explanation", "They signed with their usual supplier the same morning.")
    one.get_by_role("button", name="Ask for a credit").click()
    expect(one.get_by_text("Waiting for a decision")).to_be_visible()

    # Staff accept it in the admin.
    credit_request = CreditRequest.objects.get()
    desk.goto(live_server.url + "/admin/leads/creditrequest/")
    desk.check(f"input[name=_selected_action][value='{credit_request.pk}']")
    desk.select_option("select[name=action]", "accept")
    desk.get_by_role("button", name="Run").or_(desk.get_by_role("button", name="Go")).click()
    expect(desk.get_by_text("1 credit request accepted and credited.")).to_be_visible()

    one.reload()
    expect(one.get_by_text("Accepted: credited")).to_be_visible()
    assert wallet_account(buyer).balance == 10000
    assert wallet_account(reserver).balance == 8000
    _shot(one, "lead-credited")
    assert errors == []
    one.goto(live_server.url + "/leads/criteria/")
    expect(one.get_by_label("Blow moulding")).to_be_checked()
    _shot(one, "lead-criteria")
    desk.goto(f"{live_server.url}/leads/staff/{mandate.pk}/")
    expect(desk.get_by_text("Dana Prospect")).to_be_visible()
    _shot(desk, "staff-mandate")
