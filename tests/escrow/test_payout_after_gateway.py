"""Once a payout is with the gateway only the gateway's events settle it: staff cannot turn it
into a second withdrawal by marking it failed; failures of events reach staff and the report."""

import pytest
from django.urls import reverse

from escrow.exceptions import InvalidTransition
from escrow.models import ConnectedAccount, GatewayEvent, Payout
from escrow.services import approve_payout, mark_payout_failed, mark_payout_paid, request_payout
from escrow.services.payouts import open_payout_case
from escrow.services.reconciliation import run_reconciliation
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up
from tests.escrow.stripe_support import API, webhook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def _payout_event(payout: Payout, kind: str = "payout.paid", event_id: str = "evt_po") -> dict:
    return {
        "id": event_id,
        "type": kind,
        "data": {"object": {"id": payout.gateway_ref, "metadata": {"payout_id": str(payout.pk)}}},
    }


@pytest.fixture
def sent_payout(stripe_api, expert, staff, django_capture_on_commit_callbacks):
    """A 50.00 withdrawal handed to Stripe (transfer + payout created), not yet settled."""
    ConnectedAccount.objects.create(user=expert, stripe_account_id="acct_1", payouts_enabled=True)
    stripe_api.post(f"{API}/v1/transfers", json={"id": "tr_1", "object": "transfer"})
    stripe_api.post(f"{API}/v1/payouts", json={"id": "po_1", "object": "payout"})
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=5000)
    with django_capture_on_commit_callbacks(execute=True):
        approve_payout(payout_id=payout.pk, by=staff)
    payout.refresh_from_db()
    assert (payout.status, payout.gateway_ref) == (Payout.Status.APPROVED, "po_1")
    return payout


def test_staff_cannot_mark_a_sent_payout_failed_or_paid(sent_payout, staff, expert):
    before = ledger_snapshot()
    with pytest.raises(InvalidTransition, match="only the gateway's events settle it"):
        mark_payout_failed(payout_id=sent_payout.pk, by=staff, reason="Refused by staff.")
    with pytest.raises(InvalidTransition, match="only the gateway's events settle it"):
        mark_payout_paid(payout_id=sent_payout.pk, by=staff)
    assert ledger_snapshot() == before
    assert balance_of(expert) == 0
    sent_payout.refresh_from_db()
    assert sent_payout.status == Payout.Status.APPROVED


def test_the_double_payout_of_the_attack_no_longer_happens(
    sent_payout, staff, expert, client, django_capture_on_commit_callbacks
):
    """Staff "Mark as failed" on the admin, then Stripe's payout.paid: money leaves once."""
    client.force_login(staff)
    response = client.post(
        reverse("admin:escrow_payout_changelist"),
        {"action": "mark_failed", "_selected_action": [sent_payout.pk]},
        follow=True,
    )
    assert "only the gateway&#x27;s events settle it" in response.content.decode()
    assert balance_of(expert) == 0
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _payout_event(sent_payout))
    sent_payout.refresh_from_db()
    assert sent_payout.status == Payout.Status.PAID
    assert GatewayEvent.objects.get(event_id="evt_po").last_error == ""
    assert balance_of(expert) == 0
    assert_books_balance()


def test_gateway_failure_event_still_returns_the_money(
    sent_payout, expert, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _payout_event(sent_payout, "payout.failed", "evt_pof"))
    sent_payout.refresh_from_db()
    assert sent_payout.status == Payout.Status.FAILED
    assert balance_of(expert) == 5000


def test_staff_can_still_refuse_a_payout_before_it_is_sent(expert, staff):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=2000)
    mark_payout_failed(payout_id=payout.pk, by=staff, reason="Refused by staff.")
    assert balance_of(expert) == 5000


def test_staff_open_a_case_on_a_sent_payout_and_no_money_moves(sent_payout, staff, client):
    before = ledger_snapshot()
    client.force_login(staff)
    url = reverse("admin:escrow_payout_changelist")
    asked = client.post(url, {"action": "open_case", "_selected_action": [sent_payout.pk]})
    assert "What is the case about?" in asked.content.decode()
    client.post(
        url,
        {
            "action": "open_case",
            "_selected_action": [sent_payout.pk],
            "apply": "1",
            "note": "Bank says nothing arrived.",
        },
    )
    open_payout_case(payout_id=sent_payout.pk, by=staff, note="Asked Stripe support.")
    sent_payout.refresh_from_db()
    assert sent_payout.case_opened_by == staff
    assert "Bank says nothing arrived." in sent_payout.case_note
    assert "Asked Stripe support." in sent_payout.case_note
    assert sent_payout.status == Payout.Status.APPROVED
    assert ledger_snapshot() == before


def test_open_case_refuses_non_staff_and_an_empty_note(sent_payout, expert, staff):
    from escrow.exceptions import InvalidAmount, NotAllowed

    with pytest.raises(NotAllowed):
        open_payout_case(payout_id=sent_payout.pk, by=expert, note="mine")
    with pytest.raises(InvalidAmount):
        open_payout_case(payout_id=sent_payout.pk, by=staff, note="  ")
    sent_payout.refresh_from_db()
    assert sent_payout.case_note == ""


def test_a_refused_event_alerts_staff_and_shows_in_the_report(
    client, staff, sent_notifications, django_capture_on_commit_callbacks
):
    event = {"id": "evt_x", "type": "payout.paid", "data": {"object": {"id": "po_unknown"}}}
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, event)
    stored = GatewayEvent.objects.get(event_id="evt_x")
    assert "no payout we know" in stored.last_error
    assert "escrow.gateway_event_failed" in [n["kind"] for n in sent_notifications]
    run = run_reconciliation()
    rows = [m for m in run.mismatches if m["check"] == "gateway event"]
    assert [r["event"] for r in rows] == ["evt_x"]


def test_a_crashing_event_alerts_staff_and_stays_pending(
    client, staff, sent_notifications, monkeypatch, django_capture_on_commit_callbacks
):
    def crash(event):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr("escrow.services.events.handle_event", crash)
    event = {"id": "evt_c", "type": "payout.paid", "data": {"object": {"id": "po_1"}}}
    with django_capture_on_commit_callbacks(execute=True):
        assert webhook(client, event).status_code == 200
    stored = GatewayEvent.objects.get(event_id="evt_c")
    assert stored.processed_at is None
    assert "database hiccup" in stored.last_error
    assert "escrow.gateway_event_failed" in [n["kind"] for n in sent_notifications]
    assert any(m.get("event") == "evt_c" for m in run_reconciliation().mismatches)


def test_reconciliation_compares_payouts_with_the_gateway(
    sent_payout, stripe_api, client, django_capture_on_commit_callbacks
):
    stripe_api.get(
        f"{API}/v1/payouts/po_1",
        json={"id": "po_1", "status": "paid", "amount": 5000, "currency": "eur"},
    )
    # Stripe paid it but its event never arrived: the report says so.
    rows = [m for m in run_reconciliation().mismatches if m["check"] == "gateway payout"]
    assert rows == [
        {
            "check": "gateway payout",
            "payout": sent_payout.pk,
            "reference": "po_1",
            "ledger": "pending 5000",
            "gateway": "paid 5000",
        }
    ]
    assert stripe_api.calls[-1].request.headers["Stripe-Account"] == "acct_1"
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _payout_event(sent_payout))
    assert not [m for m in run_reconciliation().mismatches if m["check"] == "gateway payout"]


def test_reconciliation_flags_an_amount_the_gateway_disagrees_with(
    sent_payout, stripe_api, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook(client, _payout_event(sent_payout))
    stripe_api.get(
        f"{API}/v1/payouts/po_1",
        json={"id": "po_1", "status": "paid", "amount": 9000, "currency": "eur"},
    )
    rows = [m for m in run_reconciliation().mismatches if m["check"] == "gateway payout"]
    assert rows[0]["gateway"] == "paid 9000"


def test_reconciliation_reads_transfers_of_releases(stripe_api, expert):
    payout = Payout.objects.create(
        user=expert,
        amount=4000,
        currency="EUR",
        status=Payout.Status.PAID,
        gateway="stripe",
        gateway_ref="tr_9",
        source_payment_ref="pi_9",
    )
    payout.sent_at = payout.created_at
    payout.save(update_fields=["sent_at"])
    stripe_api.get(
        f"{API}/v1/transfers/tr_9",
        json={
            "id": "tr_9",
            "object": "transfer",
            "amount": 4000,
            "amount_reversed": 4000,
            "reversed": True,
            "currency": "eur",
        },
    )
    rows = [m for m in run_reconciliation().mismatches if m["check"] == "gateway payout"]
    assert rows[0]["gateway"] == "failed 0"
