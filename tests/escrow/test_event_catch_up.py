"""Without a broker, an event whose processing was lost in a crash is applied by the next
request (throttled), so a paid card does not wait for the payer to come back."""

from uuid import uuid4

import pytest
from django.core.cache import cache

from escrow.middleware import CATCH_UP_KEY
from escrow.models import Checkout, GatewayEvent
from escrow.services import start_top_up
from escrow.services.payments import record_gateway_event
from tests.escrow.conftest import balance_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _embedded_default(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.GATEWAY_EVENTS_CATCH_UP_SECONDS = 30


def _paid_but_crashed(checkout: Checkout, event_id: str, django_capture_on_commit_callbacks):
    """The event commits; the process dies before its after-commit processing runs."""
    payload = {
        "id": event_id,
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": checkout.external_id,
                "payment_status": "paid",
                "payment_intent": f"demo_pi_{checkout.token}",
                "metadata": {"checkout_id": str(checkout.pk)},
            }
        },
    }
    with django_capture_on_commit_callbacks(execute=False):
        record_gateway_event(
            gateway="demo", event_id=event_id, type=payload["type"], payload=payload
        )
    assert GatewayEvent.objects.get(event_id=event_id).processed_at is None


def test_next_request_applies_an_event_a_crash_left_behind(
    client, client_user, expert, django_capture_on_commit_callbacks
):
    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=2500).checkout
    _paid_but_crashed(checkout, "evt_crash", django_capture_on_commit_callbacks)
    assert balance_of(client_user) == 0
    client.force_login(expert)  # anyone's request, not the payer coming back
    client.get("/")
    assert GatewayEvent.objects.get(event_id="evt_crash").processed_at is not None
    assert balance_of(client_user) == 2500
    checkout.refresh_from_db()
    assert checkout.status == Checkout.Status.SUCCEEDED


def test_the_check_runs_at_most_once_per_interval(
    client, client_user, django_capture_on_commit_callbacks
):
    client.get("/")  # the check ran: nothing pending
    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=1000).checkout
    _paid_but_crashed(checkout, "evt_later", django_capture_on_commit_callbacks)
    client.get("/")
    assert balance_of(client_user) == 0  # within the interval: no second look
    cache.delete(CATCH_UP_KEY)  # the interval passed (or the process restarted)
    client.get("/")
    assert balance_of(client_user) == 1000


def test_with_a_broker_the_beat_sweeps_instead(
    client, client_user, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=1000).checkout
    _paid_but_crashed(checkout, "evt_broker", django_capture_on_commit_callbacks)
    client.get("/")
    assert balance_of(client_user) == 0


def test_a_crashing_event_does_not_break_the_visitors_request(
    client, client_user, monkeypatch, django_capture_on_commit_callbacks
):
    checkout = start_top_up(key=uuid4().hex, user=client_user, amount=1000).checkout
    _paid_but_crashed(checkout, "evt_bad", django_capture_on_commit_callbacks)

    def crash(event):
        raise RuntimeError("boom")

    monkeypatch.setattr("escrow.services.events.handle_event", crash)
    assert client.get("/").status_code == 200
    assert GatewayEvent.objects.get(event_id="evt_bad").attempts == 1
