"""The demo card page's submissions become gateway events, processed like Stripe webhooks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from escrow.exceptions import InvalidTransition, NotAllowed
from escrow.gateways.demo import CARD_DECLINED, CARD_FAILS_LATER, CARD_SUCCEEDS
from escrow.models import Checkout
from escrow.services.payments import record_gateway_event

DEMO_FAILURE_DELAY_SECONDS = 5


def _session(checkout: Checkout, **extra: Any) -> dict[str, Any]:
    return {
        "id": checkout.external_id or f"demo_cs_{checkout.token}",
        "object": "checkout.session",
        "amount_total": checkout.amount,
        "currency": checkout.currency.lower(),
        "metadata": {"checkout_id": str(checkout.pk), "kind": checkout.kind},
        "payment_intent": f"demo_pi_{checkout.token}",
        **extra,
    }


def _event(checkout: Checkout, suffix: str, type: str, **extra: Any) -> None:
    event_id = f"demo_evt_{checkout.token}_{suffix}"
    payload = {"id": event_id, "type": type, "data": {"object": _session(checkout, **extra)}}
    record_gateway_event(gateway="demo", event_id=event_id, type=type, payload=payload)


def submit_demo_card(*, checkout: Checkout, user: Any, card_number: str) -> str:
    """Pay a demo checkout with a test card; returns "succeeded", "declined" or "processing"."""
    if checkout.user_id != user.pk:
        raise NotAllowed(_("This checkout belongs to someone else."))
    if checkout.gateway != "demo":
        raise NotAllowed(_("This checkout is not a demo checkout."))
    number = "".join(ch for ch in card_number if ch.isdigit())
    with transaction.atomic():
        locked = Checkout.objects.select_for_update().get(pk=checkout.pk)
        if locked.status != Checkout.Status.OPEN:
            raise InvalidTransition(_("This checkout is already finished."))
        if number == CARD_SUCCEEDS:
            _event(locked, "completed", "checkout.session.completed", payment_status="paid")
            return "succeeded"
        if number == CARD_FAILS_LATER:
            _event(locked, "completed", "checkout.session.completed", payment_status="unpaid")
            from escrow.tasks import demo_async_failure

            transaction.on_commit(
                lambda: demo_async_failure.apply_async(
                    (locked.pk,), countdown=DEMO_FAILURE_DELAY_SECONDS
                )
            )
            return "processing"
        message = "Your card was declined." if number == CARD_DECLINED else "Unknown test card."
        _event(
            locked,
            "failed",
            "payment_intent.payment_failed",
            last_payment_error={"message": message},
        )
        return "declined"


def fail_demo_checkout_later(*, checkout_id: int) -> None:
    checkout = Checkout.objects.get(pk=checkout_id)
    with transaction.atomic():
        _event(
            checkout,
            "async_failed",
            "checkout.session.async_payment_failed",
            last_payment_error={"message": "The bank refused the payment after a delay."},
        )
