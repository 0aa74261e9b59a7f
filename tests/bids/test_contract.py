"""Milestones after confirmation: add, split, merge, rename, reorder; the total stays."""

import pytest

from bids import services
from bids.exceptions import BidInvalid, NotAllowed
from bids.models import ContractChange
from bids.services import MilestoneInput
from notifications.models import Notification
from tests.bids.factories import award_and_confirm, place, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(project, expert):
    return award_and_confirm(place(project, expert, amount=30_000, milestones=plan(10_000, 20_000)))


def _rows(contract):
    return [(m.title, m.amount) for m in contract.milestones.order_by("position")]


def _input(m, **changes):
    values = {
        "id": m.pk,
        "title": m.title,
        "amount": m.amount,
        "due_in_days": m.due_in_days,
        "description": m.description,
    }
    values.update(changes)
    return MilestoneInput(**values)


def test_split_a_milestone_keeps_the_total_and_tells_the_client(contract, expert):
    first, second = contract.milestones.all()
    services.replan_milestones(
        contract=contract,
        by=expert,
        milestones=[
            _input(first),
            _input(second, title="Drafts", amount=8_000),
            MilestoneInput(title="Final files", amount=12_000, due_in_days=30),
        ],
    )
    assert _rows(contract) == [("Step 1", 10_000), ("Drafts", 8_000), ("Final files", 12_000)]
    change = ContractChange.objects.get(contract=contract)
    assert "Renamed “Step 2” to “Drafts”" in change.shown_summary
    assert "Added “Final files”" in change.shown_summary
    assert Notification.objects.filter(
        user=contract.client, kind="bids.milestones_changed"
    ).exists()


def test_merge_and_reorder_milestones(contract, expert):
    _first, second = contract.milestones.all()
    services.replan_milestones(
        contract=contract, by=expert, milestones=[_input(second, amount=30_000)]
    )
    assert _rows(contract) == [("Step 2", 30_000)]
    assert "Removed “Step 1”" in ContractChange.objects.get().shown_summary


def test_reorder_is_recorded(contract, expert):
    first, second = contract.milestones.all()
    services.replan_milestones(
        contract=contract, by=expert, milestones=[_input(second), _input(first)]
    )
    assert _rows(contract) == [("Step 2", 20_000), ("Step 1", 10_000)]
    assert "reordered" in ContractChange.objects.get().shown_summary


def test_replan_refuses_a_different_total(contract, expert):
    first, second = contract.milestones.all()
    with pytest.raises(BidInvalid, match="add up"):
        services.replan_milestones(
            contract=contract, by=expert, milestones=[_input(first), _input(second, amount=1)]
        )
    assert _rows(contract) == [("Step 1", 10_000), ("Step 2", 20_000)]
    assert not ContractChange.objects.exists()


def test_replan_refuses_the_client(contract):
    with pytest.raises(NotAllowed):
        services.replan_milestones(
            contract=contract,
            by=contract.client,
            milestones=[MilestoneInput(title="All", amount=30_000, due_in_days=5)],
        )
    assert len(_rows(contract)) == 2


def test_replan_without_change_records_nothing(contract, expert):
    services.replan_milestones(
        contract=contract, by=expert, milestones=[_input(m) for m in contract.milestones.all()]
    )
    assert not ContractChange.objects.exists()
