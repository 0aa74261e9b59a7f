"""Credits and debits on a user's wallet, and pending money that becomes available when due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from escrow.exceptions import InvalidAmount
from escrow.models import Account, LedgerTransaction, PendingCredit
from escrow.services.ledger import (
    Leg,
    pending_account,
    platform_account,
    post,
    validate_amount,
    wallet_account,
)

CREDIT_KINDS = {
    "credit": LedgerTransaction.Kind.CREDIT,
    "reward": LedgerTransaction.Kind.REWARD,
    "promotion": LedgerTransaction.Kind.CREDIT,
}


def credit_user(
    *,
    user: Any,
    amount: int,
    kind: str,
    key: str,
    memo: str,
    pending_until: datetime | None = None,
) -> LedgerTransaction:
    """Credit a wallet from the promotions/rewards account; pending until a due date if given."""
    validate_amount(amount)
    if kind not in CREDIT_KINDS:
        raise InvalidAmount(_("Unknown kind of credit {kind}.").format(kind=repr(kind)))
    source = platform_account(Account.Kind.PROMOTIONS)
    with transaction.atomic():
        target = wallet_account(user) if pending_until is None else pending_account(user)
        txn, created = post(
            key=key,
            kind=CREDIT_KINDS[kind],
            legs=[Leg(source, -amount), Leg(target, amount)],
            memo=memo,
            cause=f"user:{user.pk}",
        )
        if created and pending_until is not None:
            PendingCredit.objects.create(
                user=user,
                amount=amount,
                currency=target.currency,
                kind=kind,
                key=key,
                memo=memo[:300],
                due_at=pending_until,
            )
    return txn


def debit_user(*, user: Any, amount: int, kind: str, key: str, memo: str) -> LedgerTransaction:
    """Charge a wallet for something bought from the platform; InsufficientFunds moves nothing."""
    validate_amount(amount)
    txn, _unused = post(
        key=key,
        kind=LedgerTransaction.Kind.DEBIT
        if kind != "purchase"
        else LedgerTransaction.Kind.PURCHASE,
        legs=[
            Leg(wallet_account(user), -amount),
            Leg(platform_account(Account.Kind.PLATFORM_REVENUE), amount),
        ],
        memo=memo,
        cause=f"user:{user.pk}",
    )
    return txn


def release_pending_credit(*, pending_id: int, now: datetime | None = None) -> bool:
    """Move one due pending credit to available, once. True when this call moved it."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = (
            PendingCredit.objects.select_for_update().select_related("user").get(pk=pending_id)
        )
        if pending.released_at is not None or pending.due_at > now:
            return False
        post(
            key=f"pending-release:{pending.pk}",
            kind=LedgerTransaction.Kind.PENDING_RELEASE,
            legs=[
                Leg(pending_account(pending.user, pending.currency), -pending.amount),
                Leg(wallet_account(pending.user, pending.currency), pending.amount),
            ],
            memo=pending.memo or "Pending funds now available",
            cause=f"pendingcredit:{pending.pk}",
        )
        pending.released_at = now
        pending.save(update_fields=["released_at"])
    return True


def release_due_pending(*, now: datetime | None = None) -> int:
    """Post every pending credit that is due (the periodic job). Returns how many moved."""
    now = now or timezone.now()
    due_ids = list(
        PendingCredit.objects.filter(released_at__isnull=True, due_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    return sum(release_pending_credit(pending_id=pk, now=now) for pk in due_ids)
