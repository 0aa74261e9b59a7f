"""axe-core in Chromium on every main page of every flow, as each role, at 1280 and 390 px, then
a representative set again in German (browser and accounts set to German).

No serious or critical violation is allowed anywhere; a moderate or minor one only when
tests/e2e/a11y_allowed.toml lists its rule with the reason. The data is built once (one test
walks every page) and one browser page per role is reused, so the run stays short."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from bids import services as bid_services
from escrow.services import fulfil_checkout, start_top_up
from leads import services as lead_services
from messaging.services import send_message
from notifications.models import Notification
from tests.bids.factories import place, plan
from tests.bookings.factories import (
    ServiceListingFactory,
    booking_request,
    offer,
    paid_booking,
)
from tests.e2e.helpers import page_for
from tests.factories import (
    ClientProfileFactory,
    ExpertProfileFactory,
    PortfolioItemFactory,
    SkillFactory,
    StaffFactory,
    verified_company,
)
from tests.leads.conftest import fund
from tests.leads.factories import LeadCriteriaFactory, MandateFactory
from tests.reviews.factories import review
from tests.workspaces.factories import ClientFactory, ExpertFactory, make_contract, milestone_at
from workspaces import services as workspace_services
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)

ALLOWED_FILE = Path(__file__).with_name("a11y_allowed.toml")
WIDTHS = (1280, 390)
BLOCKING = {"serious", "critical"}
AXE = Axe()
# WCAG 2.2 A and AA plus axe's best practices (landmarks, headings, one main, region).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}


@pytest.fixture(autouse=True)
def _settings(settings, live_server) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PROJECT_MODERATION = "off"
    settings.SITE_URL = live_server.url
    settings.LEAD_MAX_BUYERS = 4


# The German pass: (role, visit name) of the pages checked again in German.
GERMAN_VISITS = {
    ("anonymous", "home"),
    ("anonymous", "sign up"),
    ("anonymous", "login"),
    ("anonymous", "find a project"),
    ("client", "dashboard"),
    ("client", "post a project"),
    ("client", "project page"),
    ("client", "bid"),
    ("client", "workspace start_requested"),
    ("client", "pay page"),
    ("client", "balance"),
    ("expert", "dashboard"),
    ("expert", "find a project"),
    ("expert", "bid form"),
    ("expert", "workspace in progress"),
    ("expert", "balance"),
}


@dataclass
class Visit:
    role: str
    name: str
    path: str
    status: int = 200


def allowed_rules() -> dict[str, str]:
    """Moderate/minor rules accepted with a reason: {rule id: reason}."""
    data = tomllib.loads(ALLOWED_FILE.read_text())
    rules = data.get("allowed", {})
    for rule, reason in rules.items():
        assert isinstance(reason, str), f"{rule}: the reason must be a sentence"
        assert reason.strip(), f"{rule}: a listed rule needs its reason"
    return rules


def _workspace_in(status: str, *, owner, expert) -> tuple[str, Milestone]:
    contract = make_contract(12_000, 8_000, owner=owner, expert=expert, standalone=True)
    workspace = workspace_services.open_workspace(contract=contract)
    milestone = milestone_at(workspace, status)
    return f"/workspaces/{contract.pk}/", milestone


def build_world() -> tuple[dict, list[Visit]]:
    """Every role and a page in each state of the main flows, built through the services."""
    owner = ClientFactory(email="clara@example.com", name="Clara Client")
    ClientProfileFactory(user=owner)
    expert = ExpertFactory(email="erik@example.com", name="Erik Expert")
    ExpertProfileFactory(user=expert)
    PortfolioItemFactory(profile=expert.expert_profile)
    other = ExpertFactory(email="olga@example.com", name="Olga Other")
    ExpertProfileFactory(user=other)
    staff = StaffFactory(email="sam@example.com", name="Sam Staff", is_superuser=True)

    # A project with two bids (compare, bid pages), one of them awarded and waiting to confirm.
    from tests.bids.factories import make_standalone_project

    project = make_standalone_project(owner=owner, title="Mould design for a housing")
    bid = place(project, expert, amount=20_000, milestones=plan(12_000, 8_000))
    rival = place(project, other, amount=25_000, milestones=plan(25_000))
    open_project = make_standalone_project(owner=owner, title="Gearbox cover redesign")
    awarded_project = make_standalone_project(owner=owner, title="Cooling channel layout")
    awarded = place(awarded_project, other, amount=30_000, milestones=plan(30_000))
    bid_services.award_bid(bid=awarded, by=owner)

    # Workspaces in each milestone state; the card checkout of a started payment.
    workspaces = {
        status: _workspace_in(status, owner=owner, expert=expert)
        for status in (
            Milestone.Status.PLANNED,
            Milestone.Status.START_REQUESTED,
            Milestone.Status.IN_PROGRESS,
            Milestone.Status.DELIVERED,
            Milestone.Status.COMPLETED,
        )
    }
    for status, act in (
        (Milestone.Status.REVISION_REQUESTED, "revision"),
        (Milestone.Status.DISPUTED, "dispute"),
    ):
        path, delivered = _workspace_in(Milestone.Status.DELIVERED, owner=owner, expert=expert)
        if act == "revision":
            workspace_services.request_revision(
                milestone=delivered, by=owner, comments="The wall thickness is 2 mm, not 3."
            )
        else:
            workspace_services.open_dispute(
                milestone=delivered, by=owner, reason="Two drawings are missing."
            )
        workspaces[status] = (path, delivered)
    requested_path, requested = workspaces[Milestone.Status.START_REQUESTED]
    pay_path = f"{requested_path}milestones/{requested.pk}/start/"
    card_path, by_card = _workspace_in(Milestone.Status.START_REQUESTED, owner=owner, expert=expert)
    card = workspace_services.start_milestone(
        milestone=by_card, by=owner, source="card", return_url=card_path
    )
    workspaces[Milestone.Status.AWAITING_PAYMENT] = (card_path, by_card)
    demo_card_path = card.redirect_url.replace("http://testserver", "")
    _completed_path, completed = workspaces[Milestone.Status.COMPLETED]
    contract = completed.workspace.contract
    milestone_at(completed.workspace, Milestone.Status.COMPLETED, index=1)
    contract.refresh_from_db()
    review(contract, owner, text="Careful, quick work.")

    # Messages, notifications, bookings, leads.
    from tests.messaging.factories import conversation_between

    conversation = conversation_between(owner, expert)
    send_message(conversation=conversation, by=owner, body="Could you start on Monday?")
    Notification.objects.create(user=owner, title="A bid arrived", body="Erik bid €200.00")
    listing = ServiceListingFactory(expert=expert)
    request_project = booking_request(listing=listing, client=owner)
    offer(request_project)
    booking = paid_booking()
    skill = SkillFactory(name="Blow moulding (a11y)", slug="blow-moulding-a11y")
    LeadCriteriaFactory(user=expert, skills=[skill], countries=["DE"])
    fund(expert, 10_000)
    mandate = MandateFactory(created_by=staff, skills=[skill])
    lead_services.publish_mandate(mandate=mandate, by=staff)
    lead_services.accept_offer(mandate_id=mandate.pk, by=expert)

    paid = start_top_up(user=owner, amount=5_000, key="a11y-top-up").checkout
    fulfil_checkout(checkout_id=paid.pk, charge_ref="a11y-top-up")
    company = verified_company(email="cora@example.com", name="Cora Company")

    users = {
        "client": owner,
        "expert": expert,
        "staff": staff,
        "other": other,
        "company": company,
        "booker": booking.client,
    }
    visits = [
        Visit("anonymous", "home", "/"),
        Visit("anonymous", "login", "/account/login/"),
        Visit("anonymous", "sign up", "/account/signup/"),
        Visit("anonymous", "password reset", "/account/password/reset/"),
        Visit("anonymous", "find a project", "/projects/"),
        Visit("anonymous", "find a freelancer", "/projects/experts/search/"),
        Visit("anonymous", "expert profile", expert.expert_profile.get_absolute_url()),
        Visit("anonymous", "services", "/services/"),
        Visit("anonymous", "service listing", f"/services/{listing.pk}/"),
        Visit("anonymous", "not found", "/no-such-page/", 404),
        Visit("client", "dashboard", "/dashboard/"),
        Visit("client", "post a project", "/projects/post/"),
        Visit("client", "my projects", "/projects/mine/"),
        Visit("client", "project page", f"/projects/{project.pk}/"),
        Visit("client", "project with no bids", f"/projects/{open_project.pk}/"),
        Visit("client", "bids received", f"/bids/project/{project.pk}/"),
        Visit("client", "compare bids", f"/bids/project/{project.pk}/compare/"),
        Visit("client", "bid", f"/bids/{bid.pk}/"),
        Visit("client", "client profile editor", "/profile/client/"),
        Visit("client", "contract", f"/bids/contracts/{contract.pk}/"),
        *(
            Visit("client", f"workspace {status}", path)
            for status, (path, _milestone) in workspaces.items()
        ),
        Visit("client", "pay page", pay_path),
        Visit("client", "demo card page", demo_card_path),
        Visit("client", "balance", "/money/"),
        Visit("client", "statement", "/money/statement/"),
        Visit("client", "receipts", "/money/receipts/"),
        Visit("client", "receipt", f"/money/receipts/{paid.pk}/"),
        Visit("client", "top up", "/money/top-up/"),
        Visit("client", "notifications", "/notifications/"),
        Visit("client", "notification settings", "/notifications/preferences/"),
        Visit("client", "messages", "/messages/"),
        Visit("client", "conversation", f"/messages/{conversation.pk}/"),
        Visit("client", "bookings", "/bookings/"),
        Visit("booker", "booking", f"/bookings/{booking.pk}/"),
        Visit("client", "booking request", f"/bookings/requests/{request_project.pk}/"),
        Visit("client", "book a service", f"/services/{listing.pk}/book/"),
        Visit("client", "reviews", "/reviews/"),
        Visit("client", "contract reviews", f"/reviews/contract/{contract.pk}/"),
        Visit("client", "forbidden", "/leads/staff/", 403),
        Visit("expert", "dashboard", "/dashboard/"),
        Visit("expert", "expert profile editor", "/profile/expert/"),
        Visit("expert", "find a project", "/projects/"),
        Visit("expert", "project page", f"/projects/{open_project.pk}/"),
        Visit("expert", "bid form", f"/bids/project/{open_project.pk}/bid/"),
        Visit("expert", "my bids", "/bids/mine/"),
        Visit("expert", "workspace in progress", workspaces[Milestone.Status.IN_PROGRESS][0]),
        Visit("expert", "workspace delivered", workspaces[Milestone.Status.DELIVERED][0]),
        Visit("expert", "balance", "/money/"),
        Visit("expert", "withdraw", "/money/withdraw/"),
        Visit("expert", "my listings", "/services/mine/"),
        Visit("expert", "new listing", "/services/new/"),
        Visit("expert", "booking requests", "/bookings/"),
        Visit("expert", "leads", "/leads/"),
        Visit("expert", "lead", f"/leads/{mandate.pk}/"),
        Visit("expert", "lead criteria", "/leads/criteria/"),
        Visit("expert", "reviews", "/reviews/"),
        Visit("other", "confirm the contract", f"/bids/{awarded.pk}/confirm/"),
        Visit("other", "bid", f"/bids/{rival.pk}/"),
        Visit("company", "company profile editor", "/profile/company/"),
        Visit("anonymous", "company profile", f"/companies/{company.company_profile.pk}/"),
        Visit("staff", "dashboard", "/dashboard/"),
        Visit("staff", "leads desk", "/leads/staff/"),
        Visit("staff", "new lead", "/leads/staff/new/"),
        Visit("staff", "lead at the desk", f"/leads/staff/{mandate.pk}/"),
    ]
    return users, visits


def _axe(page: Page, allowed: dict[str, str]) -> list[str]:
    problems = []
    for violation in AXE.run(page, options=AXE_OPTIONS).response["violations"]:
        if violation["impact"] not in BLOCKING and violation["id"] in allowed:
            continue
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        problems.append(f"{violation['id']} ({violation['impact']}): {targets}")
    return problems


def _axe_with_errors(page: Page, address: str, allowed: dict[str, str], width: int) -> list[str]:
    """The form sent empty (the browser's own checks off): its error summary and the errors
    beside the fields are checked too."""
    page.goto(address)
    page.evaluate("document.querySelector('main form[method=post]').noValidate = true")
    page.locator("main form[method=post] [type=submit]").first.click()
    page.wait_for_selector(".error-summary")
    return [f"errors of {address} at {width}px: {problem}" for problem in _axe(page, allowed)]


def _pages_for(
    roles: set[str], browser: Browser, live_server, users: dict, locale: str | None = None
) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for role in roles:
        if role == "anonymous":
            options = {"locale": locale} if locale else {}
            pages[role] = browser.new_context(**options).new_page()
        else:
            pages[role] = page_for(browser, live_server, users[role], locale=locale)
        # Toasts fade in: without motion axe measures their contrast at full opacity.
        pages[role].emulate_media(reduced_motion="reduce")
    return pages


def _german_pass(
    live_server, browser: Browser, users: dict, visits: list[Visit], allowed: dict[str, str]
) -> list[str]:
    """The representative pages in German: the same rules, <html lang="de">, no sideways
    scrolling (German words are longer), and the error summaries of two forms."""
    german = [visit for visit in visits if (visit.role, visit.name) in GERMAN_VISITS]
    assert len(german) == len(GERMAN_VISITS), "a German visit names a page that is not walked"
    for user in users.values():
        user.language = "de"
        user.save(update_fields=["language"])
    pages = _pages_for({visit.role for visit in german}, browser, live_server, users, "de-DE")
    failures = []
    for width in WIDTHS:
        for page in pages.values():
            page.set_viewport_size({"width": width, "height": 900})
        for visit in german:
            page = pages[visit.role]
            response = page.goto(live_server.url + visit.path)
            assert response is not None
            where = f"German {visit.name} as {visit.role} at {width}px ({visit.path})"
            if response.status != visit.status:
                failures.append(f"{where}: answered {response.status}")
                continue
            if page.evaluate("document.documentElement.lang") != "de":
                failures.append(f"{where}: <html lang> is not de")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                failures.append(f"{where}: {scroll_width}px wide")
            if width == 1280 and visit.role in {"client", "expert"}:
                rows = page.evaluate(
                    "new Set([...document.querySelectorAll('.site-nav__links > li')]"
                    ".map(item => item.offsetTop)).size"
                )
                if rows > 1:
                    failures.append(f"{where}: the header's links wrap onto {rows} rows")
            failures += [f"{where}: {problem}" for problem in _axe(page, allowed)]
        for role, path in (("client", "/money/top-up/"), ("client", "/projects/post/")):
            failures += [
                f"German {problem}"
                for problem in _axe_with_errors(pages[role], live_server.url + path, allowed, width)
            ]
    for page in pages.values():
        page.context.close()
    return failures


def test_every_main_page_has_no_serious_accessibility_violation(live_server, browser: Browser):
    allowed = allowed_rules()
    users, visits = build_world()
    pages = _pages_for({visit.role for visit in visits}, browser, live_server, users)
    failures = []
    for width in WIDTHS:
        for page in pages.values():
            page.set_viewport_size({"width": width, "height": 900})
        for visit in visits:
            page = pages[visit.role]
            response = page.goto(live_server.url + visit.path)
            assert response is not None
            where = f"{visit.name} as {visit.role} at {width}px ({visit.path})"
            if response.status != visit.status:
                failures.append(f"{where}: answered {response.status}")
                continue
            failures += [f"{where}: {problem}" for problem in _axe(page, allowed)]
        for role, path in (("client", "/money/top-up/"), ("expert", "/services/new/")):
            failures += _axe_with_errors(pages[role], live_server.url + path, allowed, width)
    for page in pages.values():
        page.context.close()
    failures += _german_pass(live_server, browser, users, visits, allowed)
    assert failures == [], "\n".join(failures)
