"""Races on PostgreSQL, with real threads and connections: one outcome, never two."""

import threading

import pytest
from django.db import connection

from bids import services
from bids.exceptions import BidError
from bids.models import Bid, Contract
from projects.models import Project
from tests.bids.factories import ClientFactory, ExpertFactory, make_standalone_project, place

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


def _race(*calls):
    """Run the calls at the same moment in threads; return each one's result or error."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except BidError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_awards_at_once_make_one_award():
    owner = ClientFactory()
    project = make_standalone_project(owner=owner)
    first = place(project, ExpertFactory())
    second = place(project, ExpertFactory())
    results = _race(
        lambda: services.award_bid(bid=first, by=owner),
        lambda: services.award_bid(bid=second, by=owner),
    )
    assert sum(isinstance(r, BidError) for r in results) == 1
    assert Bid.objects.filter(status=Bid.Status.AWARDED).count() == 1
    project.refresh_from_db()
    assert project.status == Project.Status.AWARDED
    assert project.history.filter(to_status=Project.Status.AWARDED).count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_confirm_racing_withdraw_has_one_consistent_outcome(attempt):
    owner = ClientFactory()
    project = make_standalone_project(owner=owner)
    expert = ExpertFactory()
    bid = place(project, expert)
    services.award_bid(bid=bid, by=owner)
    results = _race(
        lambda: services.confirm_award(bid=bid, by=expert, accept_terms=True),
        lambda: services.withdraw_award(bid=bid, by=owner),
    )
    assert sum(isinstance(r, BidError) for r in results) == 1
    bid.refresh_from_db()
    project.refresh_from_db()
    if isinstance(results[0], Contract):
        assert bid.status == Bid.Status.ACCEPTED
        assert project.status == Project.Status.IN_PROGRESS
        assert Contract.objects.filter(bid=bid).count() == 1
    else:
        assert bid.status == Bid.Status.ACTIVE
        assert project.status == Project.Status.OPEN
        assert not Contract.objects.exists()


def test_two_bids_from_one_expert_at_once_make_one_bid():
    project = make_standalone_project(owner=ClientFactory())
    expert = ExpertFactory()
    results = _race(lambda: place(project, expert), lambda: place(project, expert))
    assert sum(isinstance(r, BidError) for r in results) == 1
    assert Bid.objects.filter(expert=expert).count() == 1
    project.refresh_from_db()
    assert project.bid_count == 1
