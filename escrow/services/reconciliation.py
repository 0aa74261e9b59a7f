"""Nightly reconciliation: cached balances against entries, zero sums, card clearing against
what the gateway confirmed. Mismatches are stored (the admin shows them) and alert staff."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from escrow.exceptions import GatewayError
from escrow.gateways import get_gateway
from escrow.models import Account, Checkout, Entry, GatewayEvent, Payout, ReconciliationRun
from escrow.notify import alert_staff

# How far back the report looks for failed events and asks the gateway about payouts.
LOOKBACK = timedelta(days=30)


def run_reconciliation() -> ReconciliationRun:
    run = ReconciliationRun.objects.create()
    mismatches: list[dict[str, object]] = []

    sums = dict(
        Entry.objects.values_list("account_id")
        .annotate(total=Sum("amount"))
        .values_list("account_id", "total")
    )
    accounts = 0
    for account in Account.objects.only(
        "pk", "balance", "kind", "reference", "currency"
    ).iterator():
        accounts += 1
        expected = int(sums.get(account.pk) or 0)
        if account.balance != expected:
            mismatches.append(
                {
                    "check": "cached balance",
                    "account": str(account),
                    "cached": account.balance,
                    "entries": expected,
                }
            )

    unbalanced = (
        Entry.objects.values("transaction_id", "currency")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
    )
    for row in unbalanced[:100]:
        mismatches.append({"check": "zero sum", "transaction": row["transaction_id"], **row})

    for code in Account.objects.values_list("currency", flat=True).distinct():
        total = Account.objects.filter(currency=code).aggregate(total=Sum("balance"))["total"] or 0
        if total != 0:
            mismatches.append({"check": "books balance", "currency": code, "total": total})
        clearing = (
            Account.objects.filter(kind=Account.Kind.CARD_CLEARING, currency=code)
            .values_list("balance", flat=True)
            .first()
            or 0
        )
        charged = (
            Checkout.objects.filter(status=Checkout.Status.SUCCEEDED, currency=code).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        refunded = (
            Checkout.objects.filter(currency=code).aggregate(total=Sum("refunded_amount"))["total"]
            or 0
        )
        paid_out = (
            Payout.objects.filter(status=Payout.Status.PAID, currency=code).aggregate(
                total=Sum("amount")
            )["total"]
            or 0
        )
        expected_clearing = -charged + refunded + paid_out
        if clearing != expected_clearing:
            mismatches.append(
                {
                    "check": "card clearing",
                    "currency": code,
                    "ledger": clearing,
                    "gateway": expected_clearing,
                }
            )

    mismatches.extend(_failed_events(now=timezone.now()))
    mismatches.extend(_payouts_against_gateway(now=timezone.now()))

    run.accounts_checked = accounts
    run.transactions_checked = Entry.objects.values("transaction_id").distinct().count()
    run.mismatches = mismatches
    run.ok = not mismatches
    run.finished_at = timezone.now()
    run.save()
    if mismatches:
        alert_staff(
            kind="escrow.reconciliation_mismatch",
            title=format_lazy(
                gettext_lazy("Ledger reconciliation found {len} problem(s)"), len=len(mismatches)
            ),
            url=reverse("admin:escrow_reconciliationrun_change", args=[run.pk]),
        )
    return run


def _failed_events(*, now: datetime) -> list[dict[str, object]]:
    """Gateway events that were refused or crashed, and events left unprocessed too long."""
    stale = now - timedelta(seconds=settings.GATEWAY_EVENT_SWEEP_AFTER_SECONDS)
    events = GatewayEvent.objects.filter(received_at__gte=now - LOOKBACK).filter(
        ~Q(last_error="") | Q(processed_at__isnull=True, received_at__lte=stale)
    )
    return [
        {
            "check": "gateway event",
            "event": event.event_id,
            "type": event.type,
            "processed": event.processed_at is not None,
            "error": event.last_error or "not processed yet",
        }
        for event in events.order_by("id")[:100]
    ]


def _payouts_against_gateway(*, now: datetime) -> list[dict[str, object]]:
    """Each payout or transfer we sent, against the gateway's own record of it."""
    found: list[dict[str, object]] = []
    sent = Payout.objects.exclude(gateway_ref="").filter(sent_at__gte=now - LOOKBACK)
    for payout in sent.order_by("id")[:500]:
        try:
            record = get_gateway(payout.gateway or None).fetch_payout(payout=payout)
        except GatewayError as exc:
            found.append({"check": "gateway payout", "payout": payout.pk, "error": str(exc)})
            continue
        ours = {
            Payout.Status.PAID: "paid",
            Payout.Status.FAILED: "failed",
        }.get(Payout.Status(payout.status), "pending")
        amount_differs = record.status == "paid" and record.amount != payout.amount
        settled_differently = record.status != "pending" and record.status != ours
        if amount_differs or settled_differently:
            found.append(
                {
                    "check": "gateway payout",
                    "payout": payout.pk,
                    "reference": payout.gateway_ref,
                    "ledger": f"{ours} {payout.amount}",
                    "gateway": f"{record.status} {record.amount}",
                }
            )
    return found
