"""Invited fulfilment (Speedy, Contest, Booking): set-up, invitations, Accept, QC and rewards."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bids.models import Bid, Contract
from escrow.models import PendingCredit
from escrow.selectors import wallet_balance
from escrow.services import release_due_pending
from notifications.models import Notification
from projects.exceptions import InvalidTransition, NotAllowed, ProjectInvalid, ProjectTaken
from projects.models import Invitation, Project
from projects.services.fulfilment import (
    accept_invitation,
    create_invited_project,
    invite_to_fulfilment,
    reward_key,
)
from tests.factories import ClientFactory, ExpertFactory, StaffFactory
from tests.projects.fulfilment_factories import invited_values, make_invited_project
from workspaces.exceptions import NotAllowed as WorkspaceNotAllowed
from workspaces.models import Milestone
from workspaces.services import (
    approve_delivery,
    complete_milestone,
    deliver_milestone,
    request_qc_changes,
    request_revision,
)

pytestmark = pytest.mark.django_db


def _deliver(contract: Contract) -> Milestone:
    milestone = contract.workspace.milestones.get()
    deliver_milestone(
        milestone=milestone,
        by=contract.expert,
        note="Done",
        files=[SimpleUploadedFile("sheet.docx", b"translated")],
    )
    milestone.refresh_from_db()
    return milestone


def test_staff_create_an_invited_project_open_private_with_staff_qc():
    project, _ = make_invited_project(kind=Project.Kind.CONTEST, reward=15_000)
    assert project.status == Project.Status.OPEN
    assert project.visibility == Project.Visibility.PRIVATE
    assert project.additional_qc
    assert project.reward == 15_000
    assert project.budget_min == project.budget_max == 15_000
    assert project.history.filter(to_status=Project.Status.OPEN).count() == 1


def test_create_invited_project_refuses_a_non_staff_member():
    client = ClientFactory()
    with pytest.raises(NotAllowed):
        create_invited_project(
            by=client, client=client, kind="speedy", reward=1000, values=invited_values()
        )
    assert not Project.objects.exists()


def test_create_invited_project_refuses_no_reward_or_open_kind():
    staff = StaffFactory()
    with pytest.raises(ProjectInvalid) as caught:
        create_invited_project(
            by=staff, client=ClientFactory(), kind="open", reward=0, values=invited_values()
        )
    assert set(caught.value.errors) >= {"kind", "reward"}
    assert not Project.objects.exists()


def test_invited_experts_are_told_in_app_and_by_email(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _, experts = make_invited_project(experts=2)
    for expert in experts:
        notice = Notification.objects.get(user=expert, kind="projects.fulfilment_invited")
        assert "€200.00" in notice.body
    assert {m.to[0] for m in mail.outbox} >= {e.email for e in experts}


def test_inviting_someone_twice_invites_once():
    project, experts = make_invited_project(experts=1)
    again = invite_to_fulfilment(project=project, experts=experts, by=StaffFactory())
    assert again == []
    assert Invitation.objects.filter(project=project).count() == 1


def test_invite_refuses_an_account_that_is_not_an_expert():
    project, _ = make_invited_project(experts=1)
    with pytest.raises(NotAllowed):
        invite_to_fulfilment(project=project, experts=[ClientFactory()], by=StaffFactory())
    assert Invitation.objects.filter(project=project).count() == 1


def test_accepting_a_speedy_makes_the_contract_and_starts_the_work_at_once():
    project, (first, _) = make_invited_project()
    contract = accept_invitation(project=project, by=first, ip="10.0.0.7")
    project.refresh_from_db()
    assert project.status == Project.Status.IN_PROGRESS
    assert contract.expert == first
    assert contract.amount == project.reward
    assert contract.accepted_ip == "10.0.0.7"
    bid = contract.bid
    assert bid.status == Bid.Status.ACCEPTED
    assert bid.events.get().to_status == Bid.Status.ACCEPTED
    milestone = contract.workspace.milestones.get()
    assert milestone.status == Milestone.Status.IN_PROGRESS
    assert milestone.funded_amount == 0


def test_the_second_expert_finds_the_speedy_taken_and_nothing_moves():
    project, (first, second) = make_invited_project()
    accept_invitation(project=project, by=first)
    with pytest.raises(ProjectTaken):
        accept_invitation(project=project, by=second)
    assert Contract.objects.get().expert == first
    assert Bid.objects.count() == 1


def test_accepting_twice_is_refused_clearly():
    project, (first, _) = make_invited_project()
    accept_invitation(project=project, by=first)
    with pytest.raises(InvalidTransition):
        accept_invitation(project=project, by=first)
    assert Contract.objects.count() == 1


def test_accepting_without_an_invitation_is_refused_and_nothing_moves():
    project, _ = make_invited_project()
    with pytest.raises(NotAllowed):
        accept_invitation(project=project, by=ExpertFactory())
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN
    assert not Contract.objects.exists()
    assert not Bid.objects.exists()


def test_a_booking_is_accepted_by_the_invited_expert():
    project, (expert,) = make_invited_project(kind=Project.Kind.BOOKING, experts=1)
    contract = accept_invitation(project=project, by=expert)
    assert contract.workspace.milestones.get().status == Milestone.Status.IN_PROGRESS


def test_an_nda_project_is_not_accepted_without_the_nda():
    project, (expert, _) = make_invited_project(nda_required=True)
    with pytest.raises(NotAllowed):
        accept_invitation(project=project, by=expert, accept_nda=False)
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN
    assert not Contract.objects.exists()


def test_accepting_with_the_nda_records_when_and_the_text_version(settings):
    settings.NDA_VERSION = "2026-11"
    project, (expert, _) = make_invited_project(nda_required=True)
    contract = accept_invitation(project=project, by=expert, accept_nda=True, ip="10.0.0.8")
    assert contract.nda_accepted_at is not None
    assert contract.nda_version == "2026-11"
    assert contract.accepted_ip == "10.0.0.8"


def test_delivery_goes_to_qc_and_the_client_does_not_see_it_yet():
    project, (expert, _) = make_invited_project()
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    assert milestone.status == Milestone.Status.IN_QC
    assert not milestone.deliveries.get().visible_to_client


def test_qc_revision_request_emails_the_expert_with_the_comments(
    django_capture_on_commit_callbacks,
):
    project, (expert, _) = make_invited_project()
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_qc_changes(milestone=milestone, by=StaffFactory(), comments="Fix the glossary.")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.REVISION_REQUESTED
    assert [m.to for m in mail.outbox] == [[expert.email]]
    assert not PendingCredit.objects.exists()


def test_qc_approval_credits_the_reward_as_pending_due_in_30_days():
    project, (expert, _) = make_invited_project(reward=20_000)
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    delivery = approve_delivery(milestone=milestone, by=StaffFactory())
    pending = PendingCredit.objects.get(key=reward_key(project))
    assert pending.user == expert
    assert pending.amount == 20_000
    assert pending.due_at == delivery.qc_at + timedelta(days=30)
    summary = wallet_balance(expert)
    assert (summary.available, summary.pending) == (0, 20_000)


def test_the_reward_is_not_available_before_30_days_then_posted_once():
    project, (expert, _) = make_invited_project(reward=20_000)
    contract = accept_invitation(project=project, by=expert)
    approve_delivery(milestone=_deliver(contract), by=StaffFactory())
    now = timezone.now()
    assert release_due_pending(now=now + timedelta(days=29, hours=23)) == 0
    assert wallet_balance(expert).available == 0
    assert release_due_pending(now=now + timedelta(days=30, minutes=1)) == 1
    assert release_due_pending(now=now + timedelta(days=31)) == 0
    summary = wallet_balance(expert)
    assert (summary.available, summary.pending) == (20_000, 0)


def test_a_second_qc_approval_after_a_revision_credits_nothing_more():
    project, (expert, _) = make_invited_project(reward=20_000)
    contract = accept_invitation(project=project, by=expert)
    staff = StaffFactory()
    milestone = _deliver(contract)
    approve_delivery(milestone=milestone, by=staff)
    request_revision(milestone=milestone, by=contract.client, comments="Shorter title.")
    milestone = _deliver(contract)
    approve_delivery(milestone=milestone, by=staff)
    assert PendingCredit.objects.filter(user=expert).count() == 1
    assert wallet_balance(expert).pending == 20_000


def test_the_client_approves_without_any_held_funds():
    project, (expert, _) = make_invited_project()
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    approve_delivery(milestone=milestone, by=StaffFactory())
    complete_milestone(milestone=milestone, by=contract.client)
    milestone.refresh_from_db()
    project.refresh_from_db()
    assert milestone.status == Milestone.Status.COMPLETED
    assert project.status == Project.Status.COMPLETED


def test_an_out_of_scope_client_revision_carries_a_fee(settings):
    settings.WORKSPACE_REVISION_FEE = 3000
    project, (expert, _) = make_invited_project()
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    approve_delivery(milestone=milestone, by=StaffFactory())
    revision = request_revision(
        milestone=milestone, by=contract.client, comments="Add a new section.", out_of_scope=True
    )
    assert revision.fee == 3000
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.REVISION_FEE_DUE


def test_the_expert_cannot_approve_their_own_work_in_qc():
    project, (expert, _) = make_invited_project()
    contract = accept_invitation(project=project, by=expert)
    milestone = _deliver(contract)
    with pytest.raises(WorkspaceNotAllowed):
        approve_delivery(milestone=milestone, by=expert)
    assert not PendingCredit.objects.exists()


def test_nobody_can_bid_on_an_invited_project():
    from projects.selectors import can_bid

    project, _ = make_invited_project()
    allowed, reason = can_bid(project, ExpertFactory())
    assert not allowed
    assert "invitation" in reason


def test_the_expert_asks_a_fee_for_extra_work_and_staff_approve_it_credited_at_once():
    from projects.services.fulfilment import decide_extra_fee, request_extra_fee

    project, (expert, _) = make_invited_project()
    accept_invitation(project=project, by=expert)
    fee = request_extra_fee(project=project, by=expert, amount=2500, reason="A new chapter.")
    decide_extra_fee(request=fee, by=StaffFactory(), approve=True)
    fee.refresh_from_db()
    assert fee.status == fee.Status.APPROVED
    assert wallet_balance(expert).available == 2500


def test_a_refused_fee_needs_a_reason_and_credits_nothing():
    from projects.services.fulfilment import decide_extra_fee, request_extra_fee

    project, (expert, _) = make_invited_project()
    accept_invitation(project=project, by=expert)
    fee = request_extra_fee(project=project, by=expert, amount=2500, reason="A new chapter.")
    staff = StaffFactory()
    with pytest.raises(ProjectInvalid):
        decide_extra_fee(request=fee, by=staff, approve=False)
    decide_extra_fee(request=fee, by=staff, approve=False, note="Part of the brief.")
    fee.refresh_from_db()
    assert fee.status == fee.Status.REFUSED
    assert wallet_balance(expert).available == 0


def test_a_fee_is_decided_once():
    from projects.services.fulfilment import decide_extra_fee, request_extra_fee

    project, (expert, _) = make_invited_project()
    accept_invitation(project=project, by=expert)
    fee = request_extra_fee(project=project, by=expert, amount=2500, reason="A new chapter.")
    staff = StaffFactory()
    decide_extra_fee(request=fee, by=staff, approve=True)
    with pytest.raises(InvalidTransition):
        decide_extra_fee(request=fee, by=staff, approve=True)
    assert wallet_balance(expert).available == 2500


def test_only_the_working_expert_asks_for_a_fee_and_only_staff_decide():
    from projects.models import ExtraFeeRequest
    from projects.services.fulfilment import decide_extra_fee, request_extra_fee

    project, (expert, other) = make_invited_project()
    accept_invitation(project=project, by=expert)
    with pytest.raises(NotAllowed):
        request_extra_fee(project=project, by=other, amount=2500, reason="Me too.")
    fee = request_extra_fee(project=project, by=expert, amount=2500, reason="A new chapter.")
    with pytest.raises(NotAllowed):
        decide_extra_fee(request=fee, by=expert, approve=True)
    assert ExtraFeeRequest.objects.get().status == ExtraFeeRequest.Status.PENDING
    assert wallet_balance(expert).available == 0
