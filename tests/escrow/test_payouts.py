import pytest

from escrow.exceptions import InsufficientFunds, InvalidAmount, InvalidTransition, NotAllowed
from escrow.models import Account, Payout
from escrow.services import approve_payout, mark_payout_failed, mark_payout_paid, request_payout
from escrow.services.ledger import platform_account
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


def test_request_payout_reserves_money_in_transit(expert):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=3000)
    assert payout.status == Payout.Status.REQUESTED
    assert balance_of(expert) == 2000
    assert platform_account(Account.Kind.PAYOUTS_IN_TRANSIT).balance == 3000
    assert_books_balance()


def test_request_payout_refuses_more_than_available_and_saves_nothing(expert):
    top_up(expert, 5000)
    before = ledger_snapshot()
    with pytest.raises(InsufficientFunds):
        request_payout(user=expert, amount=5001)
    assert ledger_snapshot() == before
    assert not Payout.objects.exists()


def test_request_payout_refuses_below_minimum(expert):
    top_up(expert, 5000)
    with pytest.raises(InvalidAmount, match="smallest withdrawal"):
        request_payout(user=expert, amount=999)
    assert not Payout.objects.exists()


def test_approved_demo_payout_is_paid(
    expert, staff, django_capture_on_commit_callbacks, sent_notifications
):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=5000)
    with django_capture_on_commit_callbacks(execute=True):
        approve_payout(payout_id=payout.pk, by=staff)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID
    assert payout.gateway_ref == f"demo_po_{payout.pk}"
    assert platform_account(Account.Kind.PAYOUTS_IN_TRANSIT).balance == 0
    assert "escrow.payout_paid" in [n["kind"] for n in sent_notifications]
    assert_books_balance()


def test_approve_payout_refuses_non_staff(expert):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=2000)
    with pytest.raises(NotAllowed):
        approve_payout(payout_id=payout.pk, by=expert)
    payout.refresh_from_db()
    assert payout.status == Payout.Status.REQUESTED


def test_failed_payout_returns_money_to_wallet_once(expert, staff):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=2000)
    mark_payout_failed(payout_id=payout.pk, by=staff, reason="Bank refused")
    assert balance_of(expert) == 5000
    before = ledger_snapshot()
    with pytest.raises(InvalidTransition):
        mark_payout_failed(payout_id=payout.pk, by=staff)
    with pytest.raises(InvalidTransition):
        mark_payout_paid(payout_id=payout.pk, by=staff)
    assert ledger_snapshot() == before
    assert_books_balance()


def test_mark_paid_refuses_unapproved_payout(expert, staff):
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=2000)
    before = ledger_snapshot()
    with pytest.raises(InvalidTransition):
        mark_payout_paid(payout_id=payout.pk, by=staff)
    assert ledger_snapshot() == before
