"""Top ups, purchases and card-funded held funds through the demo gateway's card page."""

from urllib.parse import urlparse
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import translation

from escrow.exceptions import InsufficientFunds, NotAllowed, UnknownReference, UnsafeReturnUrl
from escrow.gateways.demo import CARD_DECLINED, CARD_FAILS_LATER, CARD_SUCCEEDS
from escrow.models import Checkout, GatewayEvent, HeldFunds, Purchase
from escrow.services import fund_escrow, pay_for_purchase, start_top_up
from escrow.services.payments import process_event
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


def _pay(client, checkout, card, capture):
    with capture(execute=True):
        return client.post(
            reverse("escrow:demo_checkout", args=[checkout.token]), {"card_number": card}
        )


def test_top_up_with_succeeding_card_credits_wallet_once(
    client, client_user, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    assert started.redirect_url == reverse("escrow:demo_checkout", args=[started.checkout.token])
    response = _pay(client, started.checkout, CARD_SUCCEEDS, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert urlparse(response["Location"]).path == reverse("escrow:checkout_return")
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.SUCCEEDED
    assert balance_of(client_user) == 2500
    # The same event processed again (a redelivered task) changes nothing.
    before = ledger_snapshot()
    assert process_event(event_id=GatewayEvent.objects.get().pk) is False
    assert ledger_snapshot() == before
    page = client.get(response["Location"])
    assert b"Payment received" in page.content
    assert_books_balance()


def test_declined_card_changes_only_the_checkout_status(
    client, client_user, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    before = ledger_snapshot()
    _pay(client, started.checkout, CARD_DECLINED, django_capture_on_commit_callbacks)
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.FAILED
    assert "declined" in started.checkout.failure_reason
    assert ledger_snapshot() == before


def test_card_that_fails_later_is_failed_by_a_task(
    client, client_user, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    before = ledger_snapshot()
    _pay(client, started.checkout, CARD_FAILS_LATER, django_capture_on_commit_callbacks)
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.FAILED
    assert GatewayEvent.objects.filter(type="checkout.session.async_payment_failed").exists()
    assert ledger_snapshot() == before


def test_demo_checkout_of_someone_else_is_not_found(client, client_user, expert):
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    client.force_login(expert)
    response = client.post(
        reverse("escrow:demo_checkout", args=[started.checkout.token]),
        {"card_number": CARD_SUCCEEDS},
    )
    assert response.status_code == 404
    assert not GatewayEvent.objects.exists()


def test_tampered_return_link_is_refused(client, client_user):
    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)
    response = client.get(reverse("escrow:checkout_return") + f"?t={started.checkout.pk}:forged")
    assert response.status_code == 400
    assert b"not valid" in response.content
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.OPEN


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_unsafe_return_url_is_refused_before_anything_is_saved(client_user, url):
    with pytest.raises(UnsafeReturnUrl):
        start_top_up(key=uuid4().hex, user=client_user, amount=100, return_url=url)
    assert not Checkout.objects.exists()


def test_purchase_from_balance_debits_and_runs_handler_once(client_user, paid_purchases):
    top_up(client_user, 5000)
    result = pay_for_purchase(
        user=client_user,
        amount=1500,
        purpose="test-upgrade",
        reference="project:9",
        description="Featured project",
        source="balance",
    )
    assert result.paid
    assert balance_of(client_user) == 3500
    assert paid_purchases == [result.purchase]
    with pytest.raises(NotAllowed, match="already paid"):
        pay_for_purchase(
            user=client_user,
            amount=1500,
            purpose="test-upgrade",
            reference="project:9",
            description="Featured project",
            source="balance",
        )
    assert balance_of(client_user) == 3500
    assert len(paid_purchases) == 1


def test_purchase_from_balance_refuses_when_short(client_user, paid_purchases):
    top_up(client_user, 1000)
    before = ledger_snapshot()
    with pytest.raises(InsufficientFunds):
        pay_for_purchase(
            user=client_user,
            amount=1500,
            purpose="test-upgrade",
            reference="project:9",
            description="Featured project",
            source="balance",
        )
    assert ledger_snapshot() == before
    assert not Purchase.objects.exists()
    assert paid_purchases == []


def test_purchase_for_unknown_purpose_is_refused(client_user):
    with pytest.raises(UnknownReference):
        pay_for_purchase(
            user=client_user,
            amount=100,
            purpose="nope",
            reference="x",
            description="x",
            source="balance",
        )
    assert not Purchase.objects.exists()


def test_purchase_by_card_pays_after_confirmation(
    client, client_user, paid_purchases, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    result = pay_for_purchase(
        user=client_user,
        amount=1500,
        purpose="test-upgrade",
        reference="project:10",
        description="Urgent badge",
        source="card",
    )
    assert not result.paid
    assert paid_purchases == []
    checkout = Checkout.objects.get(purchase=result.purchase)
    _pay(client, checkout, CARD_SUCCEEDS, django_capture_on_commit_callbacks)
    result.purchase.refresh_from_db()
    assert result.purchase.status == Purchase.Status.PAID
    assert len(paid_purchases) == 1
    assert balance_of(client_user) == 0
    assert_books_balance()


def test_held_funds_by_card_are_held_after_confirmation(
    client, client_user, expert, django_capture_on_commit_callbacks
):
    client.force_login(client_user)
    started = fund_escrow(
        payer=client_user,
        payee=expert,
        reference="job:77",
        amount=8000,
        source="card",
        return_url="/dashboard/",
    )
    held = HeldFunds.objects.get(reference="job:77")
    assert held.status == HeldFunds.Status.AWAITING_PAYMENT
    _pay(client, started.checkout, CARD_SUCCEEDS, django_capture_on_commit_callbacks)
    held.refresh_from_db()
    assert held.status == HeldFunds.Status.FUNDED
    assert held.charge_ref == f"demo_pi_{started.checkout.token}"
    assert balance_of(client_user) == 0
    assert_books_balance()


def test_card_held_funds_refund_back_to_the_card(
    client, client_user, expert, staff, django_capture_on_commit_callbacks
):
    from escrow.services import refund_escrow

    client.force_login(client_user)
    started = fund_escrow(
        payer=client_user, payee=expert, reference="m:5", amount=4000, source="card", return_url="/"
    )
    _pay(client, started.checkout, CARD_SUCCEEDS, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        held = refund_escrow(reference="m:5", by=staff, to="card")
    assert held.status == HeldFunds.Status.REFUNDED
    started.checkout.refresh_from_db()
    assert started.checkout.refunded_amount == 4000
    assert balance_of(client_user) == 0
    assert_books_balance()


def test_event_left_unprocessed_by_a_crash_is_swept_once(client, client_user, settings):
    from escrow.tasks import sweep_outbox

    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=1800)
    # The card page commits the event, then the process dies before the task is enqueued.
    client.post(
        reverse("escrow:demo_checkout", args=[started.checkout.token]),
        {"card_number": CARD_SUCCEEDS},
    )
    event = GatewayEvent.objects.get()
    assert event.processed_at is None
    assert balance_of(client_user) == 0
    settings.GATEWAY_EVENT_SWEEP_AFTER_SECONDS = -60
    assert sweep_outbox() == 1
    assert balance_of(client_user) == 1800
    assert sweep_outbox() == 0
    assert balance_of(client_user) == 1800


def test_event_naming_an_unknown_checkout_is_kept_with_the_reason(client_user):
    from escrow.services import record_gateway_event

    event, _ = record_gateway_event(
        gateway="stripe",
        event_id="evt_unknown",
        type="checkout.session.completed",
        payload={"data": {"object": {"id": "cs_nope", "payment_status": "paid", "metadata": {}}}},
    )
    before = ledger_snapshot()
    assert process_event(event_id=event.pk) is True
    event.refresh_from_db()
    assert "no checkout" in event.last_error
    assert ledger_snapshot() == before


def test_abandoned_demo_checkout_expires_and_nothing_moves(client_user):
    from datetime import timedelta

    from django.utils import timezone

    from escrow.services.payments import expire_abandoned_demo_checkouts

    started = start_top_up(key=uuid4().hex, user=client_user, amount=900)
    before = ledger_snapshot()
    assert expire_abandoned_demo_checkouts(now=timezone.now()) == 0
    assert expire_abandoned_demo_checkouts(now=timezone.now() + timedelta(days=2)) == 1
    started.checkout.refresh_from_db()
    assert started.checkout.status == Checkout.Status.EXPIRED
    assert ledger_snapshot() == before


def test_redelivered_event_that_was_never_applied_is_applied_once(
    client_user, django_capture_on_commit_callbacks
):
    from escrow.services import record_gateway_event

    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=700).checkout
    payload = {
        "data": {
            "object": {
                "id": checkout.external_id,
                "payment_status": "paid",
                "payment_intent": "pi_again",
                "metadata": {"checkout_id": str(checkout.pk)},
            }
        }
    }
    # First delivery stored, but its processing never ran (a crash after commit).
    record_gateway_event(
        gateway="stripe", event_id="evt_again", type="checkout.session.completed", payload=payload
    )
    assert balance_of(client_user) == 0
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_gateway_event(
                gateway="stripe",
                event_id="evt_again",
                type="checkout.session.completed",
                payload=payload,
            )
    assert balance_of(client_user) == 700
    assert GatewayEvent.objects.count() == 1


def test_payment_notification_names_the_payment_in_the_reader_language(
    client, client_user, django_capture_on_commit_callbacks, sent_notifications
):
    client.force_login(client_user)
    started = start_top_up(key=uuid4().hex, user=client_user, amount=2500)

    _pay(client, started.checkout, CARD_SUCCEEDS, django_capture_on_commit_callbacks)

    (sent,) = [n for n in sent_notifications if n["kind"] == "escrow.payment_received"]
    with translation.override("de"):
        assert str(sent["title"]) == "Zahlung eingegangen · Guthaben aufgeladen"
        assert "Balance top up" not in str(sent["body"])
    with translation.override("en"):
        assert str(sent["title"]) == "Payment received · Balance top up"
