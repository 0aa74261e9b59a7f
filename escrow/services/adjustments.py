"""Staff credit or debit a user's balance by hand, always with a reason (an extra fee agreed
for work outside the brief, a goodwill credit, a correction), posted through the ledger."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escrow.exceptions import InsufficientFunds, InvalidAmount, NotAllowed
from escrow.models import Account, BalanceAdjustment, LedgerTransaction
from escrow.notify import tell
from escrow.services.ledger import (
    Leg,
    currency,
    platform_account,
    post_transaction,
    validate_amount,
    wallet_account,
)
from marketplace.money import format_money_lazy


def adjust_balance(
    *, user: Any, by: Any, direction: str, amount: int, reason: str, key: str
) -> BalanceAdjustment:
    """Credit (from the promotions account) or debit (to platform revenue) `user`'s wallet once
    per `key`; the reason is the statement line the user reads. A debit larger than the
    balance moves nothing."""
    if not getattr(by, "is_staff", False):
        raise NotAllowed(_("Only staff credit or debit a balance by hand."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise InvalidAmount(_("Give the reason the person will read on their statement."))
    if direction not in BalanceAdjustment.Direction.values:
        raise InvalidAmount(_("Choose credit or debit."))
    if not key:
        raise ValueError("An adjustment needs the key of the form that asked for it.")
    validate_amount(amount)
    existing = BalanceAdjustment.objects.filter(key=key).first()
    if existing is not None:
        return existing
    wallet = wallet_account(user)
    credit = direction == BalanceAdjustment.Direction.CREDIT
    other = platform_account(Account.Kind.PROMOTIONS if credit else Account.Kind.PLATFORM_REVENUE)
    signed = amount if credit else -amount
    try:
        with transaction.atomic():
            txn = post_transaction(
                key=f"adjustment:{key}",
                kind=LedgerTransaction.Kind.CREDIT if credit else LedgerTransaction.Kind.DEBIT,
                legs=[Leg(wallet, signed), Leg(other, -signed)],
                memo=reason,
                cause=f"user:{user.pk}",
                by=by,
            )
            adjustment = BalanceAdjustment.objects.create(
                user=user,
                direction=direction,
                amount=amount,
                currency=currency(),
                reason=reason[:250],
                by=by,
                key=key,
                transaction=txn,
            )
    except InsufficientFunds:
        raise InsufficientFunds(
            _("The balance is lower than this debit: nothing was taken.")
        ) from None
    except IntegrityError:  # the same form submitted twice at once
        return BalanceAdjustment.objects.get(key=key)
    shown = format_money_lazy(amount, adjustment.currency)
    transaction.on_commit(
        lambda: tell(
            user=user,
            kind="escrow.balance_adjusted",
            title=format_lazy(
                gettext_lazy("We credited {amount} to your balance")
                if credit
                else gettext_lazy("We debited {amount} from your balance"),
                amount=shown,
            ),
            body=reason,
            url="/money/statement/",
            target=adjustment,
        )
    )
    return adjustment
