import pytest
from django.db import DatabaseError, connection, transaction

from escrow.exceptions import (
    CurrencyMismatchError,
    InsufficientFunds,
    InvalidAmount,
    UnbalancedTransaction,
)
from escrow.models import Account, Entry, LedgerTransaction
from escrow.services import Leg, post_transaction, reverse_transaction
from escrow.services.ledger import get_account, platform_account, wallet_account
from tests.escrow.conftest import assert_books_balance, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


def test_post_transaction_moves_money_and_records_running_balances(client_user):
    txn = top_up(client_user, 5000, key="k1")
    wallet = wallet_account(client_user)
    assert wallet.balance == 5000
    assert txn.entries.count() == 2
    entry = Entry.objects.get(account=wallet)
    assert entry.balance_after == 5000
    assert_books_balance()


def test_replayed_key_returns_existing_transaction_and_moves_nothing(client_user):
    first = top_up(client_user, 5000, key="same")
    before = ledger_snapshot()
    again = post_transaction(
        key="same",
        kind="top_up",
        legs=[
            Leg(platform_account(Account.Kind.CARD_CLEARING), -5000),
            Leg(wallet_account(client_user), 5000),
        ],
    )
    assert again.pk == first.pk
    assert ledger_snapshot() == before


def test_unbalanced_transaction_is_refused(client_user):
    before = ledger_snapshot()
    with pytest.raises(UnbalancedTransaction):
        post_transaction(
            key="bad",
            kind="credit",
            legs=[
                Leg(platform_account(Account.Kind.PROMOTIONS), -100),
                Leg(wallet_account(client_user), 99),
            ],
        )
    assert ledger_snapshot()[:2] == before[:2]
    assert wallet_account(client_user).balance == 0


@pytest.mark.parametrize("amount", [0, 1.5, True])
def test_zero_or_non_integer_legs_are_refused(client_user, amount):
    with pytest.raises(InvalidAmount):
        post_transaction(
            key="bad",
            kind="credit",
            legs=[
                Leg(platform_account(Account.Kind.PROMOTIONS), -amount),
                Leg(wallet_account(client_user), amount),
            ],
        )
    assert not LedgerTransaction.objects.exists()


def test_overflowing_amount_is_refused(client_user):
    with pytest.raises(InvalidAmount):
        top_up(client_user, 10**15)
    assert not LedgerTransaction.objects.exists()


def test_currency_mismatch_is_refused(client_user):
    with pytest.raises(CurrencyMismatchError):
        post_transaction(
            key="fx",
            kind="credit",
            legs=[
                Leg(get_account(kind=Account.Kind.PROMOTIONS, currency_code="USD"), -100),
                Leg(wallet_account(client_user), 100),
            ],
        )
    assert not LedgerTransaction.objects.exists()


def test_wallet_cannot_go_negative_and_nothing_moves(client_user, expert):
    top_up(client_user, 1000)
    before = ledger_snapshot()
    with pytest.raises(InsufficientFunds):
        post_transaction(
            key="overdraw",
            kind="debit",
            legs=[Leg(wallet_account(client_user), -1001), Leg(wallet_account(expert), 1001)],
        )
    assert ledger_snapshot() == before


def test_reversal_posts_opposite_legs_once(client_user, staff):
    txn = top_up(client_user, 2500)
    reversal = reverse_transaction(txn=txn, by=staff)
    again = reverse_transaction(txn=txn, by=staff)
    assert reversal.pk == again.pk
    assert reversal.reverses == txn
    assert wallet_account(client_user).balance == 0
    assert_books_balance()


@pytest.mark.postgres
def test_database_refuses_updating_or_deleting_entries(client_user):
    top_up(client_user, 1000)
    entry = Entry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount=5)
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).delete()
    assert Entry.objects.get(pk=entry.pk).amount == entry.amount


@pytest.mark.postgres
def test_database_refuses_an_unbalanced_transaction(client_user):
    wallet = wallet_account(client_user)

    def write_one_sided_transaction() -> None:
        with transaction.atomic():
            txn = LedgerTransaction.objects.create(key="raw", kind="credit")
            Entry.objects.create(
                transaction=txn, account=wallet, amount=100, currency="EUR", balance_after=100
            )
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    with pytest.raises(DatabaseError, match="does not sum to zero"):
        write_one_sided_transaction()
    assert not LedgerTransaction.objects.filter(key="raw").exists()


@pytest.mark.postgres
def test_database_refuses_a_forbidden_negative_balance(client_user):
    wallet = wallet_account(client_user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Account.objects.filter(pk=wallet.pk).update(balance=-1)


@pytest.mark.postgres
def test_a_posting_is_one_statement_on_postgresql(client_user, django_assert_num_queries):
    clearing = platform_account(Account.Kind.CARD_CLEARING)
    wallet = wallet_account(client_user)
    # Inside the test's transaction the statement runs under a savepoint (3 queries in all);
    # the Python path it replaces took eleven.
    with django_assert_num_queries(3) as context:
        post_transaction(
            key="one-trip",
            kind="top_up",
            legs=[Leg(clearing, -700), Leg(wallet, 300), Leg(wallet, 400)],
        )
    assert sum("escrow_post(" in query["sql"] for query in context.captured_queries) == 1
    assert [leg.balance_after for leg in Entry.objects.filter(account=wallet).order_by("id")] == [
        300,
        700,
    ]
    assert wallet.balance == 700  # the caller's account objects carry the new cached balance
    wallet.refresh_from_db()
    clearing.refresh_from_db()
    assert (wallet.balance, clearing.balance) == (700, -700)
    replay = post_transaction(
        key="one-trip", kind="top_up", legs=[Leg(clearing, -700), Leg(wallet, 700)]
    )
    assert replay.key == "one-trip"
    assert replay.kind == "top_up"
    assert replay.created_at is not None
    assert Entry.objects.filter(account=wallet).count() == 2
    assert_books_balance()


@pytest.mark.postgres
def test_insufficient_funds_inside_a_larger_transaction_leaves_it_usable(client_user, expert):
    top_up(client_user, 100)
    before = ledger_snapshot()
    with transaction.atomic():
        with pytest.raises(InsufficientFunds):
            post_transaction(
                key="too-much",
                kind="debit",
                legs=[Leg(wallet_account(client_user), -101), Leg(wallet_account(expert), 101)],
            )
        # The refusal moved nothing and did not abort the caller's transaction: it still queries.
        assert not LedgerTransaction.objects.filter(key="too-much").exists()
    assert ledger_snapshot() == before


@pytest.mark.postgres
def test_posting_to_an_account_that_does_not_exist_is_refused(client_user):
    wallet = wallet_account(client_user)
    ghost = Account(pk=wallet.pk + 10_000, kind=Account.Kind.WALLET, currency=wallet.currency)
    before = ledger_snapshot()
    with pytest.raises(DatabaseError, match="does not exist"):
        post_transaction(key="ghost", kind="credit", legs=[Leg(ghost, -5), Leg(wallet, 5)])
    assert ledger_snapshot() == before
