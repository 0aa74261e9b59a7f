"""The default milestone of a contract without a plan and the changes to a milestone plan are
stored as flags, codes and params, and written in the reader's language; what a party typed
stays as typed; old rows are read back."""

import importlib

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from bids import services
from bids.legacy_contract_text import legacy_change_line, legacy_change_lines
from bids.models import ContractChange, ContractMilestone
from bids.services import MilestoneInput
from escrow.memos import translated
from escrow.models import LedgerTransaction
from notifications.models import Notification
from projects.models import Project
from tests.bids.factories import award_and_confirm, make_open_project, place, plan
from tests.workspaces.factories import top_up
from workspaces import services as workspaces
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db

MIGRATION = "bids.migrations.0005_contract_text_codes"


@pytest.fixture(autouse=True)
def _money_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.SITE_URL = "http://testserver"


@pytest.fixture
def whole(project, expert):
    """A contract whose bid had no plan: one milestone in the platform's words."""
    return award_and_confirm(place(project, expert, amount=25_000, days=12))


def _input(step, **changes):
    values = {
        "id": step.pk,
        "title": str(step.shown_title),
        "amount": step.amount,
        "due_in_days": step.due_in_days,
        "description": str(step.shown_description),
    }
    values.update(changes)
    return MilestoneInput(**values)


def _page(client, user, url):
    client.force_login(user)
    return client.get(url).content.decode()


# --- the default milestone -----------------------------------------------------------------


def test_a_contract_without_a_plan_gets_the_default_milestone_in_the_platforms_words(whole):
    [only] = whole.milestones.all()
    assert only.default_wording
    assert (only.title, only.description) == ("Complete the project", "The whole scope as agreed.")
    with translation.override("de"):
        assert (str(only.shown_title), str(only.shown_description)) == (
            "Projekt fertigstellen",
            "Der gesamte vereinbarte Umfang.",
        )


def test_a_contract_with_a_plan_keeps_its_titles_as_typed(project, expert):
    contract = award_and_confirm(place(project, expert, amount=30_000, milestones=plan(30_000)))
    [only] = contract.milestones.all()
    assert not only.default_wording
    with translation.override("de"):
        assert str(only.shown_title) == "Step 1"


def test_a_direct_contract_gets_the_default_milestone(project, expert):
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        contract = services.make_direct_contract(
            project=locked, expert=expert, amount=9_000, days=3, proposal="At your price."
        )
    [only] = contract.milestones.all()
    assert (only.default_wording, only.amount) == (True, 9_000)


def test_the_workspace_and_the_contract_show_the_default_milestone_in_the_readers_language(
    client, whole
):
    workspace = workspaces.open_workspace(contract=whole)
    client_user = whole.client
    client_user.language = "de"
    client_user.save(update_fields=["language"])
    for url in (workspace.get_absolute_url(), reverse("bids:contract", args=[whole.pk])):
        german = _page(client, client_user, url)
        assert "Projekt fertigstellen" in german
        assert "Complete the project" not in german
        english = _page(client, whole.expert, url)
        assert "Complete the project" in english
        assert "Projekt fertigstellen" not in english


def test_a_notification_names_the_default_milestone_in_the_recipients_language(whole):
    whole.client.language = "de"
    whole.client.save(update_fields=["language"])
    workspace = workspaces.open_workspace(contract=whole)
    milestone = workspace.milestones.get()
    with translation.override("en"):
        workspaces.request_start(milestone=milestone, by=whole.expert)
    told = Notification.objects.get(user=whole.client, kind="workspaces.start_requested")
    assert told.title.startswith("„Projekt fertigstellen“ starten: Der Experte ist bereit")


def test_the_ledger_names_the_default_milestone_in_the_readers_language(client, whole):
    workspace = workspaces.open_workspace(contract=whole)
    milestone = workspace.milestones.get()
    top_up(whole.client, 30_000)
    with translation.override("en"):
        workspaces.request_start(milestone=milestone, by=whole.expert)
        workspaces.start_milestone(milestone=milestone, by=whole.client, source="balance")
    memo = LedgerTransaction.objects.get(kind="escrow_fund").memo
    assert memo.endswith("· Complete the project")
    whole.client.language = "de"
    whole.client.save(update_fields=["language"])
    html = _page(client, whole.client, reverse("escrow:balance"))
    assert "· Projekt fertigstellen" in html
    assert "Complete the project" not in html


@pytest.mark.parametrize(
    ("stored", "language", "shown"),
    [
        (
            "Funds held for “Shop” · Complete the project",
            "de",
            "Treuhänderisch verwahrt für “Shop” · Projekt fertigstellen",
        ),
        # Written while a German reader posted it: an English reader reads English.
        (
            "Released: „Shop“ · Projekt fertigstellen",
            "en",
            "Released: „Shop“ · Complete the project",
        ),
        ("Quality control of “Complete the project” (v1)", "de", None),
        # A typed title that only contains the words stays as typed.
        (
            "Released: “Shop” · Complete the project now",
            "de",
            "Freigegeben: “Shop” · Complete the project now",
        ),
    ],
)
def test_memos_name_the_default_milestone_in_the_readers_language(stored, language, shown):
    with translation.override(language):
        result = translated(stored)
    if shown is None:
        assert "„Projekt fertigstellen“" in result or "“Projekt fertigstellen”" in result
    else:
        assert result == shown


def test_renaming_the_default_milestone_keeps_the_typed_title(whole, expert):
    [only] = whole.milestones.all()
    services.replan_milestones(
        contract=whole, by=expert, milestones=[_input(only, title="Ship the shop")]
    )
    only.refresh_from_db()
    assert (only.default_wording, only.title) == (False, "Ship the shop")
    assert only.description == "The whole scope as agreed."
    with translation.override("de"):
        assert str(only.shown_title) == "Ship the shop"
        assert ContractChange.objects.get().shown_lines == [
            "„Projekt fertigstellen“ umbenannt in „Ship the shop“"
        ]


def test_a_plan_saved_from_a_german_form_keeps_the_default_milestone(whole, expert):
    [only] = whole.milestones.all()
    with translation.override("de"):
        services.replan_milestones(
            contract=whole,
            by=expert,
            milestones=[
                _input(only, amount=20_000),
                MilestoneInput(title="Extras", amount=5_000, due_in_days=14),
            ],
        )
    only.refresh_from_db()
    assert only.default_wording
    assert only.title == "Complete the project"
    change = ContractChange.objects.get()
    assert change.lines[0] == {
        "code": "amount",
        "title": None,
        "from": 25_000,
        "to": 20_000,
        "currency": "EUR",
    }
    assert not any(line["code"] in {"renamed", "description"} for line in change.lines)


def test_old_default_milestones_are_flagged_and_typed_ones_are_not(project, expert, whole):
    migration = importlib.import_module(MIGRATION)
    typed = award_and_confirm(
        place(
            make_open_project(owner=project.owner),
            expert,
            amount=30_000,
            milestones=[
                MilestoneInput(
                    title="Complete the project", amount=30_000, due_in_days=5, description="Mine"
                )
            ],
        )
    )
    ContractMilestone.objects.update(default_wording=False)
    migration.forward(apps, None)
    assert whole.milestones.get().default_wording
    assert not typed.milestones.get().default_wording


# --- changes to the plan -------------------------------------------------------------------


@pytest.fixture
def planned(project, expert):
    return award_and_confirm(place(project, expert, amount=30_000, milestones=plan(10_000, 20_000)))


def test_a_change_keeps_codes_and_amounts_and_reads_in_both_languages(planned, expert):
    _first, second = planned.milestones.all()
    services.replan_milestones(
        contract=planned,
        by=expert,
        milestones=[
            _input(second, title="Drafts", amount=8_000, due_in_days=20, description="New"),
            MilestoneInput(title="Final files", amount=22_000, due_in_days=30),
        ],
    )
    change = ContractChange.objects.get()
    assert change.summary == ""
    assert change.lines == [
        {"code": "removed", "title": "Step 1", "amount": 10_000, "currency": "EUR"},
        {"code": "renamed", "old": "Step 2", "new": "Drafts"},
        {"code": "amount", "title": "Drafts", "from": 20_000, "to": 8_000, "currency": "EUR"},
        {"code": "due", "title": "Drafts", "from": 14, "to": 20},
        {"code": "description", "title": "Drafts"},
        {"code": "added", "title": "Final files", "amount": 22_000, "currency": "EUR"},
    ]
    with translation.override("en"):
        assert change.shown_lines == [
            "Removed “Step 1” (€100.00)",
            "Renamed “Step 2” to “Drafts”",
            "“Drafts”: €200.00 → €80.00",
            "“Drafts”: due on day 14 → 20",
            "“Drafts”: description changed",
            "Added “Final files” (€220.00)",
        ]
    with translation.override("de"):
        assert change.shown_lines == [
            "„Step 1“ entfernt (€100,00)",
            "„Step 2“ umbenannt in „Drafts“",
            "„Drafts“: €200,00 → €80,00",
            "„Drafts“: fällig an Tag 14 → 20",
            "„Drafts“: Beschreibung geändert",
            "„Final files“ hinzugefügt (€220,00)",
        ]


def test_the_client_reads_the_changes_in_their_language(client, planned, expert):
    planned.client.language = "de"
    planned.client.save(update_fields=["language"])
    first, second = planned.milestones.all()
    with translation.override("en"):
        services.replan_milestones(
            contract=planned, by=expert, milestones=[_input(second), _input(first)]
        )
    told = Notification.objects.get(user=planned.client, kind="bids.milestones_changed")
    assert told.body == "Meilensteine neu geordnet"
    page = _page(client, planned.client, reverse("bids:contract", args=[planned.pk]))
    assert "Meilensteine neu geordnet" in page
    assert "reordered" not in page


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Removed “Step 1” (€100.00)",
            {"code": "removed", "title": "Step 1", "amount": 10_000, "currency": "EUR"},
        ),
        (
            "Added “A “quoted” step” (1.234,50 CHF)",
            {"code": "added", "title": "A “quoted” step", "amount": 123_450, "currency": "CHF"},
        ),
        (
            "Renamed “Complete the project” to “Drafts”",
            {"code": "renamed", "old": None, "new": "Drafts"},
        ),
        (
            "“Drafts”: €200.00 → €80.00",
            {"code": "amount", "title": "Drafts", "from": 20_000, "to": 8_000, "currency": "EUR"},
        ),
        (
            "“Complete the project”: due on day 14 → 20",
            {"code": "due", "title": None, "from": 14, "to": 20},
        ),
        ("“Drafts”: description changed", {"code": "description", "title": "Drafts"}),
        ("Milestones reordered", {"code": "reordered"}),
        ("Something typed", {"code": "text", "text": "Something typed"}),
        ("Removed “Step 1” (lots)", {"code": "text", "text": "Removed “Step 1” (lots)"}),
    ],
)
def test_old_change_lines_are_read_back(line, expected):
    assert legacy_change_line(line) == expected


def test_old_changes_are_migrated_and_back(planned, expert):
    migration = importlib.import_module(MIGRATION)
    first, second = planned.milestones.all()
    services.replan_milestones(
        contract=planned, by=expert, milestones=[_input(second), _input(first)]
    )
    stored = "Renamed “Step 2” to “Drafts”\nSomething typed\nMilestones reordered"
    ContractChange.objects.update(lines=[], summary=stored)
    migration.forward(apps, None)
    change = ContractChange.objects.get()
    assert (change.lines, change.summary) == (legacy_change_lines(stored), "")
    with translation.override("de"):
        assert change.shown_lines == [
            "„Step 2“ umbenannt in „Drafts“",
            "Something typed",
            "Meilensteine neu geordnet",
        ]
    migration.backward(apps, None)
    change.refresh_from_db()
    assert change.summary == stored


def test_a_milestone_typed_before_is_shown_as_typed():
    assert str(Milestone(contract_milestone=ContractMilestone(title="Mine")).title) == "Mine"
