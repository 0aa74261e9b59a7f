"""The one posting service: every movement of money is a balanced transaction posted here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from escrow.exceptions import (
    CurrencyMismatchError,
    InsufficientFunds,
    InvalidAmount,
    UnbalancedTransaction,
)
from escrow.models import Account, Entry, LedgerTransaction
from marketplace.money import MAX_AMOUNT


@dataclass(frozen=True, slots=True)
class Leg:
    account: Account
    amount: int


def currency() -> str:
    return str(settings.PLATFORM_CURRENCY)


def get_account(
    *, kind: str, user: Any = None, reference: str = "", currency_code: str | None = None
) -> Account:
    """The account for (kind, owner, currency), created on first use."""
    code = currency_code or currency()
    if kind in Account.USER_KINDS:
        if user is None:
            raise ValueError("Wallet accounts belong to a user.")
        reference = f"user:{user.pk}"
    account, _unused = Account.objects.get_or_create(
        kind=kind,
        reference=reference,
        currency=code,
        defaults={"user": user, "may_go_negative": kind in Account.MAY_GO_NEGATIVE},
    )
    return account


def wallet_account(user: Any, currency_code: str | None = None) -> Account:
    return get_account(kind=Account.Kind.WALLET, user=user, currency_code=currency_code)


def pending_account(user: Any, currency_code: str | None = None) -> Account:
    return get_account(kind=Account.Kind.WALLET_PENDING, user=user, currency_code=currency_code)


def platform_account(kind: str, currency_code: str | None = None) -> Account:
    return get_account(kind=kind, reference="", currency_code=currency_code)


def validate_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidAmount(_("Amounts are whole numbers of cents."))
    if amount <= 0:
        raise InvalidAmount(_("Enter an amount greater than zero."))
    if amount > MAX_AMOUNT:
        raise InvalidAmount(_("That amount is larger than Guildhall accepts."))
    return amount


def _check_legs(legs: Sequence[Leg]) -> None:
    if len(legs) < 2:
        raise UnbalancedTransaction("A ledger transaction needs at least two legs.")
    currencies = {leg.account.currency for leg in legs}
    if len(currencies) != 1:
        raise CurrencyMismatchError(_("All legs of a transaction must be in one currency."))
    for leg in legs:
        if isinstance(leg.amount, bool) or not isinstance(leg.amount, int) or leg.amount == 0:
            raise InvalidAmount(_("Every leg moves a non-zero whole number of cents."))
        if abs(leg.amount) > MAX_AMOUNT:
            raise InvalidAmount(_("That amount is larger than Guildhall accepts."))
    if sum(leg.amount for leg in legs) != 0:
        raise UnbalancedTransaction()


def post(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    memo: str = "",
    cause: str = "",
    by: Any = None,
    reverses: LedgerTransaction | None = None,
) -> tuple[LedgerTransaction, bool]:
    """Post a balanced transaction once; (transaction, created). A replayed key moves nothing."""
    if not key:
        raise ValueError("Every ledger transaction needs an idempotency key.")
    if connection.vendor == "postgresql":
        return _post_in_database(
            key=key, kind=kind, legs=legs, memo=memo, cause=cause, by=by, reverses=reverses
        )
    return _post_in_python(
        key=key, kind=kind, legs=legs, memo=memo, cause=cause, by=by, reverses=reverses
    )


_POST_SQL = (
    "SELECT * FROM escrow_post(%s::varchar, %s::varchar, %s::varchar, %s::varchar, %s::bigint, "
    "%s::bigint, %s::bigint[], %s::bigint[])"
)
_TXN_FIELDS = ("id", "kind", "memo", "cause", "created_by_id", "reverses_id", "created_at")


def _post_in_database(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    memo: str,
    cause: str,
    by: Any,
    reverses: LedgerTransaction | None,
) -> tuple[LedgerTransaction, bool]:
    """One round trip: the escrow_post SQL function (migration 0006) checks the key, locks the
    accounts in id order, checks funds, writes the transaction, entries and cached balances, and
    runs the zero-sum trigger. Outside a transaction the statement is its own transaction."""
    _check_legs(legs)
    params = [
        key,
        kind,
        memo[:300],
        cause[:200],
        by.pk if getattr(by, "pk", None) else None,
        reverses.pk if reverses is not None else None,
        [leg.account.pk for leg in legs],
        [leg.amount for leg in legs],
    ]
    # A single statement is its own transaction; inside a caller's transaction a savepoint keeps
    # a refusal from poisoning it.
    savepoint = transaction.atomic() if connection.in_atomic_block else nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(_POST_SQL, params)
        outcome, *row, account_ids, balances = cursor.fetchone()
    if outcome == "insufficient":
        raise InsufficientFunds()
    txn = LedgerTransaction.from_db(connection.alias, _TXN_FIELDS, row)
    txn.key = key
    if outcome == "exists":
        return txn, False
    new_balances = dict(zip(account_ids, balances, strict=True))
    for leg in legs:
        leg.account.balance = new_balances[leg.account.pk]
    return txn, True


def _post_in_python(
    *,
    key: str,
    kind: str,
    legs: Sequence[Leg],
    memo: str,
    cause: str,
    by: Any,
    reverses: LedgerTransaction | None,
) -> tuple[LedgerTransaction, bool]:
    """The same steps as escrow_post, statement by statement (SQLite, which has no functions)."""
    existing = LedgerTransaction.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    _check_legs(legs)
    with transaction.atomic():
        deltas: dict[int, int] = defaultdict(int)
        for leg in legs:
            deltas[leg.account.pk] += leg.amount
        # Lock every account in id order so concurrent postings cannot deadlock.
        locked = {
            account.pk: account
            for account in Account.objects.select_for_update().filter(pk__in=deltas).order_by("pk")
        }
        existing = LedgerTransaction.objects.filter(key=key).first()
        if existing is not None:
            return existing, False
        for pk, delta in deltas.items():
            account = locked[pk]
            if not account.may_go_negative and account.balance + delta < 0:
                raise InsufficientFunds()
        try:
            with transaction.atomic():
                txn = LedgerTransaction.objects.create(
                    key=key,
                    kind=kind,
                    memo=memo[:300],
                    cause=cause[:200],
                    created_by=by if getattr(by, "pk", None) else None,
                    reverses=reverses,
                )
        except IntegrityError:
            return LedgerTransaction.objects.get(key=key), False
        running = {pk: account.balance for pk, account in locked.items()}
        entries = []
        for leg in legs:
            running[leg.account.pk] += leg.amount
            entries.append(
                Entry(
                    transaction=txn,
                    account_id=leg.account.pk,
                    amount=leg.amount,
                    currency=leg.account.currency,
                    balance_after=running[leg.account.pk],
                )
            )
        Entry.objects.bulk_create(entries)
        for pk, account in locked.items():
            account.balance = running[pk]
        Account.objects.bulk_update(locked.values(), ["balance"])
        for leg in legs:
            leg.account.balance = running[leg.account.pk]
        if connection.vendor == "postgresql":  # the Python path measured beside escrow_post
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return txn, True


def post_transaction(
    *,
    key: str,
    kind: str,
    legs: list[Leg],
    memo: str = "",
    cause: Any = None,
    by: Any = None,
) -> LedgerTransaction:
    """The public posting interface other apps use (cause: a model instance or a string)."""
    cause_text = cause if isinstance(cause, str) else _describe_cause(cause)
    txn, _unused = post(key=key, kind=kind, legs=legs, memo=memo, cause=cause_text, by=by)
    return txn


def reverse_transaction(*, txn: LedgerTransaction, by: Any, memo: str = "") -> LedgerTransaction:
    """A correction: the same legs with the signs flipped, posted once per original."""
    legs = [Leg(entry.account, -entry.amount) for entry in txn.entries.select_related("account")]
    reversal, _unused = post(
        key=f"reversal:{txn.pk}",
        kind=LedgerTransaction.Kind.REVERSAL,
        legs=legs,
        memo=memo or f"Correction of #{txn.pk}",
        cause=f"ledgertransaction:{txn.pk}",
        by=by,
        reverses=txn,
    )
    return reversal


def _describe_cause(cause: Any) -> str:
    if cause is None:
        return ""
    meta = getattr(cause, "_meta", None)
    if meta is not None:
        return f"{meta.model_name}:{cause.pk}"
    return str(cause)
