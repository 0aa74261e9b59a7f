"""Thin, idempotent Celery tasks (acks late; a redelivered task changes nothing twice)."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from escrow.models import CardRefund, GatewayEvent, Payout
from escrow.services import payments, payouts, reconciliation, wallets


@shared_task(acks_late=True)
def process_gateway_event(event_id: int) -> bool:
    return payments.process_event(event_id=event_id)


@shared_task(acks_late=True)
def refund_card(refund_id: int) -> str:
    return payments.send_card_refund(refund_id=refund_id)


@shared_task(acks_late=True)
def send_payout(payout_id: int) -> str:
    return payouts.send_payout(payout_id=payout_id).status


@shared_task(acks_late=True)
def release_due_pending() -> int:
    return wallets.release_due_pending()


@shared_task(acks_late=True)
def reconcile_ledger() -> bool:
    return reconciliation.run_reconciliation().ok


@shared_task(acks_late=True)
def pay_out_before_hold_limit() -> int:
    return payouts.pay_out_before_hold_limit()


@shared_task(acks_late=True)
def pay_out_connected_balances() -> int:
    return payouts.pay_out_connected_balances()


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    """Re-enqueue work a crash right after commit may have dropped."""
    cutoff = timezone.now() - timedelta(seconds=settings.GATEWAY_EVENT_SWEEP_AFTER_SECONDS)
    count = 0
    stale_events = GatewayEvent.objects.filter(
        processed_at__isnull=True,
        received_at__lte=cutoff,
        attempts__lt=payments.PENDING_EVENT_MAX_ATTEMPTS,
    )
    for pk in stale_events.values_list("pk", flat=True)[:500]:
        process_gateway_event.delay(pk)
        count += 1
    stuck = Payout.objects.filter(
        status=Payout.Status.APPROVED, sent_at__isnull=True, approved_at__lte=cutoff
    )
    for pk in stuck.values_list("pk", flat=True)[:500]:
        send_payout.delay(pk)
        count += 1
    count += payments.expire_abandoned_demo_checkouts()
    unsent = CardRefund.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
    for pk in unsent.values_list("pk", flat=True)[:500]:
        refund_card.delay(pk)
        count += 1
    return count


@shared_task(acks_late=True)
def demo_async_failure(checkout_id: int) -> None:
    from escrow.services.demo import fail_demo_checkout_later

    fail_demo_checkout_later(checkout_id=checkout_id)
