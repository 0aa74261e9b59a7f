"""Stripe, as recommended for marketplaces: Checkout Sessions with metadata (and a transfer group
per held-funds reference), fulfilment only from signed webhooks, Connect "separate charges and
transfers" with Express accounts on manual payouts. Every call carries a deterministic
idempotency key derived from the business fact, so a retried task never charges or pays twice.
"""

from __future__ import annotations

import json
import time
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from escrow.exceptions import GatewayError
from escrow.gateways.base import Gateway, GatewayRecord, PayoutResult
from escrow.models import Checkout, ConnectedAccount, HeldFunds, Payout


def client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise ImproperlyConfigured("PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY.")
    kwargs: dict[str, Any] = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        kwargs["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **kwargs)


def checkout_metadata(checkout: Checkout) -> dict[str, str]:
    metadata = {"checkout_id": str(checkout.pk), "kind": checkout.kind}
    if checkout.held_id:
        metadata["held_reference"] = checkout.held.reference  # type: ignore[union-attr]
    if checkout.purchase_id:
        metadata["purchase_id"] = str(checkout.purchase_id)
    return metadata


class StripeGateway(Gateway):
    name = "stripe"

    def start_checkout(self, *, checkout: Checkout, success_url: str, cancel_url: str) -> str:
        metadata = checkout_metadata(checkout)
        intent_data: dict[str, Any] = {"metadata": metadata}
        if checkout.held_id:
            intent_data["transfer_group"] = f"held:{metadata['held_reference']}"
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": checkout.currency.lower(),
                        "unit_amount": checkout.amount,
                        "product_data": {"name": checkout.description or "Guildhall payment"},
                    },
                }
            ],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": str(checkout.pk),
            "metadata": metadata,
            "payment_intent_data": intent_data,
        }
        try:
            session = client().v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]
                options={"idempotency_key": f"checkout:{checkout.pk}"},
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        checkout.external_id = session.id
        return str(session.url)

    def refund(self, *, checkout: Checkout, amount: int, key: str) -> str:
        try:
            refund = client().v1.refunds.create(
                params={
                    "payment_intent": checkout.charge_ref,
                    "amount": amount,
                    "metadata": {"checkout_id": str(checkout.pk), "key": key},
                },
                options={"idempotency_key": f"refund:{key}"},
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        return str(refund.id)

    def pay_out(self, *, payout: Payout) -> PayoutResult:
        account = ConnectedAccount.objects.filter(user_id=payout.user_id).first()
        if account is None or not account.payouts_enabled:
            raise GatewayError("Set up your payout account before withdrawing.")
        metadata = {"payout_id": str(payout.pk)}
        api = client().v1
        transfer: dict[str, Any] = {
            "amount": payout.amount,
            "currency": payout.currency.lower(),
            "destination": account.stripe_account_id,
            "transfer_group": f"payout:{payout.pk}",
            "metadata": metadata,
        }
        try:
            if payout.source_payment_ref:
                # A release: transfer out of the client's charge (source_transaction), grouped
                # with it, and the money is the expert's the moment the transfer exists.
                intent = api.payment_intents.retrieve(payout.source_payment_ref)
                held = HeldFunds.objects.filter(charge_ref=payout.source_payment_ref).first()
                transfer["source_transaction"] = str(intent.latest_charge)
                if held is not None:
                    transfer["transfer_group"] = f"held:{held.reference}"
                sent_transfer = api.transfers.create(
                    params=transfer,  # type: ignore[arg-type]
                    options={"idempotency_key": f"transfer:payout:{payout.pk}"},
                )
                return PayoutResult(reference=str(sent_transfer.id), paid=True)
            api.transfers.create(
                params=transfer,  # type: ignore[arg-type]
                options={"idempotency_key": f"transfer:payout:{payout.pk}"},
            )
            sent = api.payouts.create(
                params={
                    "amount": payout.amount,
                    "currency": payout.currency.lower(),
                    "metadata": metadata,
                },
                options={
                    "idempotency_key": f"payout:{payout.pk}",
                    "stripe_account": account.stripe_account_id,
                },
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        return PayoutResult(reference=str(sent.id), paid=False)

    def fetch_payout(self, *, payout: Payout) -> GatewayRecord:
        """A release is a transfer (paid once it exists, failed once fully reversed); a
        withdrawal is a payout on the expert's connected account."""
        api = client().v1
        try:
            if payout.source_payment_ref:
                transfer = api.transfers.retrieve(payout.gateway_ref).to_dict()
                reversed_all = bool(transfer.get("reversed"))
                return GatewayRecord(
                    reference=str(transfer["id"]),
                    status="failed" if reversed_all else "paid",
                    amount=int(transfer["amount"]) - int(transfer.get("amount_reversed") or 0),
                    currency=str(transfer["currency"]).upper(),
                )
            account = ConnectedAccount.objects.filter(user_id=payout.user_id).first()
            options: dict[str, Any] = {}
            if account is not None:
                options["stripe_account"] = account.stripe_account_id
            sent = api.payouts.retrieve(payout.gateway_ref, options=options)  # type: ignore[arg-type]
        except stripe.InvalidRequestError:
            return GatewayRecord(
                reference=payout.gateway_ref, status="missing", amount=0, currency=payout.currency
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        status = str(sent.status)
        return GatewayRecord(
            reference=str(sent.id),
            status={"paid": "paid", "failed": "failed", "canceled": "failed"}.get(
                status, "pending"
            ),
            amount=int(sent.amount),
            currency=str(sent.currency).upper(),
        )

    def create_express_account(self, *, user_id: int, email: str, country: str) -> str:
        """An Express account on manual payouts (Guildhall decides when experts are paid)."""
        try:
            account = client().v1.accounts.create(
                params={
                    "type": "express",
                    "email": email,
                    "country": country,
                    "capabilities": {"transfers": {"requested": True}},
                    "settings": {"payouts": {"schedule": {"interval": "manual"}}},
                    "metadata": {"user_id": str(user_id)},
                },
                options={"idempotency_key": f"express-account:user:{user_id}"},
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        return str(account.id)

    def onboarding_link(self, *, account_id: str, refresh_url: str, return_url: str) -> str:
        try:
            link = client().v1.account_links.create(
                params={
                    "account": account_id,
                    "type": "account_onboarding",
                    "refresh_url": refresh_url,
                    "return_url": return_url,
                }
            )
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        return str(link.url)

    def pay_out_connected_balance(self, *, account: ConnectedAccount, day: str) -> str | None:
        """Manual payouts: send what an Express account holds to its bank, once per day."""
        api = client().v1
        options: dict[str, Any] = {"stripe_account": account.stripe_account_id}
        try:
            balance = api.balance.retrieve(options=options)  # type: ignore[arg-type]
            sent = []
            for funds in balance.available:
                if funds.amount <= 0:
                    continue
                payout = api.payouts.create(
                    params={"amount": funds.amount, "currency": funds.currency},
                    options={  # type: ignore[arg-type]
                        **options,
                        "idempotency_key": f"connected-payout:{account.stripe_account_id}:"
                        f"{funds.currency}:{day}",
                    },
                )
                sent.append(str(payout.id))
        except stripe.StripeError as exc:
            raise GatewayError() from exc
        return ",".join(sent) or None


def _refuse_future_timestamp(signature: str, tolerance: int) -> None:
    """stripe-python only refuses timestamps too far in the past; one signed for the future
    (a clock skewed or a header minted to be replayed later) is refused here."""
    stamps = [
        part.split("=", 1)[1] for part in signature.split(",") if part.strip().startswith("t=")
    ]
    for stamp in stamps:
        if not stamp.strip().isdigit():
            raise stripe.SignatureVerificationError("Bad timestamp", signature)
        if int(stamp) > time.time() + tolerance:
            raise stripe.SignatureVerificationError("Timestamp in the future", signature)


def verify_webhook(*, payload: bytes, signature: str) -> dict[str, Any]:
    """The event as a dict; stripe.SignatureVerificationError (forged, stale or dated in the
    future beyond the tolerance) or ValueError."""
    tolerance = stripe.Webhook.DEFAULT_TOLERANCE
    stripe.WebhookSignature.verify_header(
        payload, signature, settings.STRIPE_WEBHOOK_SECRET, tolerance
    )
    _refuse_future_timestamp(signature, tolerance)
    event = json.loads(payload)
    if not isinstance(event, dict) or "id" not in event or "type" not in event:
        raise ValueError("not a Stripe event")
    return event
