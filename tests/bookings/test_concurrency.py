"""Two requests at once (real threads, own connections): one booking, one fee, one move."""

import threading

import pytest
from django.db import connection

from bids.models import Bid
from bookings import services
from bookings.exceptions import BookingError
from bookings.models import Booking, BookingEvent
from escrow.exceptions import MoneyActionError
from escrow.models import LedgerTransaction
from projects.services.lifecycle import invite_expert
from tests.bookings.factories import (
    balance_of,
    booking_awaiting_fee,
    booking_request,
    fund,
    offer,
    paid_booking,
)
from tests.factories import ExpertFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*actions) -> list:
    barrier = threading.Barrier(len(actions))
    results: list = []

    def run(action) -> None:
        try:
            barrier.wait()
            results.append(action())
        except (BookingError, MoneyActionError) as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_accepting_two_offers_at_once_makes_one_booking():
    project = booking_request()
    first = offer(project)
    other_expert = ExpertFactory()
    invite_expert(project=project, expert=other_expert, by=project.owner)
    second = offer(project, expert=other_expert, amount=9_000)
    results = race(
        lambda: services.accept_offer(bid=first, by=project.owner),
        lambda: services.accept_offer(bid=second, by=project.owner),
    )
    assert sum(isinstance(r, BookingError) for r in results) == 1
    assert Booking.objects.count() == 1
    assert Bid.objects.filter(status=Bid.Status.ACCEPTED).count() == 1


def test_paying_the_fee_twice_at_once_takes_it_once():
    booking = booking_awaiting_fee(12_345)
    fund(booking.client, 5_000)
    race(
        lambda: services.pay_booking_fee(booking=booking, by=booking.client, source="balance"),
        lambda: services.pay_booking_fee(booking=booking, by=booking.client, source="balance"),
    )
    assert balance_of(booking.client) == 5_000 - 1_235
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.PURCHASE).count() == 1
    assert BookingEvent.objects.filter(to_status=Booking.Status.CONFIRMED).count() == 1


def test_marking_done_twice_at_once_moves_once():
    booking = paid_booking()
    results = race(
        lambda: services.mark_done(booking=booking, by=booking.expert),
        lambda: services.mark_done(booking=booking, by=booking.expert),
    )
    assert sum(isinstance(r, BookingError) for r in results) == 1
    assert BookingEvent.objects.filter(to_status=Booking.Status.DONE).count() == 1
