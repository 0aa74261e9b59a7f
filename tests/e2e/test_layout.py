"""Every main page of the cycle, as each role, at a desktop and a phone width: nothing runs wider
than the window, and nothing covers the page header's buttons (a message is showing on each page,
as after an action). One data set and one browser for the whole walk, so it stays quick; with
GUILDHALL_SHOTS_DIR set it keeps a screenshot of each page."""

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import Browser, Page

from bids.services import award_bid
from tests.bids.factories import place, plan
from tests.e2e.helpers import page_for, shot
from tests.projects.factories import make_open_project
from tests.workspaces.factories import (
    ClientFactory,
    ExpertFactory,
    StaffFactory,
    make_workspace,
    milestone_at,
)
from workspaces import services as workspace_services
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 390)

# Page-header buttons and badges that another element covers (checked at each one's centre).
COVERED_ACTIONS = """
() => [...document.querySelectorAll('.page-header__actions > *, .page-header .badge')]
  .filter((el) => el.getClientRects().length)
  .filter((el) => {
    el.scrollIntoView({block: 'center'});
    const box = el.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top && !el.contains(top) && !top.contains(el);
  })
  .map((el) => (el.textContent || '').trim().slice(0, 40))
"""


@pytest.fixture(autouse=True)
def _layout_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PROJECT_MODERATION = "off"
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _flash(page: Page, live_server) -> None:
    """Leave a message in the session, as an action would before its redirect."""
    key = next(
        c["value"] for c in page.context.cookies(live_server.url) if c["name"] == "sessionid"
    )
    session = SessionStore(session_key=key)
    message = Message(constants.SUCCESS, "Saved. Everyone involved has been told.")
    session["_messages"] = MessageEncoder().encode([message])
    session.save()


def _cycle() -> dict:
    """One of each state the pages show: bids to compare, an award to confirm, workspaces with a
    payment due, a delivery, a revision asked between two deliveries, and a completed milestone."""
    owner = ClientFactory(name="Clara Client")
    expert = ExpertFactory(name="Erik Expert")
    rival = ExpertFactory(name="Rhea Rival")
    open_job = make_open_project(owner=owner, title="Shop redesign with a long enough title")
    place(open_job, rival, amount=50_000, milestones=plan(30_000, 20_000))
    place(open_job, ExpertFactory(), amount=62_500, milestones=plan(40_000, 22_500))
    awarded = place(
        make_open_project(owner=owner), expert, amount=40_000, milestones=plan(25_000, 15_000)
    )
    award_bid(bid=awarded, by=owner)

    paying = make_workspace(30_000, 20_000, owner=owner, expert=expert, standalone=True)
    payable = milestone_at(paying, Milestone.Status.START_REQUESTED)
    revised = make_workspace(12_000, 8_000, owner=owner, expert=expert, standalone=True)
    milestone = milestone_at(revised, Milestone.Status.DELIVERED)
    workspace_services.request_revision(milestone=milestone, by=owner, comments="Bigger logo.")
    workspace_services.deliver_milestone(milestone=milestone, by=expert, note="Logo is bigger.")
    done = make_workspace(9_000, 6_000, owner=owner, expert=expert, standalone=True)
    milestone_at(done, Milestone.Status.COMPLETED)

    workspaces = [
        reverse("workspaces:detail", args=[w.pk]) for w in (payable.workspace, revised, done)
    ]
    everyone = [
        reverse("home"),
        reverse("dashboard"),
        reverse("escrow:balance"),
        reverse("escrow:statement"),
        reverse("notifications:list"),
    ]
    return {
        "client": (
            owner,
            [
                *everyone,
                reverse("projects:post"),
                open_job.get_absolute_url(),
                reverse("bids:compare", args=[open_job.pk]),
                reverse("workspaces:start", args=[payable.workspace.pk, payable.pk]),
                *workspaces,
            ],
        ),
        "expert": (
            expert,
            [
                *everyone,
                open_job.get_absolute_url(),
                reverse("bids:place", args=[open_job.pk]),
                reverse("bids:confirm", args=[awarded.pk]),
                *workspaces,
            ],
        ),
        "staff": (StaffFactory(), [*everyone, reverse("admin:index"), *workspaces[1:]]),
    }


def test_main_pages_fit_the_window_and_keep_the_header_actions_clear(
    live_server, browser: Browser, settings
):
    settings.SITE_URL = live_server.url
    problems: list[str] = []
    for role, (user, paths) in _cycle().items():
        for width in WIDTHS:
            page = page_for(browser, live_server, user, width=width)
            for path in paths:
                _flash(page, live_server)
                response = page.goto(live_server.url + path)
                where = f"{role} {path} at {width}px"
                if response is None or response.status != 200:
                    problems.append(f"{where}: status {response and response.status}")
                    continue
                shot(page, f"layout-{role}-{path.strip('/').replace('/', '-') or 'home'}-{width}")
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: {scroll_width}px wide")
                covered = page.evaluate(COVERED_ACTIONS)
                if covered:
                    problems.append(f"{where}: covered {covered}")
            page.context.close()

    assert problems == []


SHOWN_SKILLS = """
() => [...document.querySelectorAll('#id_skills optgroup:not([hidden])')].map((g) => g.label)
"""


def test_post_a_project_shows_the_skills_of_the_chosen_category(live_server, browser: Browser):
    page = page_for(browser, live_server, ClientFactory())
    page.goto(live_server.url + reverse("projects:post"))
    everything = page.evaluate(SHOWN_SKILLS)

    page.select_option("#id_category", label="Design")
    assert page.evaluate(SHOWN_SKILLS) == ["Design"]
    assert len(everything) > 1

    # A skill already picked stays in view when the category changes.
    page.select_option("#id_skills", label="Logo design")
    page.select_option("#id_category", label="Software")
    assert page.evaluate(SHOWN_SKILLS) == ["Software", "Design"]
    page.context.close()


def test_the_header_fits_in_german_for_every_role(live_server, browser: Browser, settings):
    """German labels are longer; the staff bar has one link more: it wraps, never scrolls."""
    settings.SITE_URL = live_server.url
    problems: list[str] = []
    for role, (user, _paths) in _cycle().items():
        user.language = "de"
        user.save(update_fields=["language"])
        for width in WIDTHS:
            page = page_for(browser, live_server, user, width=width)
            for path in ("/", reverse("dashboard")):
                page.goto(live_server.url + path)
                assert page.evaluate("document.documentElement.lang") == "de"
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{role} {path} at {width}px: {scroll_width}px wide")
            page.context.close()
    assert problems == []
