"""A conversation's heading is written in the reader's language from its kind, its subject (the
project title, kept as the client typed it) and its params; old English titles are read back."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from bids import services as bids
from messaging import services
from messaging.legacy_titles import legacy_conversation_title
from messaging.models import Conversation
from notifications.models import Notification
from tests.bids.factories import ClientFactory, ExpertFactory, make_open_project, place
from tests.factories import StaffFactory
from tests.workspaces.factories import make_workspace

pytestmark = pytest.mark.django_db

MIGRATION = "messaging.migrations.0004_conversation_subject_params"


@pytest.fixture(autouse=True)
def _settings(settings) -> None:
    settings.PROJECT_MODERATION = "off"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PAYMENT_GATEWAY = "demo"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.BID_CAP = None


def _heading(conversation, language):
    with translation.override(language):
        return str(conversation.heading)


def test_a_bid_conversation_keeps_the_project_title_as_typed():
    project = make_open_project(owner=ClientFactory(), title="Shop redesign")
    bid = place(project, ExpertFactory())
    chat = Conversation.objects.get(key=f"bid:{bid.pk}")
    assert (chat.subject, chat.params, chat.title) == ("Shop redesign", {}, "")
    assert _heading(chat, "en") == "Bid on “Shop redesign”"
    assert _heading(chat, "de") == "Angebot zu „Shop redesign“"


def test_negotiation_headings_name_the_other_side_in_the_readers_language():
    project = make_open_project(owner=ClientFactory(), title="Mould", managed=True)
    bid = place(project, ExpertFactory())
    with_client = bids.request_negotiation(bid=bid, by=project.owner, message="Lower?")
    with_expert = bids.relay_to_expert(bid=bid, by=StaffFactory(), message="Lower?")
    assert with_client.params == {"side": "client", "alias": "Expert A"}
    assert _heading(with_client, "en") == "Negotiation with the client on “Mould” (Expert A)"
    assert _heading(with_client, "de") == "Verhandlung mit dem Auftraggeber zu „Mould“ (Expert A)"
    assert _heading(with_expert, "en") == "Negotiation with Expert A on “Mould”"
    assert _heading(with_expert, "de") == "Verhandlung mit Expert A zu „Mould“"


def test_a_workspace_conversation_is_named_after_the_project():
    workspace = make_workspace(10_000, title="Gearbox")
    chat = workspace.conversation
    assert _heading(chat, "en") == "Workspace: Gearbox"
    assert _heading(chat, "de") == "Arbeitsbereich: Gearbox"


def test_the_inbox_and_the_conversation_show_the_heading_in_the_readers_language(client):
    owner = ClientFactory(language="de")
    bid = place(make_open_project(owner=owner, title="Shop redesign"), ExpertFactory())
    chat = Conversation.objects.get(key=f"bid:{bid.pk}")
    client.force_login(owner)
    inbox = client.get(reverse("messaging:inbox")).content.decode()
    page = client.get(chat.get_absolute_url()).content.decode()
    for html in (inbox, page):
        assert "Angebot zu „Shop redesign“" in html
        assert "Bid on" not in html
    client.force_login(bid.expert)
    assert "Bid on “Shop redesign”" in client.get(reverse("messaging:inbox")).content.decode()


def test_a_new_message_notification_names_the_conversation_in_the_recipients_language():
    owner = ClientFactory(language="de")
    bid = place(make_open_project(owner=owner, title="Shop redesign"), ExpertFactory())
    chat = Conversation.objects.get(key=f"bid:{bid.pk}")
    with translation.override("en"):
        services.send_message(conversation=chat, by=bid.expert, body="A question")
    told = Notification.objects.get(user=owner, kind="messaging.new_message")
    assert "„Shop redesign“" in told.title
    assert "Angebot zu" in told.title
    assert "Bid on" not in told.title


@pytest.mark.parametrize(
    ("kind", "title", "expected"),
    [
        ("bid", "Bid on “Shop “new” redesign”", ("Shop “new” redesign", {})),
        ("workspace", "Workspace: Gearbox (v2)", ("Gearbox (v2)", {})),
        (
            "negotiation",
            "Negotiation with the client on “Mould” (Expert A)",
            ("Mould", {"side": "client", "alias": "Expert A"}),
        ),
        (
            "negotiation",
            "Negotiation with Expert B on “Mould (big)” (Expert B)",
            ("Mould (big)", {"side": "expert", "alias": "Expert B"}),
        ),
        # No known wording for its kind: kept as stored.
        ("bid", "Workspace: Gearbox", None),
        ("workspace", "Arbeitsbereich: Gearbox", None),
        ("negotiation", "Something else", None),
    ],
)
def test_old_titles_are_read_back(kind, title, expected):
    assert legacy_conversation_title(kind, title) == expected


def test_old_conversations_are_migrated_and_back():
    migration = importlib.import_module(MIGRATION)
    bid = place(make_open_project(owner=ClientFactory(), title="Shop"), ExpertFactory())
    chat = Conversation.objects.get(key=f"bid:{bid.pk}")
    Conversation.objects.filter(pk=chat.pk).update(subject="", title="Bid on “Shop”")
    odd = services.open_conversation(key="odd", kind="bid", subject="")
    Conversation.objects.filter(pk=odd.pk).update(title="Typed by staff")
    migration.forward(apps, None)
    chat.refresh_from_db()
    odd.refresh_from_db()
    assert (chat.subject, chat.title) == ("Shop", "")
    assert (odd.subject, odd.title, str(odd.heading)) == ("", "Typed by staff", "Typed by staff")
    assert _heading(chat, "de") == "Angebot zu „Shop“"
    migration.backward(apps, None)
    chat.refresh_from_db()
    assert chat.title == "Bid on “Shop”"
