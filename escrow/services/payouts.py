"""Withdrawals: request (wallet → in transit) → staff approval → gateway → paid, or failed and
returned to the wallet. Paid and failed share one settlement key, so a payout settles once."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from escrow.exceptions import GatewayError, InvalidAmount, InvalidTransition, NotAllowed
from escrow.gateways import get_gateway
from escrow.models import Account, ConnectedAccount, HeldFunds, LedgerTransaction, Payout
from escrow.notify import alert_staff, tell
from escrow.services.ledger import (
    Leg,
    currency,
    platform_account,
    post,
    validate_amount,
    wallet_account,
)
from marketplace.money import format_money, format_money_lazy


def _lock(payout_id: int) -> Payout:
    return Payout.objects.select_for_update().select_related("user").get(pk=payout_id)


def _move(payout: Payout, to_status: str) -> None:
    if to_status not in Payout.TRANSITIONS[payout.status]:
        raise InvalidTransition(
            _("This withdrawal is already {lower}.").format(
                lower=payout.get_status_display().lower()
            )
        )
    payout.status = to_status


def _refuse_staff_after_gateway(payout: Payout, by: Any) -> None:
    if by is not None and payout.with_gateway:
        raise InvalidTransition(
            _(
                "Withdrawal %(id)s was sent to the payment gateway: only the gateway's events "
                "settle it now. Open a case to follow it up."
            )
            % {"id": payout.pk}
        )


def open_payout_case(*, payout_id: int, by: Any, note: str) -> Payout:
    """Staff flag a payout to follow up (e.g. the bank says it never arrived). No money moves:
    settling stays with the gateway's events once the payout was sent."""
    if not getattr(by, "is_staff", False):
        raise NotAllowed(_("Only staff can open a case on a withdrawal."))
    note = (note or "").strip()
    if not note:
        raise InvalidAmount(_("Write what the case is about."))
    with transaction.atomic():
        payout = _lock(payout_id)
        stamp = timezone.now()
        line = f"{stamp:%Y-%m-%d %H:%M} {getattr(by, 'email', by)}: {note}"
        payout.case_note = f"{payout.case_note}\n{line}".strip()
        payout.case_opened_at = payout.case_opened_at or stamp
        payout.case_opened_by = payout.case_opened_by or by
        payout.save(update_fields=["case_note", "case_opened_at", "case_opened_by"])
    return payout


def request_payout(*, user: Any, amount: int) -> Payout:
    """Reserve money from the available balance for a withdrawal; refused above the balance."""
    validate_amount(amount)
    if amount < settings.PAYOUT_MIN:
        raise InvalidAmount(
            _("The smallest withdrawal is {amount}.").format(
                amount=format_money(settings.PAYOUT_MIN, currency())
            )
        )
    with transaction.atomic():
        payout = Payout.objects.create(user=user, amount=amount, currency=currency())
        post(
            key=f"payout-request:{payout.pk}",
            kind=LedgerTransaction.Kind.PAYOUT_REQUEST,
            legs=[
                Leg(wallet_account(user), -amount),
                Leg(platform_account(Account.Kind.PAYOUTS_IN_TRANSIT), amount),
            ],
            memo="Withdrawal requested",
            cause=f"payout:{payout.pk}",
            by=user,
        )
        alert_staff(
            kind="escrow.payout_requested",
            title=format_lazy(
                gettext_lazy("Withdrawal of {amount} to approve"),
                amount=format_money_lazy(amount, payout.currency),
            ),
            url=reverse("admin:escrow_payout_changelist"),
        )
    return payout


def approve_payout(*, payout_id: int, by: Any) -> Payout:
    if not getattr(by, "is_staff", False):
        raise NotAllowed(_("Only staff can approve withdrawals."))
    with transaction.atomic():
        payout = _lock(payout_id)
        _move(payout, Payout.Status.APPROVED)
        payout.approved_by = by
        payout.approved_at = timezone.now()
        payout.gateway = settings.PAYMENT_GATEWAY
        payout.save(update_fields=["status", "approved_by", "approved_at", "gateway"])
        from escrow.tasks import send_payout

        transaction.on_commit(lambda: send_payout.delay(payout.pk))
    return payout


def send_payout(*, payout_id: int) -> Payout:
    """Hand an approved payout to the gateway (safe to run twice: keyed idempotency)."""
    with transaction.atomic():
        payout = _lock(payout_id)
        if payout.status != Payout.Status.APPROVED or payout.sent_at is not None:
            return payout
        try:
            result = get_gateway(payout.gateway or None).pay_out(payout=payout)
        except GatewayError as exc:
            payout.failure_reason = str(exc)[:300]
            payout.save(update_fields=["failure_reason"])
            alert_staff(
                kind="escrow.payout_stuck",
                title=format_lazy(gettext_lazy("Payout {number} not sent"), number=payout.pk),
                body=str(exc),
            )
            return payout
        payout.gateway_ref = result.reference
        payout.sent_at = timezone.now()
        payout.save(update_fields=["gateway_ref", "sent_at"])
        if result.paid:
            mark_payout_paid(payout_id=payout.pk, by=None)
            payout.refresh_from_db()
    return payout


def mark_payout_paid(*, payout_id: int, by: Any) -> Payout:
    if by is not None and not getattr(by, "is_staff", False):
        raise NotAllowed()
    with transaction.atomic():
        payout = _lock(payout_id)
        _refuse_staff_after_gateway(payout, by)
        _move(payout, Payout.Status.PAID)
        post(
            key=payout.settlement_key,
            kind=LedgerTransaction.Kind.PAYOUT_PAID,
            legs=[
                Leg(
                    platform_account(Account.Kind.PAYOUTS_IN_TRANSIT, payout.currency),
                    -payout.amount,
                ),
                Leg(platform_account(Account.Kind.CARD_CLEARING, payout.currency), payout.amount),
            ],
            memo="Withdrawal paid",
            cause=f"payout:{payout.pk}",
            by=by,
        )
        payout.settled_at = timezone.now()
        payout.save(update_fields=["status", "settled_at"])
        tell(
            user=payout.user,
            kind="escrow.payout_paid",
            title=gettext_lazy("Your withdrawal is on its way"),
            body=format_lazy(
                gettext_lazy("{amount} was sent to your bank."),
                amount=format_money_lazy(payout.amount, payout.currency),
            ),
            url=reverse("escrow:balance"),
            target=payout,
        )
    return payout


def mark_payout_failed(*, payout_id: int, by: Any, reason: str = "") -> Payout:
    """The payout did not go through (or staff refused it): the money returns to the wallet."""
    if by is not None and not getattr(by, "is_staff", False):
        raise NotAllowed()
    with transaction.atomic():
        payout = _lock(payout_id)
        _refuse_staff_after_gateway(payout, by)
        _move(payout, Payout.Status.FAILED)
        post(
            key=payout.settlement_key,
            kind=LedgerTransaction.Kind.PAYOUT_RETURNED,
            legs=[
                Leg(
                    platform_account(Account.Kind.PAYOUTS_IN_TRANSIT, payout.currency),
                    -payout.amount,
                ),
                Leg(wallet_account(payout.user, payout.currency), payout.amount),
            ],
            memo="Withdrawal returned to your balance",
            cause=f"payout:{payout.pk}",
            by=by,
        )
        payout.failure_reason = (reason or "The withdrawal could not be completed.")[:300]
        payout.settled_at = timezone.now()
        payout.save(update_fields=["status", "failure_reason", "settled_at"])
        tell(
            user=payout.user,
            kind="escrow.payout_failed",
            title=gettext_lazy("Your withdrawal was returned to your balance"),
            body=payout.failure_reason,
            url=reverse("escrow:balance"),
            target=payout,
        )
    return payout


def transfer_release(*, held: HeldFunds) -> Payout | None:
    """With Stripe, a card-paid release goes straight to the expert's Express account
    (separate charges and transfers, source_transaction = the client's charge). The wallet
    credit just posted moves on as a payout that the transfer completes. Otherwise: nothing."""
    if settings.PAYMENT_GATEWAY != "stripe" or not held.charge_ref or held.payee_net <= 0:
        return None
    connected = ConnectedAccount.objects.filter(user_id=held.payee_id, payouts_enabled=True)
    if not connected.exists():
        return None
    payout = Payout.objects.create(
        user=held.payee,
        amount=held.payee_net,
        currency=held.currency,
        status=Payout.Status.APPROVED,
        gateway="stripe",
        approved_at=timezone.now(),
        source_payment_ref=held.charge_ref,
    )
    post(
        key=f"payout-request:{payout.pk}",
        kind=LedgerTransaction.Kind.PAYOUT_REQUEST,
        legs=[
            Leg(wallet_account(held.payee, held.currency), -held.payee_net),
            Leg(platform_account(Account.Kind.PAYOUTS_IN_TRANSIT, held.currency), held.payee_net),
        ],
        memo=f"Sent to your payout account for {held.reference}",
        cause=f"payout:{payout.pk}",
    )
    from escrow.tasks import send_payout as send_task

    transaction.on_commit(partial(send_task.delay, payout.pk))
    return payout


def start_payout_setup(*, user: Any) -> str:
    """The Stripe onboarding URL for the expert's Express account (created once)."""
    if settings.PAYMENT_GATEWAY != "stripe":
        raise NotAllowed(_("Payout accounts are set up with Stripe; the demo pays out directly."))
    from escrow.gateways.stripe import StripeGateway

    gateway = StripeGateway()
    with transaction.atomic():
        connected = ConnectedAccount.objects.select_for_update().filter(user=user).first()
        if connected is None:
            account_id = gateway.create_express_account(
                user_id=user.pk, email=user.email, country=settings.STRIPE_CONNECT_COUNTRY
            )
            connected = ConnectedAccount.objects.create(user=user, stripe_account_id=account_id)
    back = settings.SITE_URL + reverse("escrow:withdraw")
    return gateway.onboarding_link(
        account_id=connected.stripe_account_id,
        refresh_url=settings.SITE_URL + reverse("escrow:payout_setup"),
        return_url=back,
    )


def pay_out_connected_balances(*, now: Any = None) -> int:
    """Express accounts are on manual payouts: send their balances to the bank (daily job)."""
    if settings.PAYMENT_GATEWAY != "stripe":
        return 0
    from escrow.gateways.stripe import StripeGateway

    day = f"{(now or timezone.now()):%Y-%m-%d}"
    gateway = StripeGateway()
    count = 0
    for account in ConnectedAccount.objects.filter(payouts_enabled=True):
        try:
            if gateway.pay_out_connected_balance(account=account, day=day):
                count += 1
        except GatewayError as exc:
            alert_staff(
                kind="escrow.payout_stuck",
                title=format_lazy(
                    gettext_lazy("Payout of {stripe_account_id} failed"),
                    stripe_account_id=account.stripe_account_id,
                ),
                body=str(exc),
            )
    return count


def pay_out_before_hold_limit(*, now: Any = None) -> int:
    """Stripe holds platform funds for a limited time: pay out experts whose balance is older
    than STRIPE_PAYOUT_HOLD_DAYS (only when Stripe is the gateway and payouts are set up)."""
    if settings.PAYMENT_GATEWAY != "stripe":
        return 0
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.STRIPE_PAYOUT_HOLD_DAYS)
    count = 0
    for connected in ConnectedAccount.objects.filter(payouts_enabled=True).select_related("user"):
        wallet = wallet_account(connected.user)
        if wallet.balance < settings.PAYOUT_MIN:
            continue
        last = Payout.objects.filter(user=connected.user).aggregate(at=Max("created_at"))["at"]
        oldest = (
            wallet.entries.filter(amount__gt=0)
            .order_by("id")
            .values_list("created_at", flat=True)
            .first()
        )
        since = last or oldest
        if since is None or since > cutoff:
            continue
        payout = request_payout(user=connected.user, amount=wallet.balance)
        with transaction.atomic():
            locked = _lock(payout.pk)
            _move(locked, Payout.Status.APPROVED)
            locked.approved_at = now
            locked.gateway = "stripe"
            locked.save(update_fields=["status", "approved_at", "gateway"])
            from escrow.tasks import send_payout as send_task

            transaction.on_commit(partial(send_task.delay, locked.pk))
        count += 1
    return count
