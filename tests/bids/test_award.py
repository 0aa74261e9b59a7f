"""Award → Confirm / Reject, withdrawing an award, and the contract it makes."""

import pytest

from bids import services
from bids.exceptions import InvalidTransition, NotAllowed
from bids.models import Bid, BidEvent, Contract
from messaging.models import Conversation
from notifications.models import Notification
from projects.models import Project
from tests.bids.factories import award_and_confirm, make_open_project, place, plan

pytestmark = pytest.mark.django_db


def _status(obj):
    obj.refresh_from_db()
    return obj.status


def test_award_bid_moves_bid_and_project_and_tells_the_expert(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    assert _status(bid) == Bid.Status.AWARDED
    assert _status(project) == Project.Status.AWARDED
    assert Notification.objects.filter(user=expert, kind="bids.awarded").exists()
    assert project.history.filter(to_status=Project.Status.AWARDED).count() == 1


def test_award_bid_refuses_second_award(project, expert, other_expert):
    first = place(project, expert)
    second = place(project, other_expert)
    services.award_bid(bid=first, by=project.owner)
    with pytest.raises(InvalidTransition, match="already awarded"):
        services.award_bid(bid=second, by=project.owner)
    assert _status(second) == Bid.Status.ACTIVE
    assert _status(first) == Bid.Status.AWARDED


def test_award_bid_twice_on_same_bid_is_refused(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(InvalidTransition):
        services.award_bid(bid=bid, by=project.owner)
    assert BidEvent.objects.filter(bid=bid, to_status=Bid.Status.AWARDED).count() == 1


def test_award_bid_refuses_someone_other_than_the_client(project, expert, other_expert):
    bid = place(project, expert)
    with pytest.raises(NotAllowed):
        services.award_bid(bid=bid, by=other_expert)
    assert _status(bid) == Bid.Status.ACTIVE
    assert _status(project) == Project.Status.OPEN


def test_award_refuses_withdrawn_bid(project, expert):
    bid = place(project, expert)
    services.withdraw_bid(bid=bid, by=expert)
    with pytest.raises(InvalidTransition):
        services.award_bid(bid=bid, by=project.owner)
    assert _status(bid) == Bid.Status.WITHDRAWN
    assert _status(project) == Project.Status.OPEN


def test_withdraw_award_reopens_the_project(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    services.withdraw_award(bid=bid, by=project.owner)
    assert _status(bid) == Bid.Status.ACTIVE
    assert _status(project) == Project.Status.OPEN
    assert Notification.objects.filter(user=expert, kind="bids.award_withdrawn").exists()


def test_award_after_withdrawal_goes_to_another_bid(project, expert, other_expert):
    first = place(project, expert)
    second = place(project, other_expert)
    services.award_bid(bid=first, by=project.owner)
    services.withdraw_award(bid=first, by=project.owner)
    services.award_bid(bid=second, by=project.owner)
    assert _status(second) == Bid.Status.AWARDED


def test_withdraw_award_after_confirmation_is_refused(project, expert):
    bid = place(project, expert)
    award_and_confirm(bid)
    with pytest.raises(InvalidTransition, match="already answered"):
        services.withdraw_award(bid=bid, by=project.owner)
    assert _status(bid) == Bid.Status.ACCEPTED
    assert _status(project) == Project.Status.IN_PROGRESS


def test_confirm_after_award_withdrawn_is_refused(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    services.withdraw_award(bid=bid, by=project.owner)
    with pytest.raises(InvalidTransition, match="withdrawn"):
        services.confirm_award(bid=bid, by=expert, accept_terms=True)
    assert not Contract.objects.exists()
    assert _status(project) == Project.Status.OPEN


def test_confirm_refuses_without_accepting_terms(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(NotAllowed):
        services.confirm_award(bid=bid, by=expert, accept_terms=False)
    assert not Contract.objects.exists()
    assert _status(bid) == Bid.Status.AWARDED


def test_confirm_refuses_without_nda_when_project_asks(client_user, expert):
    project = make_open_project(owner=client_user, nda_required=True)
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(NotAllowed, match="non-disclosure"):
        services.confirm_award(bid=bid, by=expert, accept_terms=True)
    assert not Contract.objects.exists()


def test_confirm_records_nda_time_and_ip(client_user, expert):
    project = make_open_project(owner=client_user, nda_required=True)
    bid = place(project, expert)
    contract = award_and_confirm(bid, accept_nda=True, ip="203.0.113.9")
    assert contract.nda_accepted_at is not None
    assert contract.accepted_ip == "203.0.113.9"


def test_confirm_refuses_someone_other_than_the_expert(project, expert, other_expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(NotAllowed):
        services.confirm_award(bid=bid, by=other_expert, accept_terms=True)
    assert not Contract.objects.exists()


def test_confirm_makes_contract_with_milestones_and_tells_everyone(project, expert, other_expert):
    bid = place(project, expert, amount=30_000, milestones=plan(5_000, 10_000, 15_000))
    loser = place(project, other_expert)
    contract = award_and_confirm(bid, ip="198.51.100.7")
    assert (contract.amount, contract.client, contract.expert) == (30_000, project.owner, expert)
    assert contract.scope == project.description
    assert [m.amount for m in contract.milestones.all()] == [5_000, 10_000, 15_000]
    assert _status(project) == Project.Status.IN_PROGRESS
    assert _status(loser) == Bid.Status.LOST
    assert Notification.objects.filter(user=other_expert, kind="bids.project_awarded").exists()
    assert Notification.objects.filter(user=project.owner, kind="bids.confirmed").exists()
    assert not Conversation.objects.get(key=f"bid:{bid.pk}").guard_contacts


def test_confirm_without_plan_makes_one_milestone_for_the_price(project, expert):
    contract = award_and_confirm(place(project, expert, amount=25_000, days=12))
    [only] = contract.milestones.all()
    assert (only.amount, only.due_in_days) == (25_000, 12)


def test_confirm_twice_is_refused(project, expert):
    bid = place(project, expert)
    award_and_confirm(bid)
    with pytest.raises(InvalidTransition):
        services.confirm_award(bid=bid, by=expert, accept_terms=True)
    assert Contract.objects.count() == 1


def test_reject_award_needs_reason_and_tells_the_client(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    with pytest.raises(InvalidTransition, match="why"):
        services.reject_award(bid=bid, by=expert, reason="  ")
    assert _status(bid) == Bid.Status.AWARDED
    services.reject_award(bid=bid, by=expert, reason="Fully booked until March")
    assert _status(bid) == Bid.Status.DECLINED
    assert _status(project) == Project.Status.OPEN
    note = Notification.objects.get(user=project.owner, kind="bids.rejected")
    assert "Fully booked" in note.body


def test_reject_after_award_withdrawn_is_refused(project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    services.withdraw_award(bid=bid, by=project.owner)
    with pytest.raises(InvalidTransition):
        services.reject_award(bid=bid, by=expert, reason="No")
    assert _status(bid) == Bid.Status.ACTIVE


def test_award_bid_refuses_a_platform_fee_job_and_points_to_booking(project, expert):
    Project.objects.filter(pk=project.pk).update(payment_model=Project.PaymentModel.PLATFORM_FEE)
    project.refresh_from_db()
    bid = place(project, expert)
    with pytest.raises(InvalidTransition, match="accept the offer as a booking"):
        services.award_bid(bid=bid, by=project.owner)
    assert _status(bid) == Bid.Status.ACTIVE
    assert _status(project) == Project.Status.OPEN
