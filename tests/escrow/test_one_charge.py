"""Purchases keyed by the business fact (a booking's fee, a lead, a revision fee, a milestone):
parallel or repeated requests charge once, and a second card request reuses the open checkout."""

import pytest

from escrow.exceptions import NotAllowed
from escrow.models import Checkout, LedgerTransaction, Purchase
from escrow.services import fund_escrow, pay_for_purchase
from tests.escrow.conftest import balance_of, top_up
from tests.escrow.test_concurrency import race


def _buy(user, source="balance", **extra):
    return pay_for_purchase(
        user=user,
        amount=1500,
        purpose="test-upgrade",
        reference="booking:7",
        description="Platform fee",
        source=source,
        **extra,
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_parallel_fee_payments_from_the_balance_charge_once(client_user, paid_purchases):
    top_up(client_user, 10_000)
    results, errors = race([lambda: _buy(client_user)] * 5)
    assert len(results) == 1
    assert all(isinstance(e, NotAllowed) for e in errors)
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.PURCHASE).count() == 1
    assert balance_of(client_user) == 10_000 - 1500


@pytest.mark.django_db
def test_a_repeatable_purchase_answers_a_repeat_with_the_first_result(client_user, paid_purchases):
    top_up(client_user, 10_000)
    first = _buy(client_user, repeatable=True)
    again = _buy(client_user, repeatable=True)
    assert again.paid
    assert again.purchase == first.purchase
    assert balance_of(client_user) == 10_000 - 1500


@pytest.mark.django_db
def test_a_second_card_request_for_a_fee_reuses_the_open_checkout(client_user, paid_purchases):
    first = _buy(client_user, source="card")
    second = _buy(client_user, source="card")
    assert first.redirect_url == second.redirect_url
    assert Checkout.objects.count() == 1
    assert Purchase.objects.count() == 1


@pytest.mark.django_db
def test_a_second_card_request_for_held_funds_reuses_the_open_checkout(client_user, expert):
    args = {"payer": client_user, "payee": expert, "reference": "rev:3", "amount": 900}
    first = fund_escrow(**args, source="card")
    second = fund_escrow(**args, source="card")
    assert first.redirect_url == second.redirect_url
    assert Checkout.objects.count() == 1


@pytest.mark.django_db
def test_a_changed_amount_starts_a_new_checkout(client_user, expert):
    args = {"payer": client_user, "payee": expert, "reference": "rev:4"}
    fund_escrow(**args, amount=900, source="card")
    fund_escrow(**args, amount=1200, source="card")
    assert sorted(Checkout.objects.values_list("amount", flat=True)) == [900, 1200]
