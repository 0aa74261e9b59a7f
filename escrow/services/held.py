"""Held funds (payment protection) for a piece of work, keyed by a reference like "milestone:42".

Release, refund and split share one settlement key per held-funds row, so it settles once.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escrow.exceptions import (
    AlreadyFunded,
    AlreadySettled,
    HeldFundsFrozen,
    InvalidAmount,
    InvalidTransition,
    NotAllowed,
    UnknownReference,
)
from escrow.fees import quote_fee
from escrow.models import Account, HeldFunds, HeldFundsEvent, LedgerTransaction
from escrow.notify import alert_staff, tell
from escrow.purposes import describe
from escrow.services.ledger import (
    Leg,
    currency,
    get_account,
    platform_account,
    post,
    validate_amount,
    wallet_account,
)
from marketplace.money import format_money_lazy

SETTLED = {HeldFunds.Status.RELEASED, HeldFunds.Status.REFUNDED, HeldFunds.Status.SPLIT}


def held_account(held: HeldFunds) -> Account:
    return get_account(
        kind=Account.Kind.ESCROW, reference=held.account_reference, currency_code=held.currency
    )


def _lock(reference: str) -> HeldFunds:
    try:
        return (
            HeldFunds.objects.select_for_update()
            .select_related("payer", "payee")
            .get(reference=reference)
        )
    except HeldFunds.DoesNotExist:
        raise UnknownReference("We could not find held funds for that reference.") from None


def _move(held: HeldFunds, to_status: str, *, by: Any, note: str = "") -> None:
    if to_status not in HeldFunds.TRANSITIONS[held.status]:
        if held.status in SETTLED:
            raise AlreadySettled()
        if held.status == HeldFunds.Status.FROZEN:
            raise HeldFundsFrozen()
        raise InvalidTransition()
    HeldFundsEvent.objects.create(
        held=held,
        from_status=held.status,
        to_status=to_status,
        by=by if getattr(by, "pk", None) else None,
        note=note[:300],
    )
    held.status = to_status


def _is_staff(by: Any) -> bool:
    return bool(by is not None and getattr(by, "is_staff", False))


def prepare_held_funds(*, payer: Any, payee: Any, reference: str, amount: int) -> HeldFunds:
    """The held-funds row for a reference, created awaiting payment (amount updated if unpaid)."""
    validate_amount(amount)
    if payer.pk == payee.pk:
        raise NotAllowed(_("You cannot hold funds for yourself."))
    if not reference:
        raise UnknownReference("Held funds need a reference.")
    held, created = HeldFunds.objects.get_or_create(
        reference=reference,
        defaults={"payer": payer, "payee": payee, "amount": amount, "currency": currency()},
    )
    if created:
        return held
    held = _lock(reference)
    if held.payer_id != payer.pk or held.payee_id != payee.pk:
        raise NotAllowed(_("These held funds belong to someone else."))
    if held.status != HeldFunds.Status.AWAITING_PAYMENT:
        raise AlreadyFunded()
    if held.amount != amount:
        held.amount = amount
        held.save(update_fields=["amount"])
    return held


def hold_from_wallet(*, held: HeldFunds, source: str = "balance") -> LedgerTransaction:
    """Move the payer's wallet money into the held-funds account (locked row expected)."""
    txn, _unused = post(
        key=f"escrow-fund:{held.pk}",
        kind=LedgerTransaction.Kind.ESCROW_FUND,
        legs=[
            Leg(wallet_account(held.payer, held.currency), -held.amount),
            Leg(held_account(held), held.amount),
        ],
        memo=f"Funds held for {describe(held.reference).label}"[:300],
        cause=f"heldfunds:{held.pk}",
        by=held.payer,
    )
    _move(held, HeldFunds.Status.FUNDED, by=held.payer, note=f"from {source}")
    held.source = source
    held.fund_transaction = txn
    held.funded_at = timezone.now()
    held.save(update_fields=["status", "source", "fund_transaction", "funded_at"])
    from escrow import purposes

    on_funded = purposes.held_handler_for(held.reference)
    if on_funded is not None:
        on_funded(held)  # the app that asked for the money tells the payee, once
        return txn
    described = describe(held.reference)
    tell(
        user=held.payee,
        kind="escrow.funds_held",
        title=format_lazy(gettext_lazy("Funds are held · {}"), described.label),
        body=format_lazy(
            gettext_lazy("{} is held for {}."),
            format_money_lazy(held.amount, held.currency),
            described.label,
        ),
        url=described.url,
        target=held,
    )
    return txn


def fund_escrow(
    *, payer: Any, payee: Any, reference: str, amount: int, source: str, return_url: str = "/"
) -> Any:
    """Hold funds: from the wallet at once (HeldFunds), or by card (a PaymentResult to redirect)."""
    if source not in {"balance", "card"}:
        raise InvalidAmount(_("Pay from your balance or by card."))
    if source == "card":
        from escrow.services.payments import start_held_funds_checkout

        return start_held_funds_checkout(
            payer=payer, payee=payee, reference=reference, amount=amount, return_url=return_url
        )
    with transaction.atomic():
        held = prepare_held_funds(payer=payer, payee=payee, reference=reference, amount=amount)
        held = _lock(reference)
        if held.status != HeldFunds.Status.AWAITING_PAYMENT:
            raise AlreadyFunded()
        hold_from_wallet(held=held, source="balance")
    return held


def release_escrow(
    *, reference: str, by: Any, fee_kind: str = "default", notify: bool = True
) -> HeldFunds:
    """Net to the payee, fee to the platform, breakdown recorded. By the payer, staff or system.
    notify=False when the caller sends the one notification of its own event."""
    with transaction.atomic():
        held = _lock(reference)
        if by is not None and by.pk != held.payer_id and not _is_staff(by):
            raise NotAllowed(_("Only the client can release these funds."))
        _move(held, HeldFunds.Status.RELEASED, by=by)
        quote = quote_fee(amount=held.amount, fee_kind=fee_kind, currency=held.currency)
        legs = [Leg(held_account(held), -held.amount)]
        if quote.net:
            legs.append(Leg(wallet_account(held.payee, held.currency), quote.net))
        if quote.fee:
            legs.append(Leg(platform_account(Account.Kind.PLATFORM_FEES, held.currency), quote.fee))
        txn, _unused = post(
            key=held.settlement_key,
            kind=LedgerTransaction.Kind.ESCROW_RELEASE,
            legs=legs,
            memo=f"Released: {describe(held.reference).label}"[:300],
            cause=f"heldfunds:{held.pk}",
            by=by,
        )
        held.fee_kind = fee_kind
        held.fee = quote.fee
        held.payee_net = quote.net
        held.fee_breakdown = quote.as_breakdown()
        _settle(held, txn)
        from escrow.services.payouts import transfer_release

        transfer_release(held=held)
        if notify:
            described = describe(held.reference)
            tell(
                user=held.payee,
                kind="escrow.released",
                title=format_lazy(
                    gettext_lazy("Payment released to your balance · {}"), described.label
                ),
                body=format_lazy(
                    gettext_lazy("{} after a {} fee."),
                    format_money_lazy(quote.net, held.currency),
                    format_money_lazy(quote.fee, held.currency),
                ),
                url=described.url,
                target=held,
            )
    return held


def refund_escrow(*, reference: str, by: Any, to: str = "wallet", notify: bool = True) -> HeldFunds:
    """Give the held amount back to the payer's wallet or card. Payee, staff or system.

    to="chargeback" (system only, from a lost card dispute) records that the bank already
    returned the money to the card: the same posting as a card refund, without asking the
    gateway to refund again.
    """
    if to not in {"wallet", "card", "chargeback"}:
        raise InvalidAmount(_("Refund to the wallet or the card."))
    to_card = to in {"card", "chargeback"}
    with transaction.atomic():
        held = _lock(reference)
        if by is not None and by.pk != held.payee_id and not _is_staff(by):
            raise NotAllowed(_("Only the expert or staff can refund these funds."))
        if by is not None and to == "chargeback":
            raise NotAllowed()
        checkout = None
        if to_card:
            checkout = held.checkouts.filter(status="succeeded").order_by("-pk").first()
            if checkout is None or not held.charge_ref:
                raise InvalidTransition(_("These funds were not paid by card."))
        _move(held, HeldFunds.Status.REFUNDED, by=by, note=f"to {to}")
        if to_card:
            target = platform_account(Account.Kind.CARD_CLEARING, held.currency)
        else:
            target = wallet_account(held.payer, held.currency)
        txn, _unused = post(
            key=held.settlement_key,
            kind=LedgerTransaction.Kind.CARD_REFUND
            if to_card
            else LedgerTransaction.Kind.ESCROW_REFUND,
            legs=[Leg(held_account(held), -held.amount), Leg(target, held.amount)],
            memo=f"Refunded: {describe(held.reference).label}"[:300],
            cause=f"heldfunds:{held.pk}",
            by=by,
        )
        held.payer_refund = held.amount
        _settle(held, txn)
        if checkout is not None and to == "card":
            from escrow.services.payments import schedule_card_refund

            schedule_card_refund(checkout=checkout, amount=held.amount, key=held.settlement_key)
        elif checkout is not None:
            type(checkout).objects.filter(pk=checkout.pk).update(
                refunded_amount=F("refunded_amount") + held.amount
            )
        described = describe(held.reference)
        if notify:
            tell(
                user=held.payer,
                kind="escrow.refunded",
                title=format_lazy(gettext_lazy("Held funds refunded · {}"), described.label),
                body=format_lazy(
                    gettext_lazy("{} went back to your card.")
                    if to_card
                    else gettext_lazy("{} went back to your balance."),
                    format_money_lazy(held.amount, held.currency),
                ),
                url=described.url,
                target=held,
            )
    return held


def split_escrow(
    *,
    reference: str,
    by: Any,
    payee_amount: int,
    fee_kind: str = "default",
    notify: bool = True,
) -> HeldFunds:
    """A dispute outcome: payee_amount (less the fee on it) to the payee, the rest to the payer."""
    if isinstance(payee_amount, bool) or not isinstance(payee_amount, int) or payee_amount < 0:
        raise InvalidAmount(_("The expert's share must be zero or more cents."))
    with transaction.atomic():
        held = _lock(reference)
        if by is not None and not _is_staff(by):
            raise NotAllowed(_("Only staff can split held funds."))
        if payee_amount > held.amount:
            raise InvalidAmount(_("The expert's share cannot exceed the held amount."))
        _move(held, HeldFunds.Status.SPLIT, by=by, note=f"payee share {payee_amount}")
        quote = quote_fee(amount=payee_amount, fee_kind=fee_kind, currency=held.currency)
        payer_part = held.amount - payee_amount
        legs = [Leg(held_account(held), -held.amount)]
        if quote.net:
            legs.append(Leg(wallet_account(held.payee, held.currency), quote.net))
        if quote.fee:
            legs.append(Leg(platform_account(Account.Kind.PLATFORM_FEES, held.currency), quote.fee))
        if payer_part:
            legs.append(Leg(wallet_account(held.payer, held.currency), payer_part))
        txn, _unused = post(
            key=held.settlement_key,
            kind=LedgerTransaction.Kind.ESCROW_SPLIT,
            legs=legs,
            memo=f"Split: {describe(held.reference).label}"[:300],
            cause=f"heldfunds:{held.pk}",
            by=by,
        )
        held.fee_kind = fee_kind
        held.fee = quote.fee
        held.payee_net = quote.net
        held.payer_refund = payer_part
        held.fee_breakdown = quote.as_breakdown()
        _settle(held, txn)
        described = describe(held.reference)
        for user, share in ((held.payer, payer_part), (held.payee, quote.net)) if notify else ():
            tell(
                user=user,
                kind="escrow.split",
                title=format_lazy(gettext_lazy("Held funds were split · {}"), described.label),
                body=format_lazy(
                    gettext_lazy("{} of the {} held went to your balance."),
                    format_money_lazy(share, held.currency),
                    format_money_lazy(held.amount, held.currency),
                ),
                url=described.url,
                target=held,
            )
    return held


def freeze_escrow(*, reference: str, by: Any = None, reason: str = "payment dispute") -> HeldFunds:
    """Freeze held funds while a card dispute is open (from the gateway's dispute event)."""
    with transaction.atomic():
        held = _lock(reference)
        if held.status == HeldFunds.Status.FROZEN:
            return held
        if by is not None and not _is_staff(by):
            raise NotAllowed()
        _move(held, HeldFunds.Status.FROZEN, by=by, note=reason)
        held.save(update_fields=["status"])
        alert_staff(
            kind="escrow.dispute_opened",
            title=format_lazy(
                gettext_lazy("Card dispute: held funds {reference} frozen"),
                reference=held.reference,
            ),
            body=reason,
        )
    return held


def unfreeze_escrow(*, reference: str, by: Any = None, reason: str = "") -> HeldFunds:
    with transaction.atomic():
        held = _lock(reference)
        if held.status != HeldFunds.Status.FROZEN:
            return held
        if by is not None and not _is_staff(by):
            raise NotAllowed()
        _move(held, HeldFunds.Status.FUNDED, by=by, note=reason or "dispute closed")
        held.save(update_fields=["status"])
    return held


def _settle(held: HeldFunds, txn: LedgerTransaction) -> None:
    held.settle_transaction = txn
    held.settled_at = timezone.now()
    held.save(
        update_fields=[
            "status",
            "fee_kind",
            "fee",
            "payee_net",
            "payer_refund",
            "fee_breakdown",
            "settle_transaction",
            "settled_at",
        ]
    )
