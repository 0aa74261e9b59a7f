"""Reads for the money pages: balances from cached account rows, statements by keyset."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from escrow import memos, purposes
from escrow.models import Account, Checkout, Entry, HeldFunds, PendingCredit, Purchase

STATEMENT_PAGE_SIZE = 50
HELD_STATUSES = (HeldFunds.Status.FUNDED, HeldFunds.Status.FROZEN)


@dataclass(frozen=True, slots=True)
class WalletSummary:
    currency: str
    available: int
    pending: int
    held: int  # funds this user put up that are still held
    incoming_held: int  # funds held for work this user is doing
    pending_items: list[PendingCredit] = field(default_factory=list)


def _balance(user: Any, kind: str) -> int:
    account = (
        Account.objects.filter(
            kind=kind, reference=f"user:{user.pk}", currency=settings.PLATFORM_CURRENCY
        )
        .only("balance")
        .first()
    )
    return account.balance if account else 0


def wallet_balance(user: Any) -> WalletSummary:
    """Available, pending (with due dates) and held amounts; no scan of ledger entries."""
    held = HeldFunds.objects.filter(payer=user, status__in=HELD_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    incoming = HeldFunds.objects.filter(payee=user, status__in=HELD_STATUSES).aggregate(
        total=Sum("amount")
    )["total"]
    pending_items = with_labels(
        list(
            PendingCredit.objects.filter(user=user, released_at__isnull=True).order_by("due_at")[
                :20
            ]
        ),
        lambda item: item.memo,
    )
    return WalletSummary(
        currency=settings.PLATFORM_CURRENCY,
        available=_balance(user, Account.Kind.WALLET),
        pending=_balance(user, Account.Kind.WALLET_PENDING),
        held=held or 0,
        incoming_held=incoming or 0,
        pending_items=pending_items,
    )


@dataclass(frozen=True, slots=True)
class StatementFilters:
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class StatementPage:
    entries: list[Entry]
    next_before: int | None
    account: Account | None


def _wallet(user: Any) -> Account | None:
    return Account.objects.filter(
        kind=Account.Kind.WALLET,
        reference=f"user:{user.pk}",
        currency=settings.PLATFORM_CURRENCY,
    ).first()


def statement_queryset(
    user: Any, filters: StatementFilters
) -> tuple[Account | None, QuerySet[Entry]]:
    account = _wallet(user)
    if account is None:
        return None, Entry.objects.none()
    entries = Entry.objects.filter(account=account).select_related("transaction")
    if filters.kind:
        entries = entries.filter(transaction__kind=filters.kind)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        entries = entries.filter(created_at__gte=datetime.combine(filters.date_from, time.min, tz))
    if filters.date_to:
        entries = entries.filter(created_at__lte=datetime.combine(filters.date_to, time.max, tz))
    return account, entries.order_by("-id")


def statement_page(
    user: Any,
    filters: StatementFilters,
    *,
    before: int | None = None,
    size: int = STATEMENT_PAGE_SIZE,
) -> StatementPage:
    """One page of the wallet statement, newest first; `before` is the keyset cursor (entry id)."""
    account, entries = statement_queryset(user, filters)
    if before:
        entries = entries.filter(id__lt=before)
    rows = list(entries[: size + 1])
    next_before = rows[size - 1].pk if len(rows) > size else None
    shown = with_labels(
        rows[:size], lambda entry: entry.transaction.memo, lambda entry: entry.transaction.cause
    )
    return StatementPage(entries=shown, next_before=next_before, account=account)


def receipts_for(user: Any) -> QuerySet[Checkout]:
    return Checkout.objects.filter(user=user).order_by("-id")


def purchases_for(user: Any) -> QuerySet[Purchase]:
    return Purchase.objects.filter(user=user, status=Purchase.Status.PAID).order_by("-id")


def preferred_source(user: Any, amount: int) -> str:
    """The payment source a form starts on for this person and amount: "card" when they prefer
    card, else their balance when it covers the amount (balance first), else "card"."""
    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef, Subquery

    from escrow.models import PaymentPreference

    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            method=Subquery(
                PaymentPreference.objects.filter(user=OuterRef("pk")).values("method")[:1]
            ),
            available=Subquery(
                Account.objects.filter(
                    kind=Account.Kind.WALLET,
                    user=OuterRef("pk"),
                    currency=settings.PLATFORM_CURRENCY,
                ).values("balance")[:1]
            ),
        )
        .first()
    )
    if row is not None and row["method"] == PaymentPreference.Method.CARD:
        return "card"
    available = (row["available"] if row is not None else None) or 0
    return "balance" if available >= amount else "card"


def with_labels[T](
    items: list[T], text_of: Callable[[T], str], cause_of: Callable[[T], str] | None = None
) -> list[T]:
    """Give each item `shown_text` (its memo or description with references like "milestone:3"
    named by project and milestone, its known wording in the reader's language) and
    `shown_link` (where that work is, from its cause when it has one, e.g. "heldfunds:7"): one
    query per kind of reference."""
    causes = [cause_of(item) if cause_of else "" for item in items]
    known = purposes.describe_many([*(text_of(item) for item in items), *causes])
    for item, cause in zip(items, causes, strict=True):
        text = text_of(item)
        shown = memos.translated(purposes.humanize(text, known))
        setattr(item, "shown_text", shown)  # noqa: B010
        link = purposes.first_link(cause, known) or purposes.first_link(text, known)
        setattr(item, "shown_link", link)  # noqa: B010
    return items


def describe_held_funds(ids: list[int]) -> dict[int, purposes.Described]:
    """A ledger transaction caused by "heldfunds:<id>" links to the work the money is for."""
    references = dict(HeldFunds.objects.filter(pk__in=ids).values_list("pk", "reference"))
    known = purposes.describe_many(references.values())
    return {pk: known[ref] for pk, ref in references.items() if ref in known}
