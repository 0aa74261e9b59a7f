"""What each gateway event means for Guildhall. Demo and Stripe events share this code.

Postings are keyed on the business fact (the charge, the payout), never on the event id, so two
different events about the same payment still move money once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from escrow.exceptions import MoneyActionError, UnknownReference
from escrow.models import Checkout, ConnectedAccount, GatewayEvent, Payout
from escrow.notify import alert_staff
from escrow.services.held import freeze_escrow, refund_escrow, unfreeze_escrow
from escrow.services.payments import fail_checkout, fulfil_checkout, mark_checkout_processing
from escrow.services.payouts import mark_payout_failed, mark_payout_paid

logger = logging.getLogger(__name__)


def _object(event: GatewayEvent) -> dict[str, Any]:
    data = event.payload.get("data", {})
    obj = data.get("object", {}) if isinstance(data, dict) else {}
    return obj if isinstance(obj, dict) else {}


def _checkout_for(obj: dict[str, Any]) -> Checkout:
    metadata = obj.get("metadata") or {}
    checkout_id = metadata.get("checkout_id")
    checkout = None
    if checkout_id and str(checkout_id).isdigit():
        checkout = Checkout.objects.filter(pk=int(checkout_id)).first()
    if checkout is None and obj.get("id"):
        checkout = Checkout.objects.filter(external_id=obj["id"]).first()
    if checkout is None:
        raise UnknownReference("The event names no checkout we know.")
    return checkout


def _charge_ref(obj: dict[str, Any]) -> str:
    return str(obj.get("payment_intent") or obj.get("id"))


def _payout_for(obj: dict[str, Any]) -> Payout:
    payout_id = (obj.get("metadata") or {}).get("payout_id")
    payout = None
    if payout_id and str(payout_id).isdigit():
        payout = Payout.objects.filter(pk=int(payout_id)).first()
    if payout is None and obj.get("id"):
        payout = Payout.objects.filter(gateway_ref=obj["id"]).first()
    if payout is None:
        raise UnknownReference("The event names no payout we know.")
    return payout


def _held_reference_for_charge(obj: dict[str, Any]) -> str | None:
    intent = obj.get("payment_intent") or obj.get("charge")
    checkout = Checkout.objects.filter(charge_ref=intent, held__isnull=False).first()
    return checkout.held.reference if checkout and checkout.held else None


def handle_event(event: GatewayEvent) -> None:
    obj = _object(event)
    kind = event.type
    if kind in {"checkout.session.completed", "checkout.session.async_payment_succeeded"}:
        checkout = _checkout_for(obj)
        if kind == "checkout.session.completed" and obj.get("payment_status") not in {
            "paid",
            "no_payment_required",
        }:
            mark_checkout_processing(checkout_id=checkout.pk)
            return
        fulfil_checkout(checkout_id=checkout.pk, charge_ref=_charge_ref(obj))
    elif kind in {"checkout.session.async_payment_failed", "payment_intent.payment_failed"}:
        checkout = _checkout_for(obj)
        reason = (obj.get("last_payment_error") or {}).get("message") or "The card payment failed."
        fail_checkout(checkout_id=checkout.pk, reason=reason)
    elif kind == "checkout.session.expired":
        checkout = _checkout_for(obj)
        fail_checkout(
            checkout_id=checkout.pk, reason="The checkout expired.", status=Checkout.Status.EXPIRED
        )
    elif kind == "charge.dispute.created":
        reference = _held_reference_for_charge(obj)
        try:
            if reference is None:
                raise UnknownReference("The disputed charge holds no funds.")
            freeze_escrow(reference=reference, reason=f"card dispute {obj.get('id', '')}")
        except MoneyActionError as exc:
            # Already released or refunded, or a top up/purchase: staff decide what to do.
            alert_staff(
                kind="escrow.dispute_opened",
                title=gettext_lazy("Card dispute opened"),
                body=f"{obj.get('id')}: {reference or 'no held funds'} ({exc})",
            )
    elif kind == "charge.dispute.closed":
        reference = _held_reference_for_charge(obj)
        alert_staff(
            kind="escrow.dispute_closed",
            title=format_lazy(
                gettext_lazy("Card dispute closed: {get}"), get=obj.get("status", "unknown")
            ),
            body=reference or "",
        )
        if reference and obj.get("status") == "won":
            unfreeze_escrow(reference=reference, reason="dispute won")
        elif reference and obj.get("status") == "lost":
            refund_escrow(reference=reference, by=None, to="chargeback")
    elif kind == "payout.paid":
        mark_payout_paid(payout_id=_payout_for(obj).pk, by=None)
    elif kind in {"payout.failed", "payout.canceled"}:
        reason = obj.get("failure_message") or "The bank refused the payout."
        mark_payout_failed(payout_id=_payout_for(obj).pk, by=None, reason=reason)
    elif kind == "charge.refunded":
        refunded = int(obj.get("amount_refunded") or 0)
        charged = Checkout.objects.filter(charge_ref=obj.get("payment_intent")).first()
        if charged is not None and refunded > charged.refunded_amount:
            alert_staff(
                kind="escrow.refund_outside_guildhall",
                title=format_lazy(
                    gettext_lazy("Charge refunded outside Guildhall (checkout {number})"),
                    number=charged.pk,
                ),
                body=format_lazy(
                    gettext_lazy("Stripe shows {refunded}, Guildhall recorded {refunded_amount}."),
                    refunded=refunded,
                    refunded_amount=charged.refunded_amount,
                ),
            )
    elif kind == "account.updated":
        ConnectedAccount.objects.filter(stripe_account_id=obj.get("id")).update(
            payouts_enabled=bool(obj.get("payouts_enabled"))
        )
    else:
        # transfer.*, charge.refunded (our refunds are posted when we make them) and the rest
        # are stored for the record and reconciliation.
        logger.info("gateway event %s stored without action", kind)
