"""The cap under real concurrency: 10 providers accept a 4-place mandate at once."""

import threading

import pytest
from django.db import connection

from escrow.models import LedgerTransaction
from leads import services
from leads.exceptions import LeadError, MandateFull
from leads.models import LeadPurchase, Mandate
from tests.leads.conftest import balance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_providers_accepting_at_once_make_exactly_four_debits(make_provider, publish):
    providers = [make_provider(funds=10000) for _ in range(10)]
    mandate = publish(price=2500, max_buyers=4)
    barrier = threading.Barrier(len(providers))
    outcomes: dict[int, str] = {}

    def buy(provider) -> None:
        try:
            barrier.wait(timeout=10)
            services.accept_offer(mandate_id=mandate.pk, by=provider)
            outcomes[provider.pk] = "bought"
        except MandateFull:
            outcomes[provider.pk] = "full"
        except LeadError as error:
            outcomes[provider.pk] = f"refused: {error}"
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(p,)) for p in providers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values()) == ["bought"] * 4 + ["full"] * 6
    assert LedgerTransaction.objects.filter(key__startswith=f"lead:{mandate.pk}:").count() == 4
    assert LeadPurchase.objects.filter(mandate=mandate).count() == 4
    mandate.refresh_from_db()
    assert (mandate.buyers_count, mandate.status) == (4, Mandate.Status.COMPLETE)
    assert sorted(balance(p) for p in providers) == [7500] * 4 + [10000] * 6


def test_one_provider_double_clicking_from_two_connections_pays_once(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=2500)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def buy() -> None:
        try:
            barrier.wait(timeout=10)
            services.accept_offer(mandate_id=mandate.pk, by=provider)
            outcomes.append("bought")
        except LeadError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=buy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["AlreadyBought", "bought"]
    assert balance(provider) == 7500
