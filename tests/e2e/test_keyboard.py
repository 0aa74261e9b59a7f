"""The keyboard alone (Tab, Shift+Tab, arrows, Space, Enter, typing; never a mouse click) drives
one full milestone cycle, in English and in German: Request Start, Start and pay with the demo
card, deliver, Mark as Completed. Each focused control shows the focus ring; the skip link leads
to the content; after htmx swaps focus lands on the changed milestone and the live region reads
out its new status.
A new message that arrives by polling, and a bid that rings the bell, are read out too."""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from escrow.models import HeldFunds
from messaging.services import send_message
from tests.e2e.helpers import page_for
from tests.messaging.factories import conversation_between
from tests.workspaces.factories import ClientFactory, ExpertFactory, balance_of, make_contract
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 150


@pytest.fixture(autouse=True)
def _settings(settings, live_server) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PROJECT_MODERATION = "off"
    settings.SITE_URL = live_server.url


def _is_focused(target: Locator) -> bool:
    return bool(target.evaluate("element => element === document.activeElement"))


def _assert_focus_ring(page: Page) -> None:
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none", outline
    assert outline[1] >= 2, outline


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, from wherever the focus is."""
    target = target.first
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if _is_focused(target):
            _assert_focus_ring(page)
            return
    raise AssertionError(f"Tab never reached {target}")


def choose(page: Page, option: Locator) -> None:
    """Pick a radio button with the keyboard: Tab into its group, then the arrow keys."""
    group = page.locator(f"input[type=radio][name={option.get_attribute('name')}]")
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if group.evaluate_all("items => items.includes(document.activeElement)"):
            break
    for _ in range(group.count()):
        if option.is_checked():
            return
        page.keyboard.press("ArrowDown")
    expect(option).to_be_checked()


def skip_to_content(page: Page, name: str = "Skip to content") -> None:
    """The first Tab reaches the skip link; Enter moves the focus to the page's content."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=name)
    assert _is_focused(skip)
    box = skip.bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["height"] > 0
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()


# What the cycle reads and clicks, by language (the German words follow locale/GLOSSARY.md).
WORDS = {
    "en": {
        "skip": "Skip to content",
        "request start": "Request Start",
        "start requested": "Start requested",
        "start": "Start",
        "start heading": "Start “Step 1”",
        "pay by card": "Pay by card",
        "pay and start": r"^Pay .* and start$",
        "pay": r"^Pay",
        "paid": "Payment received",
        "continue": "Continue",
        "in progress": "In progress",
        "work on": "Work on “Step 1”",
        "note": "Note to the client",
        "deliver": "Deliver",
        "delivered": "Delivered",
        "mark completed": "Mark as Completed",
        "contract completed": "This contract is completed",
        "completed": "Completed",
    },
    "de": {
        "skip": "Zum Inhalt springen",
        "request start": "Start anfragen",
        "start requested": "Start angefragt",
        "start": "Starten",
        "start heading": "„Step 1“ starten",
        "pay by card": "Mit Karte bezahlen",
        "pay and start": r"^€123,45 bezahlen und starten$",
        "pay": r"bezahlen$",
        "paid": "Zahlung eingegangen",
        "continue": "Weiter",
        "in progress": "In Arbeit",
        "work on": "Arbeiten Sie an „Step 1“",
        "note": "Notiz an den Auftraggeber",
        "deliver": "Liefern",
        "delivered": "Geliefert",
        "mark completed": "Als erledigt markieren",
        "contract completed": "Dieser Vertrag ist abgeschlossen",
        "completed": "Erledigt",
    },
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_one_milestone_cycle_by_keyboard_alone(live_server, browser: Browser, language: str):
    words = WORDS[language]
    owner = ClientFactory(email="clara@example.com", name="Clara Client", language=language)
    expert = ExpertFactory(email="erik@example.com", name="Erik Expert", language=language)
    contract = make_contract(12_345, owner=owner, expert=expert, standalone=True)
    address = f"{live_server.url}/workspaces/{contract.pk}/"
    locale = "de-DE" if language == "de" else None
    worker = page_for(browser, live_server, expert, locale=locale)
    client = page_for(browser, live_server, owner, locale=locale)

    # The expert asks to start: an htmx swap, then focus on the milestone and its status read out.
    worker.goto(address)
    skip_to_content(worker, words["skip"])
    tab_to(worker, worker.get_by_role("button", name=words["request start"]))
    worker.keyboard.press("Enter")
    milestone = Milestone.objects.get()
    card = worker.locator(f"#milestone-{milestone.pk}")
    expect(card).to_contain_text(words["start requested"])
    expect(card.locator("h3")).to_be_focused()
    expect(worker.locator("#announcer")).to_contain_text(words["start requested"])

    # The client starts it and pays with the demo card.
    client.goto(address)
    skip_to_content(client, words["skip"])
    tab_to(client, client.get_by_role("link", name=words["start"], exact=True))
    client.keyboard.press("Enter")
    expect(client.get_by_role("heading", name=words["start heading"])).to_be_visible()
    choose(client, client.get_by_label(words["pay by card"]))
    tab_to(client, client.get_by_role("button", name=re.compile(words["pay and start"])))
    client.keyboard.press("Enter")
    expect(client.get_by_role("heading", name=words["pay by card"])).to_be_visible()
    choose(client, client.get_by_label("4242 4242 4242 4242", exact=False))
    tab_to(client, client.get_by_role("button", name=re.compile(words["pay"])))
    client.keyboard.press("Space")
    expect(client.get_by_text(words["paid"])).to_be_visible()
    tab_to(client, client.get_by_role("link", name=words["continue"]))
    client.keyboard.press("Enter")
    expect(client.locator(f"#milestone-{milestone.pk}")).to_contain_text(words["in progress"])

    # The expert delivers with a note typed in.
    worker.goto(address)
    expect(worker.locator("#next-action")).to_contain_text(words["work on"])
    tab_to(worker, worker.get_by_label(words["note"]))
    worker.keyboard.type("The drawings are attached to the project folder.")
    tab_to(worker, worker.get_by_role("button", name=words["deliver"]))
    worker.keyboard.press("Enter")
    expect(worker.locator(f"#milestone-{milestone.pk}")).to_contain_text(words["delivered"])

    # The client marks it as completed: the status change is read out.
    client.goto(address)
    tab_to(client, client.get_by_role("button", name=words["mark completed"]))
    client.keyboard.press("Enter")
    expect(client.locator("#next-action")).to_contain_text(words["contract completed"])
    expect(client.locator("#announcer")).to_contain_text(words["completed"])
    assert client.evaluate("document.activeElement !== document.body")

    held = HeldFunds.objects.get()
    assert held.status == HeldFunds.Status.RELEASED
    assert balance_of(expert) == 12_345 - 1_235
    assert client.errors == []  # type: ignore[attr-defined]
    assert worker.errors == []  # type: ignore[attr-defined]


def test_a_message_that_arrives_by_polling_is_read_out_once(
    live_server, browser: Browser, settings
):
    settings.MESSAGE_POLL_SECONDS = 1
    owner = ClientFactory(email="clara@example.com", name="Clara Client")
    expert = ExpertFactory(email="erik@example.com", name="Erik Expert")
    conversation = conversation_between(owner, expert)
    send_message(conversation=conversation, by=expert, body="An older message.")
    reader = page_for(browser, live_server, owner)
    reader.goto(f"{live_server.url}/messages/{conversation.pk}/")
    announcer = reader.locator("#announcer")
    reader.wait_for_timeout(1500)  # a poll or two with nothing new: nothing is read out
    expect(announcer).to_have_text("")

    send_message(conversation=conversation, by=expert, body="The sample ships on Friday.")
    expect(reader.locator(".thread")).to_contain_text("The sample ships on Friday.")
    # Read out once, by sender (the older message is not read out again).
    expect(announcer).to_have_text("New message from Erik Expert")


def test_a_bid_received_is_read_out_when_the_bell_refreshes(live_server, browser: Browser):
    from tests.bids.factories import make_standalone_project, place

    owner = ClientFactory(email="clara@example.com", name="Clara Client")
    project = make_standalone_project(owner=owner)
    watcher = page_for(browser, live_server, owner)
    watcher.goto(f"{live_server.url}/projects/{project.pk}/")
    announcer = watcher.locator("#announcer")

    place(project, ExpertFactory(email="erik@example.com", name="Erik Expert"))
    # The bell refreshes every 30 s and on this event; firing it spares the wait.
    watcher.evaluate("htmx.trigger(document.body, 'notifications-changed')")
    expect(watcher.locator("#bell")).to_have_attribute("aria-label", re.compile("1 unread"))
    expect(announcer).to_contain_text("Notifications, 1 unread")
