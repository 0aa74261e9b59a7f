"""Two reviews at once (real threads, own connections): both saved, published together, once."""

import threading

import pytest
from django.db import connection

from reviews.exceptions import ReviewError
from reviews.models import Reputation, Review, ReviewPeriod
from tests.reviews.factories import completed_contract, review

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(*actions) -> list:
    barrier = threading.Barrier(len(actions))
    results: list = []

    def run(action) -> None:
        try:
            barrier.wait()
            results.append(action())
        except ReviewError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_both_parties_reviewing_at_once_publish_both(settings):
    settings.PLATFORM_CURRENCY = "EUR"
    contract = completed_contract(standalone=True)
    race(
        lambda: review(contract, contract.client, rating=4),
        lambda: review(contract, contract.expert, rating=5),
    )
    assert Review.objects.filter(published_at__isnull=False).count() == 2
    assert ReviewPeriod.objects.get(pk=contract.pk).published_at is not None
    assert Reputation.objects.get(user=contract.expert).rating_count == 1


def test_same_party_reviewing_twice_at_once_saves_one(settings):
    settings.PLATFORM_CURRENCY = "EUR"
    contract = completed_contract(standalone=True)
    results = race(
        lambda: review(contract, contract.client, rating=4),
        lambda: review(contract, contract.client, rating=2),
    )
    assert sum(isinstance(r, ReviewError) for r in results) == 1
    assert Review.objects.count() == 1
