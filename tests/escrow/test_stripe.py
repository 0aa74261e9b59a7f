"""Stripe with no network: `responses` answers the API, webhooks are signed with a test secret."""

import json
import time
from urllib.parse import unquote
from uuid import uuid4

import pytest
import stripe
from django.urls import reverse

from escrow.models import Checkout, ConnectedAccount, GatewayEvent, HeldFunds, Payout
from escrow.services import approve_payout, fund_escrow, request_payout, start_top_up
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up
from tests.escrow.stripe_support import API, SECRET, webhook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def _body(request) -> str:
    raw = request.body if isinstance(request.body, str) else request.body.decode()
    return unquote(raw)


def _session_reply(mock, session_id="cs_test_1"):
    mock.post(
        f"{API}/v1/checkout/sessions",
        json={
            "id": session_id,
            "object": "checkout.session",
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        },
    )


def _completed(checkout: Checkout, event_id="evt_1", intent="pi_1", status="paid") -> dict:
    return {
        "id": event_id,
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": checkout.external_id,
                "object": "checkout.session",
                "payment_status": status,
                "payment_intent": intent,
                "metadata": {"checkout_id": str(checkout.pk)},
            }
        },
    }


def test_checkout_session_is_created_with_metadata_and_a_deterministic_key(stripe_api, client_user):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    assert started.redirect_url == "https://checkout.stripe.com/c/pay/cs_test_1"
    request = stripe_api.calls[0].request
    assert request.headers["Idempotency-Key"] == f"checkout:{started.checkout.pk}"
    body = _body(request)
    assert f"metadata[checkout_id]={started.checkout.pk}" in body
    assert "[unit_amount]=2500" in body
    assert started.checkout.external_id == "cs_test_1"


def test_held_funds_checkout_carries_a_transfer_group(stripe_api, client_user, expert):
    _session_reply(stripe_api)
    fund_escrow(payer=client_user, payee=expert, reference="job:8", amount=900, source="card")
    assert "payment_intent_data[transfer_group]=held:job:8" in _body(stripe_api.calls[0].request)


def test_signed_webhook_fulfils_the_checkout_once(
    stripe_api, client, client_user, django_capture_on_commit_callbacks
):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    with django_capture_on_commit_callbacks(execute=True):
        response = webhook(client, _completed(started.checkout))
    assert response.status_code == 200
    assert balance_of(client_user) == 2500
    before = ledger_snapshot()
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook(client, _completed(started.checkout)).status_code == 200
        # A different event about the same charge (async success) moves nothing either.
        replay = _completed(started.checkout, event_id="evt_2")
        replay["type"] = "checkout.session.async_payment_succeeded"
        assert webhook(client, replay).status_code == 200
    assert ledger_snapshot() == before
    assert GatewayEvent.objects.count() == 2
    assert_books_balance()


def test_async_payment_waits_then_fails_without_moving_money(
    stripe_api, client, client_user, django_capture_on_commit_callbacks
):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, status="unpaid"))
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.PROCESSING
    failed = _completed(started.checkout, event_id="evt_3")
    failed["type"] = "checkout.session.async_payment_failed"
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, failed)
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.FAILED
    assert balance_of(client_user) == 0


@pytest.mark.parametrize("problem", ["forged", "stale", "future", "missing", "tampered"])
def test_bad_webhook_signature_is_refused_and_nothing_recorded(
    stripe_api, client, client_user, problem
):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    event = _completed(started.checkout)
    if problem == "forged":
        response = webhook(client, event, secret="whsec_wrong")
    elif problem == "stale":
        response = webhook(client, event, timestamp=int(time.time()) - 3600)
    elif problem == "future":
        response = webhook(client, event, timestamp=int(time.time()) + 3600)
    elif problem == "missing":
        response = client.post(
            reverse("escrow:stripe_webhook"),
            data=json.dumps(event),
            content_type="application/json",
        )
    else:
        header = stripe.WebhookSignature.generate_signature_header(json.dumps(event), SECRET)
        event["data"]["object"]["payment_intent"] = "pi_other"
        response = client.post(
            reverse("escrow:stripe_webhook"),
            data=json.dumps(event),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
    assert response.status_code == 400
    assert not GatewayEvent.objects.exists()
    assert balance_of(client_user) == 0


def test_webhook_within_the_tolerance_of_a_fast_clock_is_accepted(stripe_api, client, client_user):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    response = webhook(client, _completed(started.checkout), timestamp=int(time.time()) + 60)
    assert response.status_code == 200


def test_dispute_freezes_the_held_funds(
    stripe_api,
    client,
    client_user,
    expert,
    staff,
    django_capture_on_commit_callbacks,
    sent_notifications,
):
    _session_reply(stripe_api)
    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:9", amount=5000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_9"))
        webhook(
            client,
            {
                "id": "evt_dispute",
                "type": "charge.dispute.created",
                "data": {
                    "object": {"id": "dp_1", "payment_intent": "pi_9", "status": "needs_response"}
                },
            },
        )
    assert HeldFunds.objects.get(reference="job:9").status == HeldFunds.Status.FROZEN
    assert any(
        n["kind"] == "escrow.dispute_opened" and n["user"] == staff for n in sent_notifications
    )


def test_card_refund_calls_stripe_with_a_deterministic_key(
    stripe_api, client, client_user, expert, staff, django_capture_on_commit_callbacks
):
    _session_reply(stripe_api)
    stripe_api.post(f"{API}/v1/refunds", json={"id": "re_1", "object": "refund"})
    from escrow.services import refund_escrow

    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:10", amount=5000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_10"))
    with django_capture_on_commit_callbacks(execute=True):
        held = refund_escrow(reference="job:10", by=staff, to="card")
    refund_call = next(c for c in stripe_api.calls if c.request.url.endswith("/v1/refunds"))
    assert refund_call.request.headers["Idempotency-Key"] == f"refund:escrow-settle:{held.pk}"
    assert "payment_intent=pi_10" in refund_call.request.body
    assert "amount=5000" in refund_call.request.body
    assert_books_balance()


def test_payout_transfers_then_pays_out_on_the_connected_account(
    stripe_api, client, expert, staff, django_capture_on_commit_callbacks
):
    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_1", payouts_enabled=True)
    stripe_api.post(f"{API}/v1/transfers", json={"id": "tr_1", "object": "transfer"})
    stripe_api.post(f"{API}/v1/payouts", json={"id": "po_1", "object": "payout"})
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=5000)
    with django_capture_on_commit_callbacks(execute=True):
        approve_payout(payout_id=payout.pk, by=staff)
    transfer, sent = stripe_api.calls[0].request, stripe_api.calls[1].request
    assert transfer.headers["Idempotency-Key"] == f"transfer:payout:{payout.pk}"
    assert "destination=acct_1" in transfer.body
    assert sent.headers["Idempotency-Key"] == f"payout:{payout.pk}"
    assert sent.headers["Stripe-Account"] == "acct_1"
    payout.refresh_from_db()
    assert (payout.status, payout.gateway_ref) == (Payout.Status.APPROVED, "po_1")
    with django_capture_on_commit_callbacks(execute=True):
        webhook(
            client,
            {
                "id": "evt_po",
                "type": "payout.paid",
                "account": "acct_1",
                "data": {"object": {"id": "po_1", "metadata": {"payout_id": str(payout.pk)}}},
            },
        )
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert_books_balance()


def test_failed_stripe_payout_returns_money(
    stripe_api, client, expert, staff, django_capture_on_commit_callbacks
):
    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_2", payouts_enabled=True)
    stripe_api.post(f"{API}/v1/transfers", json={"id": "tr_2", "object": "transfer"})
    stripe_api.post(f"{API}/v1/payouts", json={"id": "po_2", "object": "payout"})
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=3000)
    with django_capture_on_commit_callbacks(execute=True):
        approve_payout(payout_id=payout.pk, by=staff)
        webhook(
            client,
            {
                "id": "evt_pof",
                "type": "payout.failed",
                "data": {"object": {"id": "po_2", "failure_message": "Account closed"}},
            },
        )
    payout.refresh_from_db()
    assert payout.status == Payout.Status.FAILED
    assert balance_of(expert) == 5000


def test_production_settings_refuse_the_demo_gateway():
    import subprocess
    import sys

    code = "import django, os; django.setup()"
    env = {
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/x",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp+tls://u:p@127.0.0.1:587",
        "ALLOWED_HOSTS": "guildhall.example",
        "PAYMENT_GATEWAY": "demo",
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "PAYMENT_GATEWAY=stripe" in result.stderr


def test_card_paid_release_transfers_to_the_expert_with_source_transaction(
    stripe_api, client, client_user, expert, django_capture_on_commit_callbacks
):
    from escrow.services import release_escrow

    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_9", payouts_enabled=True)
    _session_reply(stripe_api)
    stripe_api.get(
        f"{API}/v1/payment_intents/pi_rel",
        json={"id": "pi_rel", "object": "payment_intent", "latest_charge": "ch_rel"},
    )
    stripe_api.post(f"{API}/v1/transfers", json={"id": "tr_rel", "object": "transfer"})
    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:11", amount=10_000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_rel"))
    with django_capture_on_commit_callbacks(execute=True):
        release_escrow(reference="job:11", by=client_user)
    transfer = next(c.request for c in stripe_api.calls if c.request.url.endswith("/v1/transfers"))
    body = _body(transfer)
    assert "source_transaction=ch_rel" in body
    assert "transfer_group=held:job:11" in body
    assert "amount=9000" in body
    assert transfer.headers["Idempotency-Key"].startswith("transfer:payout:")
    payout = Payout.objects.get()
    assert (payout.status, payout.gateway_ref, payout.amount) == ("paid", "tr_rel", 9000)
    assert balance_of(expert) == 0
    assert_books_balance()


def test_connected_balances_are_paid_out_once_a_day(stripe_api, expert):
    from escrow.services.payouts import pay_out_connected_balances

    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_5", payouts_enabled=True)
    stripe_api.get(
        f"{API}/v1/balance",
        json={
            "object": "balance",
            "available": [{"amount": 4200, "currency": "eur"}],
            "pending": [],
        },
    )
    stripe_api.post(f"{API}/v1/payouts", json={"id": "po_5", "object": "payout"})
    assert pay_out_connected_balances() == 1
    payout_call = next(c.request for c in stripe_api.calls if c.request.url.endswith("/v1/payouts"))
    assert payout_call.headers["Stripe-Account"] == "acct_5"
    assert payout_call.headers["Idempotency-Key"].startswith("connected-payout:acct_5:eur:")
    assert "amount=4200" in _body(payout_call)


def test_unsent_card_refund_is_swept_and_sent_once(
    stripe_api, client, client_user, expert, staff, django_capture_on_commit_callbacks, settings
):
    from escrow.models import CardRefund
    from escrow.services import refund_escrow
    from escrow.services.payments import send_card_refund
    from escrow.tasks import sweep_outbox

    _session_reply(stripe_api)
    stripe_api.post(f"{API}/v1/refunds", json={"id": "re_9", "object": "refund"})
    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:12", amount=3000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_12"))
    # The process dies right after commit: the refund task never runs.
    with django_capture_on_commit_callbacks(execute=False):
        refund_escrow(reference="job:12", by=staff, to="card")
    refund = CardRefund.objects.get()
    assert refund.sent_at is None
    settings.GATEWAY_EVENT_SWEEP_AFTER_SECONDS = -60
    assert sweep_outbox() >= 1
    refund.refresh_from_db()
    assert refund.gateway_ref == "re_9"
    assert send_card_refund(refund_id=refund.pk) == "re_9"
    refund_calls = [c for c in stripe_api.calls if c.request.url.endswith("/v1/refunds")]
    assert len(refund_calls) == 1


def test_wallet_money_older_than_the_hold_limit_is_paid_out(
    stripe_api, expert, django_capture_on_commit_callbacks, settings
):
    from datetime import timedelta

    from django.utils import timezone

    from escrow.services.payouts import pay_out_before_hold_limit

    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_7", payouts_enabled=True)
    stripe_api.post(f"{API}/v1/transfers", json={"id": "tr_7", "object": "transfer"})
    stripe_api.post(f"{API}/v1/payouts", json={"id": "po_7", "object": "payout"})
    top_up(expert, 6000)
    assert pay_out_before_hold_limit(now=timezone.now()) == 0
    later = timezone.now() + timedelta(days=settings.STRIPE_PAYOUT_HOLD_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert pay_out_before_hold_limit(now=later) == 1
    payout = Payout.objects.get()
    assert (payout.amount, payout.status, payout.gateway_ref) == (6000, "approved", "po_7")
    assert balance_of(expert) == 0


def test_payout_setup_creates_an_express_account_once_and_redirects_to_onboarding(
    stripe_api, client, expert
):
    stripe_api.post(f"{API}/v1/accounts", json={"id": "acct_new", "object": "account"})
    stripe_api.post(
        f"{API}/v1/account_links",
        json={"object": "account_link", "url": "https://connect.stripe.com/setup/e/acct_new"},
    )
    client.force_login(expert)
    first = client.post(reverse("escrow:payout_setup"))
    again = client.get(reverse("escrow:payout_setup"))
    assert first["Location"] == again["Location"] == "https://connect.stripe.com/setup/e/acct_new"
    account_calls = [c.request for c in stripe_api.calls if c.request.url.endswith("/v1/accounts")]
    assert len(account_calls) == 1
    body = _body(account_calls[0])
    assert "type=express" in body
    assert "settings[payouts][schedule][interval]=manual" in body
    assert account_calls[0].headers["Idempotency-Key"] == f"express-account:user:{expert.pk}"
    assert ConnectedAccount.objects.get(user=expert).stripe_account_id == "acct_new"


def test_payout_setup_with_the_demo_gateway_explains(client, expert, settings):
    settings.PAYMENT_GATEWAY = "demo"
    client.force_login(expert)
    response = client.post(reverse("escrow:payout_setup"), follow=True)
    assert "demo pays out directly" in response.content.decode()
    assert not ConnectedAccount.objects.exists()


def test_refund_made_outside_guildhall_alerts_staff(
    stripe_api, client, client_user, staff, django_capture_on_commit_callbacks, sent_notifications
):
    _session_reply(stripe_api)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_out"))
        webhook(
            client,
            {
                "id": "evt_ref",
                "type": "charge.refunded",
                "data": {
                    "object": {"id": "ch_out", "payment_intent": "pi_out", "amount_refunded": 2500}
                },
            },
        )
    assert [n["kind"] for n in sent_notifications if n["user"] == staff] == [
        "escrow.refund_outside_guildhall"
    ]


def _dispute(event_id: str, kind: str, intent: str, status: str) -> dict:
    return {
        "id": event_id,
        "type": kind,
        "data": {"object": {"id": f"dp_{event_id}", "payment_intent": intent, "status": status}},
    }


@pytest.mark.parametrize(("outcome", "status"), [("won", "funded"), ("lost", "refunded")])
def test_dispute_outcome_unfreezes_or_records_the_chargeback(
    stripe_api, client, client_user, expert, django_capture_on_commit_callbacks, outcome, status
):
    from escrow.services.reconciliation import run_reconciliation

    _session_reply(stripe_api)
    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:20", amount=5000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_20"))
        webhook(client, _dispute("d1", "charge.dispute.created", "pi_20", "needs_response"))
        webhook(client, _dispute("d2", "charge.dispute.closed", "pi_20", outcome))
    assert HeldFunds.objects.get(reference="job:20").status == status
    refund_calls = [c for c in stripe_api.calls if c.request.url.endswith("/v1/refunds")]
    assert refund_calls == []  # the bank already returned a lost dispute's money
    assert run_reconciliation().ok
    assert_books_balance()


def test_dispute_on_released_funds_alerts_staff(
    stripe_api,
    client,
    client_user,
    expert,
    staff,
    django_capture_on_commit_callbacks,
    sent_notifications,
):
    from escrow.services import release_escrow

    _session_reply(stripe_api)
    started = fund_escrow(
        payer=client_user, payee=expert, reference="job:21", amount=5000, source="card"
    )
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _completed(started.checkout, intent="pi_21"))
    release_escrow(reference="job:21", by=client_user)
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _dispute("d3", "charge.dispute.created", "pi_21", "needs_response"))
    assert HeldFunds.objects.get(reference="job:21").status == "released"
    alerts = [n for n in sent_notifications if n["user"] == staff]
    assert alerts[-1]["kind"] == "escrow.dispute_opened"
    assert "already been settled" in alerts[-1]["body"]
