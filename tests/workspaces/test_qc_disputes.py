"""QC, termination and disputes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from escrow.models import HeldFunds
from projects.models import Project
from tests.workspaces.factories import (
    ExpertFactory,
    balance_of,
    make_workspace,
    milestone_at,
)
from tests.workspaces.test_cycle import snapshot
from workspaces import selectors, services
from workspaces.exceptions import InvalidInput, InvalidTransition, NotAllowed
from workspaces.models import Delivery, Dispute, Milestone, Workspace

pytestmark = pytest.mark.django_db
S = Milestone.Status


@pytest.fixture
def qc_workspace(db):
    return make_workspace(30_000, additional_qc=True)


def test_qc_project_delivery_goes_to_qc_and_client_does_not_see_it(qc_workspace, staff):
    reviewer = ExpertFactory()
    services.assign_qc_reviewer(workspace=qc_workspace, by=staff, reviewer=reviewer)
    milestone = milestone_at(qc_workspace, S.IN_PROGRESS)
    expert = qc_workspace.contract.expert
    services.deliver_milestone(
        milestone=milestone, by=expert, note="Draft", files=[SimpleUploadedFile("a.pdf", b"%PDF")]
    )
    milestone.refresh_from_db()
    assert milestone.status == S.IN_QC
    assert reviewer.notifications.filter(kind="workspaces.qc_requested").exists()
    seen = selectors.milestones_of(qc_workspace, role="client")[0]
    assert list(seen.deliveries.all()) == []
    item = Delivery.objects.get().files.get()
    with pytest.raises(Exception, match="No such file"):
        selectors.get_file_for(
            user=qc_workspace.contract.client, workspace_pk=qc_workspace.pk, pk=item.pk
        )


def test_qc_approval_shows_the_delivery_and_pays_the_qc_fee_once(qc_workspace, staff):
    reviewer = ExpertFactory()
    services.assign_qc_reviewer(workspace=qc_workspace, by=staff, reviewer=reviewer)
    milestone = milestone_at(qc_workspace, S.IN_PROGRESS)
    services.deliver_milestone(milestone=milestone, by=qc_workspace.contract.expert, note="v1")
    services.approve_delivery(milestone=milestone, by=reviewer, note="Fine")
    milestone.refresh_from_db()
    assert milestone.status == S.DELIVERED
    assert milestone.auto_approve_at is not None
    assert balance_of(reviewer) == 2_500
    seen = selectors.milestones_of(qc_workspace, role="client")[0]
    assert [d.version for d in seen.deliveries.all()] == [1]
    with pytest.raises(InvalidTransition):
        services.approve_delivery(milestone=milestone, by=reviewer)
    assert balance_of(reviewer) == 2_500


def test_qc_request_for_changes_needs_comments_and_sends_work_back(qc_workspace, staff):
    milestone = milestone_at(qc_workspace, S.IN_PROGRESS)
    services.deliver_milestone(milestone=milestone, by=qc_workspace.contract.expert, note="v1")
    before = snapshot(qc_workspace)
    with pytest.raises(InvalidInput):
        services.request_qc_changes(milestone=milestone, by=staff, comments="")
    assert snapshot(qc_workspace) == before
    services.request_qc_changes(milestone=milestone, by=staff, comments="Fix the colours")
    milestone.refresh_from_db()
    assert milestone.status == S.REVISION_REQUESTED
    assert Delivery.objects.get().qc_status == Delivery.QC.CHANGES


def test_qc_refuses_the_client_and_the_expert(qc_workspace):
    milestone = milestone_at(qc_workspace, S.IN_PROGRESS)
    services.deliver_milestone(milestone=milestone, by=qc_workspace.contract.expert, note="v1")
    before = snapshot(qc_workspace)
    for who in (qc_workspace.contract.client, qc_workspace.contract.expert):
        with pytest.raises(NotAllowed):
            services.approve_delivery(milestone=milestone, by=who)
    assert snapshot(qc_workspace) == before


def test_qc_reviewer_must_be_outside_the_contract(qc_workspace, staff):
    with pytest.raises(InvalidInput):
        services.assign_qc_reviewer(
            workspace=qc_workspace, by=staff, reviewer=qc_workspace.contract.expert
        )
    with pytest.raises(NotAllowed):
        services.assign_qc_reviewer(
            workspace=qc_workspace, by=qc_workspace.contract.client, reviewer=ExpertFactory()
        )


def test_terminate_refunds_funded_work_and_disputes_delivered_work(staff):
    workspace = make_workspace(30_000, 20_000, 10_000)
    client, expert = workspace.contract.client, workspace.contract.expert
    delivered = milestone_at(workspace, S.DELIVERED, index=0)
    funded = milestone_at(workspace, S.IN_PROGRESS, index=1)
    planned = workspace.milestones.order_by("pk")[2]
    services.terminate_contract(workspace=workspace, by=client, reason="Plans changed")
    statuses = dict(workspace.milestones.values_list("pk", "status"))
    assert statuses == {delivered.pk: S.DISPUTED, funded.pk: S.REFUNDED, planned.pk: S.CANCELLED}
    assert balance_of(client) == 20_000
    assert HeldFunds.objects.get(reference=delivered.reference).status == "funded"
    workspace.refresh_from_db()
    assert workspace.status == Workspace.Status.DISPUTED
    assert workspace.terminated_at is not None
    assert Project.objects.get(pk=workspace.contract.project_id).status == "cancelled"
    assert expert.notifications.filter(kind="workspaces.terminated").exists()
    dispute = Dispute.objects.get(milestone=delivered)
    services.resolve_dispute(dispute=dispute, by=staff, outcome="release")
    workspace.refresh_from_db()
    assert workspace.status == Workspace.Status.TERMINATED
    assert balance_of(expert) == 27_000


def test_terminate_twice_and_by_the_expert_is_refused(workspace, client_user, expert):
    before = snapshot(workspace)
    with pytest.raises(NotAllowed):
        services.terminate_contract(workspace=workspace, by=expert)
    assert snapshot(workspace) == before
    services.terminate_contract(workspace=workspace, by=client_user)
    with pytest.raises(InvalidTransition):
        services.terminate_contract(workspace=workspace, by=client_user)


def test_late_card_payment_after_termination_is_refunded(workspace, client_user):
    from escrow.services.payments import fulfil_checkout

    milestone = milestone_at(workspace, S.START_REQUESTED)
    services.start_milestone(milestone=milestone, by=client_user, source="card")
    services.terminate_contract(workspace=workspace, by=client_user)
    checkout = HeldFunds.objects.get(reference=milestone.reference).checkouts.get()
    fulfil_checkout(checkout_id=checkout.pk, charge_ref="demo_late")
    assert HeldFunds.objects.get(reference=milestone.reference).status == "refunded"
    assert balance_of(client_user) == 30_000


def test_dispute_without_a_reason_is_refused(workspace, expert):
    milestone = milestone_at(workspace, S.DELIVERED)
    before = snapshot(workspace)
    with pytest.raises(InvalidInput, match="Explain"):
        services.open_dispute(milestone=milestone, by=expert, reason=" ")
    assert snapshot(workspace) == before


def test_dispute_on_an_unfunded_milestone_is_refused(workspace, client_user):
    before = snapshot(workspace)
    with pytest.raises(InvalidTransition, match="only a funded milestone"):
        services.open_dispute(milestone=workspace.milestones.first(), by=client_user, reason="x")
    assert snapshot(workspace) == before


def test_dispute_split_is_exact_to_the_cent(workspace, client_user, expert, staff):
    milestone = milestone_at(workspace, S.DELIVERED)
    evidence = SimpleUploadedFile("chat.png", b"png")
    dispute = services.open_dispute(
        milestone=milestone, by=client_user, reason="Half of it is missing", files=[evidence]
    )
    assert dispute.files.count() == 1
    assert expert.notifications.filter(kind="workspaces.dispute_opened").exists()
    with pytest.raises(NotAllowed):
        services.respond_to_dispute(dispute=dispute, by=client_user, response="me too")
    services.respond_to_dispute(dispute=dispute, by=expert, response="It is all there")
    with pytest.raises(NotAllowed):
        services.resolve_dispute(dispute=dispute, by=expert, outcome="release")
    with pytest.raises(InvalidInput):
        services.resolve_dispute(dispute=dispute, by=staff, outcome="split", payee_amount=30_001)
    client_before = balance_of(client_user)
    services.resolve_dispute(dispute=dispute, by=staff, outcome="split", payee_amount=12_345)
    milestone.refresh_from_db()
    held = HeldFunds.objects.get(reference=milestone.reference)
    assert milestone.status == S.SPLIT
    assert held.fee == 1_235  # 10 % of 123.45 rounded half up
    assert balance_of(expert) == 12_345 - 1_235
    assert balance_of(client_user) - client_before == 30_000 - 12_345
    assert held.fee + held.payee_net + held.payer_refund == 30_000
    with pytest.raises(InvalidTransition):
        services.resolve_dispute(dispute=dispute, by=staff, outcome="refund")


def test_dispute_refund_returns_the_money_to_the_client(workspace, client_user, expert, staff):
    milestone = milestone_at(workspace, S.IN_PROGRESS)
    dispute = services.open_dispute(milestone=milestone, by=expert, reason="Client vanished")
    workspace.refresh_from_db()
    assert workspace.status == Workspace.Status.DISPUTED
    services.resolve_dispute(dispute=dispute, by=staff, outcome="refund", note="Fair")
    assert balance_of(client_user) == 30_000
    workspace.refresh_from_db()
    assert workspace.status == Workspace.Status.ACTIVE


def test_shared_files_are_versioned_by_name(workspace, client_user, expert):
    first = services.upload_file(
        workspace=workspace, by=client_user, upload=SimpleUploadedFile("brief.txt", b"one")
    )
    second = services.upload_file(
        workspace=workspace, by=expert, upload=SimpleUploadedFile("brief.txt", b"two")
    )
    assert (first.version, second.version) == (1, 2)


def test_shared_file_too_large_or_from_an_outsider_is_refused(workspace, client_user):
    with pytest.raises(InvalidInput, match="larger than"):
        services.upload_file(
            workspace=workspace, by=client_user, upload=SimpleUploadedFile("a", b"x" * 2000)
        )
    with pytest.raises(NotAllowed):
        services.upload_file(
            workspace=workspace, by=ExpertFactory(), upload=SimpleUploadedFile("a", b"x")
        )
    assert not workspace.files.exists()


def test_video_call_posts_a_meeting_link_into_the_chat(workspace, expert):
    message = services.start_video_call(workspace=workspace, by=expert)
    assert "https://meet.example.org/guildhall-" in message.body
    assert message.conversation_id == workspace.conversation_id
