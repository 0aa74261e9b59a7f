"""Races on PostgreSQL with real threads, each on its own connection: money moves once."""

import json
import threading
from collections.abc import Callable
from uuid import uuid4

import pytest
import stripe
from django.db import connection
from django.test import Client
from django.urls import reverse

from escrow.exceptions import MoneyActionError
from escrow.models import Checkout, GatewayEvent, HeldFunds, LedgerTransaction, Payout
from escrow.services import fund_escrow, refund_escrow, release_escrow, request_payout, start_top_up
from tests.escrow.conftest import assert_books_balance, balance_of, top_up

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(actions: list[Callable[[], object]]) -> tuple[list[object], list[BaseException]]:
    """Start every action at once on its own thread and connection; collect results and errors."""
    barrier = threading.Barrier(len(actions))
    results: list[object] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait()
            value = action()
            with lock:
                results.append(value)
        except BaseException as exc:
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.fixture
def funded(client_user, expert):
    top_up(client_user, 10_000)
    fund_escrow(
        payer=client_user, payee=expert, reference="m:race", amount=10_000, source="balance"
    )
    return HeldFunds.objects.get(reference="m:race")


def test_ten_concurrent_releases_settle_once(funded, client_user, expert):
    results, errors = race([lambda: release_escrow(reference="m:race", by=client_user)] * 10)
    assert len(results) == 1
    assert len(errors) == 9
    assert all(isinstance(e, MoneyActionError) for e in errors)
    assert balance_of(expert) == 9000
    assert LedgerTransaction.objects.filter(kind="escrow_release").count() == 1
    assert_books_balance()


def test_release_racing_refund_settles_once(funded, client_user, expert, staff):
    results, errors = race(
        [
            lambda: release_escrow(reference="m:race", by=client_user),
            lambda: refund_escrow(reference="m:race", by=staff),
        ]
        * 3
    )
    assert len(results) == 1
    assert len(errors) == 5
    held = HeldFunds.objects.get(reference="m:race")
    assert held.status in {"released", "refunded"}
    assert LedgerTransaction.objects.filter(key=f"escrow-settle:{held.pk}").count() == 1
    assert balance_of(client_user) + balance_of(expert) + held.fee == 10_000
    assert_books_balance()


def test_two_payouts_exceeding_the_balance_one_is_refused(expert):
    top_up(expert, 5000)
    results, errors = race([lambda: request_payout(user=expert, amount=3000)] * 2)
    assert len(results) == 1
    assert len(errors) == 1
    assert "too low" in str(errors[0])
    assert Payout.objects.count() == 1
    assert balance_of(expert) == 2000
    assert_books_balance()


def test_one_webhook_delivered_five_times_at_once_credits_once(client_user, settings):
    settings.STRIPE_WEBHOOK_SECRET = "whsec_race"
    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=4200).checkout
    body = json.dumps(
        {
            "id": "evt_race",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": checkout.external_id,
                    "payment_status": "paid",
                    "payment_intent": "pi_race",
                    "metadata": {"checkout_id": str(checkout.pk)},
                }
            },
        }
    )

    def deliver() -> int:
        header = stripe.WebhookSignature.generate_signature_header(body, "whsec_race")
        response = Client().post(
            reverse("escrow:stripe_webhook"),
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )
        return response.status_code

    results, errors = race([deliver] * 5)
    assert errors == []
    assert results == [200] * 5
    assert GatewayEvent.objects.count() == 1
    assert LedgerTransaction.objects.filter(key="card-charge:pi_race").count() == 1
    assert balance_of(client_user) == 4200
    assert Checkout.objects.get(pk=checkout.pk).status == "succeeded"
    assert_books_balance()
