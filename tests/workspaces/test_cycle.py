"""The milestone cycle: each transition and each refusal (nothing moves on a refusal)."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bids.exceptions import NotAllowed as BidNotAllowed
from bids.services import replan_milestones
from escrow.models import HeldFunds, LedgerTransaction
from projects.models import Project
from tests.bids.factories import plan
from tests.workspaces.factories import (
    ExpertFactory,
    balance_of,
    make_workspace,
    milestone_at,
    top_up,
)
from workspaces import selectors, services
from workspaces.exceptions import InvalidInput, InvalidTransition, NotAllowed, WorkspaceError
from workspaces.models import Delivery, Milestone, Revision, Workspace, WorkspaceEvent

pytestmark = pytest.mark.django_db
S = Milestone.Status


def snapshot(workspace):
    return (
        list(workspace.milestones.order_by("pk").values_list("status", "funded_amount")),
        WorkspaceEvent.objects.count(),
        LedgerTransaction.objects.count(),
        Delivery.objects.count(),
        Revision.objects.count(),
        HeldFunds.objects.count(),
    )


def first(workspace) -> Milestone:
    return workspace.milestones.order_by("pk").first()


def test_open_workspace_creates_one_milestone_per_contract_milestone(workspace):
    again = services.open_workspace(contract=workspace.contract)
    assert again.pk == workspace.pk == workspace.contract.pk
    assert workspace.milestones.count() == 2
    assert set(workspace.milestones.values_list("status", flat=True)) == {S.PLANNED}
    assert workspace.conversation is not None


def test_request_start_moves_planned_to_start_requested_and_tells_the_client(
    workspace, expert, client_user
):
    milestone = services.request_start(milestone=first(workspace), by=expert)
    assert milestone.status == S.START_REQUESTED
    event = WorkspaceEvent.objects.get(milestone=milestone)
    assert (event.by, event.from_status, event.to_status) == (expert, S.PLANNED, S.START_REQUESTED)
    assert client_user.notifications.filter(kind="workspaces.start_requested").exists()


def test_request_start_refuses_the_client(workspace, client_user):
    before = snapshot(workspace)
    with pytest.raises(NotAllowed):
        services.request_start(milestone=first(workspace), by=client_user)
    assert snapshot(workspace) == before


def test_start_from_balance_holds_the_amount_and_moves_to_in_progress(
    workspace, expert, client_user
):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    top_up(client_user, 50_000)
    result = services.start_milestone(milestone=milestone, by=client_user, source="balance")
    assert result.paid
    milestone.refresh_from_db()
    assert milestone.status == S.IN_PROGRESS
    assert milestone.funded_amount == 30_000
    assert balance_of(client_user) == 20_000
    held = HeldFunds.objects.get(reference=milestone.reference)
    assert held.status == HeldFunds.Status.FUNDED
    assert held.amount == 30_000


def test_start_refuses_a_milestone_whose_start_was_not_requested(workspace, client_user):
    top_up(client_user, 50_000)
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition, match="not asked to start"):
        services.start_milestone(milestone=first(workspace), by=client_user, source="balance")
    assert snapshot(workspace) == before


def test_start_refuses_when_the_balance_is_too_low(workspace, client_user):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    top_up(client_user, 100)
    before = snapshot(workspace)
    with pytest.raises(WorkspaceError, match="balance is too low"):
        services.start_milestone(milestone=milestone, by=client_user, source="balance")
    assert snapshot(workspace) == before
    assert balance_of(client_user) == 100


def test_start_refuses_the_expert(workspace, expert):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    before = snapshot(workspace)
    with pytest.raises(NotAllowed):
        services.start_milestone(milestone=milestone, by=expert, source="balance")
    assert snapshot(workspace) == before


def test_second_start_is_refused_and_pays_nothing_more(workspace, client_user):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    top_up(client_user, 50_000)
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition, match="already started"):
        services.start_milestone(milestone=milestone, by=client_user, source="balance")
    assert snapshot(workspace) == before
    assert balance_of(client_user) == 50_000


def test_start_by_card_waits_for_the_payment_then_moves_to_in_progress(
    workspace, client_user, django_capture_on_commit_callbacks
):
    from escrow.services.payments import fulfil_checkout

    milestone = milestone_at(workspace, S.START_REQUESTED)
    result = services.start_milestone(
        milestone=milestone, by=client_user, source="card", return_url="/workspaces/"
    )
    assert not result.paid
    assert "/money/demo-checkout/" in result.redirect_url
    milestone.refresh_from_db()
    assert milestone.status == S.AWAITING_PAYMENT
    checkout = HeldFunds.objects.get(reference=milestone.reference).checkouts.get()
    with django_capture_on_commit_callbacks(execute=True):
        fulfil_checkout(checkout_id=checkout.pk, charge_ref="demo_ch_1")
    milestone.refresh_from_db()
    assert milestone.status == S.IN_PROGRESS
    assert milestone.funded_amount == 30_000
    assert balance_of(client_user) == 0


def test_deliver_before_funding_is_refused(workspace, expert):
    milestone = milestone_at(workspace, S.START_REQUESTED)
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition, match="not funded yet"):
        services.deliver_milestone(milestone=milestone, by=expert, note="Done")
    assert snapshot(workspace) == before


def test_delivery_without_file_or_note_is_refused(workspace, expert):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    before = snapshot(workspace)
    with pytest.raises(InvalidInput, match="file or a note"):
        services.deliver_milestone(milestone=milestone, by=expert, note="   ", files=[])
    assert snapshot(workspace) == before


def test_delivery_with_a_file_too_large_is_refused(workspace, expert):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    big = SimpleUploadedFile("big.zip", b"x" * 2048)
    before = snapshot(workspace)
    with pytest.raises(InvalidInput, match="larger than"):
        services.deliver_milestone(milestone=milestone, by=expert, note="Big", files=[big])
    assert snapshot(workspace) == before
    assert not workspace.files.exists()


def test_deliver_stores_versioned_files_and_sets_the_auto_approval_time(
    workspace, expert, client_user
):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    upload = SimpleUploadedFile("logo.svg", b"<svg/>")
    delivery = services.deliver_milestone(
        milestone=milestone, by=expert, note="First draft", files=[upload]
    )
    milestone.refresh_from_db()
    assert milestone.status == S.DELIVERED
    assert delivery.version == 1
    assert delivery.files.get().name == "logo.svg"
    assert milestone.auto_approve_at - milestone.delivered_at == timedelta(days=14)
    assert client_user.notifications.filter(kind="workspaces.delivered").exists()


def test_mark_as_completed_releases_the_funds_minus_the_fee(workspace, expert, client_user):
    milestone = milestone_at(workspace, S.DELIVERED)
    services.complete_milestone(milestone=milestone, by=client_user)
    milestone.refresh_from_db()
    assert milestone.status == S.COMPLETED
    assert balance_of(expert) == 27_000  # 300.00 - 10 % fee
    assert HeldFunds.objects.get(reference=milestone.reference).fee == 3_000


def test_complete_twice_is_refused(workspace, expert, client_user):
    milestone = milestone_at(workspace, S.COMPLETED)
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition, match="already completed"):
        services.complete_milestone(milestone=milestone, by=client_user)
    assert snapshot(workspace) == before
    assert balance_of(expert) == 27_000


def test_complete_refuses_the_expert(workspace, expert):
    milestone = milestone_at(workspace, S.DELIVERED)
    before = snapshot(workspace)
    with pytest.raises(NotAllowed):
        services.complete_milestone(milestone=milestone, by=expert)
    assert snapshot(workspace) == before


def test_complete_refuses_work_not_delivered(workspace, client_user):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition):
        services.complete_milestone(milestone=milestone, by=client_user)
    assert snapshot(workspace) == before


def test_revision_without_comments_is_refused(workspace, client_user):
    milestone = milestone_at(workspace, S.DELIVERED)
    before = snapshot(workspace)
    with pytest.raises(InvalidInput, match="needs comments"):
        services.request_revision(milestone=milestone, by=client_user, comments="  ")
    assert snapshot(workspace) == before


def test_revision_within_the_agreed_number_is_free_and_redelivery_makes_version_two(
    workspace, expert, client_user
):
    milestone = milestone_at(workspace, S.DELIVERED)
    revision = services.request_revision(
        milestone=milestone, by=client_user, comments="Bigger letters"
    )
    assert revision.fee == 0
    milestone.refresh_from_db()
    assert milestone.status == S.REVISION_REQUESTED
    assert milestone.auto_approve_at is None
    delivery = services.deliver_milestone(milestone=milestone, by=expert, note="Bigger now")
    assert delivery.version == 2


def test_revision_beyond_the_agreed_number_carries_a_fee_paid_to_the_expert(
    workspace, expert, client_user
):
    milestone = milestone_at(workspace, S.DELIVERED)
    services.request_revision(milestone=milestone, by=client_user, comments="Once")
    services.deliver_milestone(milestone=milestone, by=expert, note="v2")
    revision = services.request_revision(milestone=milestone, by=client_user, comments="Again")
    assert revision.fee == 5_000
    milestone.refresh_from_db()
    assert milestone.status == S.REVISION_FEE_DUE
    with pytest.raises(InvalidTransition):
        services.deliver_milestone(milestone=milestone, by=expert, note="too early")
    top_up(client_user, 5_000)
    services.pay_revision_fee(milestone=milestone, by=client_user, source="balance")
    milestone.refresh_from_db()
    revision.refresh_from_db()
    assert milestone.status == S.REVISION_REQUESTED
    assert revision.fee_status == Revision.Fee.PAID
    assert balance_of(client_user) == 0
    assert balance_of(expert) == 4_500


def test_out_of_scope_revision_carries_a_fee_even_the_first_time(workspace, client_user):
    milestone = milestone_at(workspace, S.DELIVERED)
    revision = services.request_revision(
        milestone=milestone, by=client_user, comments="Add a mascot", out_of_scope=True
    )
    assert revision.fee == 5_000
    services.withdraw_revision(milestone=milestone, by=client_user)
    milestone.refresh_from_db()
    assert milestone.status == S.DELIVERED
    assert milestone.auto_approve_at is not None


def test_last_milestone_completed_completes_workspace_and_project_and_invites_reviews(
    workspace, expert, client_user
):
    milestone_at(workspace, S.COMPLETED, index=0)
    milestone_at(workspace, S.COMPLETED, index=1)
    workspace.refresh_from_db()
    assert workspace.status == Workspace.Status.COMPLETED
    assert workspace.completed_at is not None
    assert Project.objects.get(pk=workspace.contract.project_id).status == "completed"
    assert selectors.review_eligibility(workspace.contract)
    review_page = reverse("reviews:contract", args=[workspace.contract.pk])
    for user in (expert, client_user):
        # The completing event's one notification asks for the review and links to it.
        assert user.notifications.filter(url=review_page).count() == 1
    assert balance_of(expert) == 27_000 + 18_000


def test_review_eligibility_is_false_while_work_remains(workspace):
    milestone_at(workspace, S.COMPLETED, index=0)
    assert not selectors.review_eligibility(workspace.contract)


def test_milestone_plan_cannot_change_once_a_milestone_started(workspace, expert):
    milestone_at(workspace, S.START_REQUESTED)
    with pytest.raises(BidNotAllowed, match="can no longer change"):
        replan_milestones(contract=workspace.contract, by=expert, milestones=plan(25_000, 25_000))


def test_milestone_plan_changes_before_start_reach_the_workspace(workspace, expert):
    replan_milestones(
        contract=workspace.contract, by=expert, milestones=plan(10_000, 20_000, 20_000)
    )
    services.open_workspace(contract=workspace.contract)
    assert sorted(m.amount for m in workspace.milestones.all()) == [10_000, 20_000, 20_000]


def test_auto_approval_reminds_at_three_and_one_days_then_releases(workspace, expert, client_user):
    milestone = milestone_at(workspace, S.DELIVERED)
    due = milestone.auto_approve_at
    assert services.auto_approve_due(now=due - timedelta(days=5)) == {
        "reminded_1": 0,
        "reminded_3": 0,
        "approved": 0,
    }
    assert services.auto_approve_due(now=due - timedelta(days=2, hours=23))["reminded_3"] == 1
    assert services.auto_approve_due(now=due - timedelta(days=2))["reminded_3"] == 0
    assert services.auto_approve_due(now=due - timedelta(hours=20))["reminded_1"] == 1
    reminders = client_user.notifications.filter(kind="workspaces.auto_approval_reminder")
    assert reminders.count() == 2
    assert services.auto_approve_due(now=due + timedelta(minutes=1))["approved"] == 1
    assert services.auto_approve_due(now=due + timedelta(minutes=2))["approved"] == 0
    milestone.refresh_from_db()
    assert milestone.status == S.COMPLETED
    assert balance_of(expert) == 27_000
    event = WorkspaceEvent.objects.get(action=WorkspaceEvent.Action.APPROVED_AUTOMATICALLY)
    assert event.params == {"net": 27_000, "fee": 3_000, "currency": "EUR"}


def test_auto_approval_task_runs_the_service(workspace, expert):
    from workspaces.tasks import auto_approve_due

    milestone = milestone_at(workspace, S.DELIVERED)
    type(milestone).objects.filter(pk=milestone.pk).update(
        auto_approve_at=timezone.now() - timedelta(minutes=1)
    )
    assert auto_approve_due.delay().get()["approved"] == 1
    assert balance_of(expert) == 27_000


def test_outsider_cannot_act_on_a_milestone(workspace):
    outsider = ExpertFactory()
    milestone = milestone_at(workspace, S.DELIVERED)
    before = snapshot(workspace)
    with pytest.raises(NotAllowed):
        services.complete_milestone(milestone=milestone, by=outsider)
    with pytest.raises(NotAllowed):
        services.request_revision(milestone=milestone, by=outsider, comments="x")
    assert snapshot(workspace) == before


def test_workspace_of_a_second_contract_is_separate():
    one = make_workspace(10_000)
    two = make_workspace(10_000)
    assert one.pk != two.pk
    assert one.milestones.get().workspace_id == one.pk


def test_revision_fee_paid_by_card_starts_the_revision_when_the_payment_confirms(
    workspace, expert, client_user
):
    from escrow.services.payments import fulfil_checkout

    milestone = milestone_at(workspace, S.DELIVERED)
    revision = services.request_revision(
        milestone=milestone, by=client_user, comments="Add a mascot", out_of_scope=True
    )
    result = services.pay_revision_fee(milestone=milestone, by=client_user, source="card")
    assert not result.paid
    checkout = HeldFunds.objects.get(reference=revision.reference).checkouts.get()
    fulfil_checkout(checkout_id=checkout.pk, charge_ref="demo_rev")
    milestone.refresh_from_db()
    assert milestone.status == S.REVISION_REQUESTED
    assert balance_of(expert) == 4_500


def test_held_funds_for_references_nobody_runs_are_left_alone(client_user, expert):
    from escrow.services import fund_escrow

    top_up(client_user, 1_000)
    held = fund_escrow(
        payer=client_user,
        payee=expert,
        reference="milestone:999999",
        amount=1_000,
        source="balance",
    )
    assert held.status == HeldFunds.Status.FUNDED
