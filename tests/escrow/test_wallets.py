from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.exceptions import InsufficientFunds, InvalidAmount
from escrow.models import PendingCredit
from escrow.selectors import wallet_balance
from escrow.services import credit_user, debit_user, release_due_pending
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


def test_credit_user_adds_to_available_balance_once(expert):
    credit_user(user=expert, amount=700, kind="reward", key="reward:1", memo="Welcome reward")
    credit_user(user=expert, amount=700, kind="reward", key="reward:1", memo="Welcome reward")
    assert balance_of(expert) == 700
    assert_books_balance()


def test_credit_user_with_due_date_is_pending_until_released(expert):
    due = timezone.now() + timedelta(days=30)
    credit_user(user=expert, amount=500, kind="reward", key="r:2", memo="Reward", pending_until=due)
    summary = wallet_balance(expert)
    assert (summary.available, summary.pending) == (0, 500)
    assert summary.pending_items[0].due_at == due

    assert release_due_pending(now=timezone.now()) == 0
    assert release_due_pending(now=due + timedelta(seconds=1)) == 1
    assert release_due_pending(now=due + timedelta(days=1)) == 0
    summary = wallet_balance(expert)
    assert (summary.available, summary.pending) == (500, 0)
    assert PendingCredit.objects.get().released_at is not None
    assert_books_balance()


def test_debit_user_takes_money_from_wallet(client_user):
    top_up(client_user, 1000)
    debit_user(user=client_user, amount=300, kind="purchase", key="lead:1", memo="Lead")
    assert balance_of(client_user) == 700


def test_debit_user_refuses_more_than_available_and_moves_nothing(client_user):
    top_up(client_user, 1000)
    before = ledger_snapshot()
    with pytest.raises(InsufficientFunds):
        debit_user(user=client_user, amount=1001, kind="purchase", key="lead:2", memo="Lead")
    assert ledger_snapshot() == before


@pytest.mark.parametrize("amount", [0, -5, 10**13])
def test_credit_and_debit_refuse_bad_amounts(client_user, amount):
    before = ledger_snapshot()
    with pytest.raises(InvalidAmount):
        credit_user(user=client_user, amount=amount, kind="credit", key="c", memo="x")
    with pytest.raises(InvalidAmount):
        debit_user(user=client_user, amount=amount, kind="purchase", key="d", memo="x")
    assert ledger_snapshot() == before
