"""Card checkouts (top up, purchases, held funds), purchases from the balance, and the single
fulfilment path that both the demo card page and signed Stripe webhooks go through."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escrow import memos, purposes
from escrow.exceptions import (
    InvalidAmount,
    MoneyActionError,
    NotAllowed,
    UnknownReference,
    UnsafeReturnUrl,
)
from escrow.gateways import get_gateway
from escrow.models import (
    Account,
    CardRefund,
    Checkout,
    GatewayEvent,
    HeldFunds,
    LedgerTransaction,
    Purchase,
)
from escrow.notify import alert_staff, tell
from escrow.purposes import describe, humanize
from escrow.services.held import hold_from_wallet, prepare_held_funds
from escrow.services.ledger import (
    Leg,
    currency,
    platform_account,
    post,
    validate_amount,
    wallet_account,
)
from marketplace.money import format_money_lazy

RETURN_SALT = "escrow.checkout-return"

logger = logging.getLogger(__name__)


def _shown(description: str) -> str:
    """A payment's description as the reader's pages show it: references named, the wording in
    the active language (a notification renders it in the recipient's)."""
    return memos.translated(humanize(description))


_shown_lazy = lazy(_shown, str)


@dataclass(frozen=True, slots=True)
class PurchaseResult:
    purchase: Purchase
    paid: bool
    redirect_url: str = ""


@dataclass(frozen=True, slots=True)
class CheckoutStarted:
    checkout: Checkout
    redirect_url: str


def safe_return_url(url: str) -> str:
    """Only paths on this site; anything else is refused before anything is saved."""
    url = (url or "/").strip()
    if not url.startswith("/") or url.startswith("//"):
        raise UnsafeReturnUrl()
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        raise UnsafeReturnUrl()
    return url


def return_token(checkout: Checkout) -> str:
    return signing.dumps({"c": checkout.pk, "t": checkout.token}, salt=RETURN_SALT)


def checkout_from_return_token(token: str) -> Checkout:
    """The checkout a signed return link names; UnknownReference when tampered or unknown."""
    try:
        data = signing.loads(token, salt=RETURN_SALT, max_age=60 * 60 * 24 * 7)
        return Checkout.objects.get(pk=int(data["c"]), token=str(data["t"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError, Checkout.DoesNotExist):
        raise UnknownReference(_("This payment link is not valid.")) from None


def _start_checkout(
    *,
    user: Any,
    kind: str,
    amount: int,
    description: str,
    return_url: str,
    purchase: Purchase | None = None,
    held: HeldFunds | None = None,
    key: str = "",
) -> CheckoutStarted:
    checkout = Checkout.objects.create(
        user=user,
        kind=kind,
        gateway=settings.PAYMENT_GATEWAY,
        amount=amount,
        currency=currency(),
        description=description[:300],
        purchase=purchase,
        held=held,
        return_url=return_url,
        idempotency_key=key,
    )
    back = settings.SITE_URL + reverse("escrow:checkout_return")
    token = return_token(checkout)
    redirect_url = get_gateway(checkout.gateway).start_checkout(
        checkout=checkout,
        success_url=f"{back}?t={token}",
        cancel_url=f"{back}?t={token}&cancelled=1",
    )
    checkout.redirect_url = redirect_url
    checkout.save(update_fields=["external_id", "redirect_url"])
    return CheckoutStarted(checkout=checkout, redirect_url=redirect_url)


def _open_checkout(*, amount: int, **owner: Any) -> CheckoutStarted | None:
    """The checkout already started for this purchase or held funds, when still open for the
    same amount: a second click goes to the same card page instead of a second charge."""
    checkout = (
        Checkout.objects.filter(status=Checkout.Status.OPEN, amount=amount, **owner)
        .exclude(redirect_url="")
        .order_by("-pk")
        .first()
    )
    return CheckoutStarted(checkout, checkout.redirect_url) if checkout else None


def _repeated_top_up(checkout: Checkout, amount: int) -> CheckoutStarted:
    if checkout.amount != amount:
        raise NotAllowed(
            _("This form was already used for another amount: reload the page to top up again.")
        )
    return CheckoutStarted(checkout=checkout, redirect_url=checkout.redirect_url)


def start_top_up(
    *, user: Any, amount: int, key: str, return_url: str = "/money/"
) -> CheckoutStarted:
    """Start a card top up; the form's key makes a repeated submission the same top up."""
    validate_amount(amount)
    return_url = safe_return_url(return_url)
    if not key:
        raise NotAllowed(_("This payment form has expired: reload the page and try again."))
    key = f"top-up:{key}"
    existing = Checkout.objects.filter(user=user, idempotency_key=key).first()
    if existing is not None:
        return _repeated_top_up(existing, amount)
    try:
        with transaction.atomic():
            return _start_checkout(
                user=user,
                kind=Checkout.Kind.TOP_UP,
                amount=amount,
                description="Balance top up",
                return_url=return_url,
                key=key,
            )
    except IntegrityError:
        # A parallel submission of the same form won the race: it is this top up.
        return _repeated_top_up(Checkout.objects.get(user=user, idempotency_key=key), amount)


def start_held_funds_checkout(
    *, payer: Any, payee: Any, reference: str, amount: int, return_url: str
) -> CheckoutStarted:
    return_url = safe_return_url(return_url)
    with transaction.atomic():
        held = prepare_held_funds(payer=payer, payee=payee, reference=reference, amount=amount)
        held = HeldFunds.objects.select_for_update().get(pk=held.pk)
        held.source = "card"
        held.save(update_fields=["source"])
        started = _open_checkout(amount=held.amount, held=held)
        if started is not None:
            return started
        return _start_checkout(
            user=payer,
            kind=Checkout.Kind.HELD_FUNDS,
            amount=held.amount,
            description=f"Payment protection for {describe(reference).label}"[:300],
            return_url=return_url,
            held=held,
        )


def pay_for_purchase(
    *,
    user: Any,
    amount: int,
    purpose: str,
    reference: str,
    description: str,
    source: str,
    return_url: str = "/money/",
    repeatable: bool = False,
) -> PurchaseResult:
    """Buy something from the platform from the balance (at once) or by card (a checkout).

    (user, purpose, reference) is the purchase's idempotency key: a reference derived from the
    business fact (a lead, a booking's fee) or from the paying form's key. A second request
    for a paid purchase is refused, or, when ``repeatable`` (a form key: a double click), given
    the first one's result; a second card request goes to the checkout already open."""
    validate_amount(amount)
    if source not in {"balance", "card"}:
        raise InvalidAmount(_("Pay from your balance or by card."))
    if not purposes.is_registered(purpose):
        raise UnknownReference(_("We do not know what this payment is for."))
    if not reference:
        raise UnknownReference(_("A purchase needs a reference."))
    return_url = safe_return_url(return_url)
    with transaction.atomic():
        purchase, _unused = Purchase.objects.get_or_create(
            user=user,
            purpose=purpose,
            reference=reference,
            defaults={
                "amount": amount,
                "currency": currency(),
                "description": description[:300],
                "source": source,
            },
        )
        purchase = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if purchase.status == Purchase.Status.PAID:
            if repeatable:
                return PurchaseResult(purchase=purchase, paid=True)
            raise NotAllowed(_("You have already paid for this."))
        if source == "card":
            started_before = _open_checkout(amount=amount, purchase=purchase)
            if started_before is not None:
                return PurchaseResult(
                    purchase=purchase, paid=False, redirect_url=started_before.redirect_url
                )
        purchase.amount = amount
        purchase.source = source
        purchase.description = description[:300]
        purchase.save(update_fields=["amount", "source", "description"])
        if source == "balance":
            settle_purchase(purchase=purchase)
            return PurchaseResult(purchase=purchase, paid=True)
        started = _start_checkout(
            user=user,
            kind=Checkout.Kind.PURCHASE,
            amount=amount,
            description=description,
            return_url=return_url,
            purchase=purchase,
        )
    return PurchaseResult(purchase=purchase, paid=False, redirect_url=started.redirect_url)


def settle_purchase(*, purchase: Purchase) -> LedgerTransaction:
    """Debit the wallet for a locked pending purchase and run its on_paid handler, once."""
    txn, _unused = post(
        key=f"purchase:{purchase.pk}",
        kind=LedgerTransaction.Kind.PURCHASE,
        legs=[
            Leg(wallet_account(purchase.user, purchase.currency), -purchase.amount),
            Leg(
                platform_account(Account.Kind.PLATFORM_REVENUE, purchase.currency), purchase.amount
            ),
        ],
        memo=purchase.description,
        cause=f"purchase:{purchase.pk}",
        by=purchase.user,
    )
    purchase.status = Purchase.Status.PAID
    purchase.transaction = txn
    purchase.paid_at = timezone.now()
    purchase.save(update_fields=["status", "transaction", "paid_at"])
    handler = purposes.handler_for(purchase.purpose)
    if handler is not None:
        handler(purchase)
    return txn


def _lock_checkout(checkout_id: int) -> Checkout:
    return Checkout.objects.select_for_update().select_related("user").get(pk=checkout_id)


def fulfil_checkout(*, checkout_id: int, charge_ref: str) -> Checkout:
    """Card money arrived: credit the wallet via card clearing, then settle what it was for."""
    with transaction.atomic():
        checkout = _lock_checkout(checkout_id)
        if checkout.status == Checkout.Status.SUCCEEDED:
            return checkout
        post(
            key=f"card-charge:{charge_ref}",
            kind=LedgerTransaction.Kind.TOP_UP
            if checkout.kind == Checkout.Kind.TOP_UP
            else LedgerTransaction.Kind.CARD_PAYMENT,
            legs=[
                Leg(
                    platform_account(Account.Kind.CARD_CLEARING, checkout.currency),
                    -checkout.amount,
                ),
                Leg(wallet_account(checkout.user, checkout.currency), checkout.amount),
            ],
            memo=checkout.description or "Card payment",
            cause=f"checkout:{checkout.pk}",
            by=checkout.user,
        )
        checkout.status = Checkout.Status.SUCCEEDED
        checkout.charge_ref = charge_ref
        checkout.completed_at = timezone.now()
        checkout.save(update_fields=["status", "charge_ref", "completed_at"])
        if checkout.purchase_id:
            purchase = Purchase.objects.select_for_update().get(pk=checkout.purchase_id)
            if purchase.status == Purchase.Status.PENDING:
                settle_purchase(purchase=purchase)
        if checkout.held_id:
            held = HeldFunds.objects.select_for_update().get(pk=checkout.held_id)
            if held.status == HeldFunds.Status.AWAITING_PAYMENT:
                held.charge_ref = charge_ref
                held.save(update_fields=["charge_ref"])
                hold_from_wallet(held=held, source="card")
        tell(
            user=checkout.user,
            kind="escrow.payment_received",
            title=format_lazy(
                gettext_lazy("Payment received · {}"), _shown_lazy(checkout.description)
            ),
            body=format_lazy(
                gettext_lazy("{} paid by card: {}."),
                format_money_lazy(checkout.amount, checkout.currency),
                _shown_lazy(checkout.description),
            ),
            url=reverse("escrow:receipt", kwargs={"pk": checkout.pk}),
            target=checkout,
        )
    return checkout


def sentence(text: str) -> str:
    """A reason as one sentence ending in exactly one full stop ("declined." never "declined..")."""
    text = (text or "").strip().rstrip(".")
    return f"{text}." if text else ""


def fail_checkout(*, checkout_id: int, reason: str, status: str = Checkout.Status.FAILED) -> bool:
    """A declined, failed or expired checkout: only its status changes. True when it changed."""
    with transaction.atomic():
        checkout = _lock_checkout(checkout_id)
        if checkout.status not in {Checkout.Status.OPEN, Checkout.Status.PROCESSING}:
            return False
        checkout.status = status
        checkout.failure_reason = reason[:300]
        checkout.completed_at = timezone.now()
        checkout.save(update_fields=["status", "failure_reason", "completed_at"])
        if status == Checkout.Status.FAILED:
            tell(
                user=checkout.user,
                kind="escrow.payment_failed",
                title=format_lazy(
                    gettext_lazy("Card payment failed · {}"), _shown_lazy(checkout.description)
                ),
                body=format_lazy(
                    gettext_lazy("{} Nothing was charged: try the payment again."), sentence(reason)
                ),
                url=checkout.return_url or reverse("escrow:receipts"),
                target=checkout,
            )
    return True


DEMO_CHECKOUT_LIFETIME = timedelta(hours=24)


def expire_abandoned_demo_checkouts(*, now: datetime | None = None) -> int:
    """Demo checkouts nobody paid expire after a day (Stripe sends its own expiry events)."""
    cutoff = (now or timezone.now()) - DEMO_CHECKOUT_LIFETIME
    stale = Checkout.objects.filter(
        gateway="demo", status=Checkout.Status.OPEN, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return sum(
        fail_checkout(
            checkout_id=pk, reason="The checkout expired.", status=Checkout.Status.EXPIRED
        )
        for pk in list(stale[:500])
    )


def mark_checkout_processing(*, checkout_id: int) -> bool:
    updated = Checkout.objects.filter(pk=checkout_id, status=Checkout.Status.OPEN).update(
        status=Checkout.Status.PROCESSING
    )
    return updated == 1


def schedule_card_refund(*, checkout: Checkout, amount: int, key: str) -> CardRefund:
    """Record the refund now (outbox row); the gateway call runs after commit, once."""
    Checkout.objects.filter(pk=checkout.pk).update(refunded_amount=F("refunded_amount") + amount)
    refund, _unused = CardRefund.objects.get_or_create(
        key=key, defaults={"checkout": checkout, "amount": amount}
    )
    from escrow.tasks import refund_card

    transaction.on_commit(partial(refund_card.delay, refund.pk))
    return refund


def send_card_refund(*, refund_id: int) -> str:
    """Ask the gateway to refund (idempotency key = the settlement key); safe to run twice."""
    with transaction.atomic():
        refund = CardRefund.objects.select_for_update().select_related("checkout").get(pk=refund_id)
        if refund.sent_at is not None:
            return refund.gateway_ref
        gateway = get_gateway(refund.checkout.gateway)
        refund.gateway_ref = gateway.refund(
            checkout=refund.checkout, amount=refund.amount, key=refund.key
        )
        refund.sent_at = timezone.now()
        refund.save(update_fields=["gateway_ref", "sent_at"])
    return refund.gateway_ref


# --- gateway events: stored once, processed after commit (the outbox) -------------------------


def record_gateway_event(
    *, gateway: str, event_id: str, type: str, payload: dict[str, Any]
) -> tuple[GatewayEvent, bool]:
    """Store a provider event once (event id unique) and enqueue its processing after commit."""
    try:
        with transaction.atomic():
            event = GatewayEvent.objects.create(
                gateway=gateway, event_id=event_id, type=type, payload=payload
            )
    except IntegrityError:
        existing = GatewayEvent.objects.get(event_id=event_id)
        if existing.processed_at is None:
            # A redelivery of an event not applied yet (e.g. the first attempt crashed): try
            # again now rather than wait for the sweep; processing is once-only under a lock.
            _enqueue(existing.pk)
        return existing, False
    _enqueue(event.pk)
    return event, True


def _enqueue(event_id: int) -> None:
    from escrow.tasks import process_gateway_event

    transaction.on_commit(partial(process_gateway_event.delay, event_id))


def process_event(*, event_id: int) -> bool:
    """Apply one stored event, once. True when this call processed it."""
    from escrow.services.events import handle_event

    with transaction.atomic():
        event = GatewayEvent.objects.select_for_update().get(pk=event_id)
        if event.processed_at is not None:
            return False
        event.attempts += 1
        try:
            with transaction.atomic():
                handle_event(event)
        except MoneyActionError as exc:
            # A refusal is final (e.g. an unknown reference): keep the reason, don't retry.
            event.last_error = str(exc)
        except Exception as exc:
            # A crash: nothing of it was applied (savepoint). Keep it unprocessed so the sweep
            # and the next request retry it, and tell staff now.
            logger.exception("gateway event %s failed", event.event_id)
            event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            event.save(update_fields=["attempts", "last_error"])
            _alert_event_failed(event)
            return False
        event.processed_at = timezone.now()
        event.save(update_fields=["processed_at", "attempts", "last_error"])
        if event.last_error:
            _alert_event_failed(event)
    return True


# An event that crashed this often waits for staff (it alerted them each time).
PENDING_EVENT_MAX_ATTEMPTS = 5


def process_pending_events(*, limit: int = 50) -> int:
    """Apply stored events left unprocessed (a crash after their commit); never raises, so a
    visitor's request is not the one that fails. Returns how many were applied."""
    pending = GatewayEvent.objects.filter(
        processed_at__isnull=True, attempts__lt=PENDING_EVENT_MAX_ATTEMPTS
    ).order_by("id")
    applied = 0
    for event_id in pending.values_list("pk", flat=True)[:limit]:
        try:
            applied += process_event(event_id=event_id)
        except Exception:
            logger.exception("pending gateway event %s not applied", event_id)
    return applied


def _alert_event_failed(event: GatewayEvent) -> None:
    """Every gateway event that could not be applied reaches staff (and the reconciliation
    report lists it): a refused payout.paid or a crashed fulfilment is money to look at."""
    alert_staff(
        kind="escrow.gateway_event_failed",
        title=format_lazy(
            gettext_lazy("Gateway event {type} could not be processed"), type=event.type
        ),
        body=f"{event.event_id}: {event.last_error}",
        url=reverse("admin:escrow_gatewayevent_change", args=[event.pk]),
    )
