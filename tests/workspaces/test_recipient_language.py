"""Notifications are written in the recipient's language, amounts included: an English sender
(the active language while the service runs) never formats a German recipient's amount."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from escrow.services.adjustments import adjust_balance
from notifications.models import Notification
from tests.factories import ExpertFactory, StaffFactory
from tests.workspaces.factories import ClientFactory, make_workspace, milestone_at
from workspaces import services
from workspaces.models import Dispute, Milestone

pytestmark = pytest.mark.django_db
S = Milestone.Status

GERMAN_AMOUNT = "€1.234,50"
ENGLISH_AMOUNT = "€1,234.50"


def _latest(user, kind: str) -> Notification:
    return Notification.objects.filter(user=user, kind=kind).latest("pk")


def test_the_german_client_reads_the_amount_to_fund_in_german():
    workspace = make_workspace(123_450, owner=ClientFactory(language="de"))
    milestone = workspace.milestones.get()
    with translation.override("en"):
        services.request_start(milestone=milestone, by=workspace.contract.expert)

    told = _latest(workspace.contract.client, "workspaces.start_requested")
    assert told.body == f"Zahlen Sie {GERMAN_AMOUNT} ein, um die Arbeit zu starten."
    assert ENGLISH_AMOUNT not in told.body


def test_the_german_expert_reads_the_held_and_released_amounts_in_german():
    workspace = make_workspace(123_450, expert=ExpertFactory(language="de"))
    expert = workspace.contract.expert
    with translation.override("en"):
        milestone = milestone_at(workspace, S.IN_PROGRESS)
        services.deliver_milestone(milestone=milestone, by=expert, note="Done")
        services.complete_milestone(milestone=milestone, by=workspace.contract.client)

    funded = _latest(expert, "workspaces.milestone_started")
    assert GERMAN_AMOUNT in funded.body
    completed = _latest(expert, "workspaces.completed")
    assert "€1.111,05" in completed.body  # after the 10 % fee
    assert "€123,45" in completed.body
    assert "€1,111.05" not in completed.body


def test_a_split_decision_is_written_in_each_partys_language():
    workspace = make_workspace(123_450, expert=ExpertFactory(language="de"))
    client, expert = workspace.contract.client, workspace.contract.expert
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    with translation.override("en"):
        dispute = services.open_dispute(milestone=milestone, by=client, reason="Half is missing")
        services.resolve_dispute(
            dispute=dispute, by=StaffFactory(), outcome=Dispute.Outcome.SPLIT, payee_amount=60_000
        )

    german = _latest(expert, "workspaces.dispute_decided")
    english = _latest(client, "workspaces.dispute_decided")
    assert german.body.startswith("Aufgeteilt: €600,00 an den Experten")
    assert "€634,50 zurück an den Auftraggeber" in german.body
    assert english.body.startswith("Split: €600.00 to the expert")
    assert "€634.50 back to the client" in english.body


def test_a_staff_credit_is_announced_in_german_to_a_german_user(
    django_capture_on_commit_callbacks,
):
    expert = ExpertFactory(language="de")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        adjust_balance(
            user=expert,
            by=StaffFactory(),
            direction="credit",
            amount=123_450,
            reason="Goodwill",
            key=uuid.uuid4().hex,
        )

    told = _latest(expert, "escrow.balance_adjusted")
    assert told.title == f"Wir haben Ihrem Guthaben {GERMAN_AMOUNT} gutgeschrieben"


def test_the_workspace_start_button_reads_starten_in_german(client):
    workspace = make_workspace(30_000, owner=ClientFactory(language="de"))
    milestone = milestone_at(workspace, S.START_REQUESTED)
    client.force_login(workspace.contract.client)

    response = client.get(workspace.get_absolute_url())

    start_url = reverse("workspaces:start", args=[workspace.pk, milestone.pk])
    html = response.content.decode()
    link = html.split(f'href="{start_url}"', 1)[1].split("</a>", 1)[0]
    assert link.strip().endswith(">Starten")
