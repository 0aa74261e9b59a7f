import pytest

from escrow.models import Account
from escrow.services import fund_escrow, release_escrow
from escrow.services.ledger import wallet_account
from escrow.services.reconciliation import run_reconciliation
from tests.escrow.conftest import top_up

pytestmark = pytest.mark.django_db


def test_reconciliation_passes_on_clean_books(client_user, expert):
    from escrow.models import Checkout

    top_up(client_user, 5000)
    # top_up() in tests posts card money without a checkout; record the matching gateway fact.
    Checkout.objects.create(
        user=client_user,
        kind="top_up",
        gateway="demo",
        amount=5000,
        currency="EUR",
        status="succeeded",
    )
    fund_escrow(payer=client_user, payee=expert, reference="m:1", amount=3000, source="balance")
    release_escrow(reference="m:1", by=client_user)
    run = run_reconciliation()
    assert run.ok, run.mismatches
    assert run.accounts_checked >= 4


def test_reconciliation_reports_a_cached_balance_drift_and_alerts_staff(
    client_user, staff, sent_notifications
):
    top_up(client_user, 5000)
    Account.objects.filter(pk=wallet_account(client_user).pk).update(balance=4000)
    run = run_reconciliation()
    assert not run.ok
    checks = {m["check"] for m in run.mismatches}
    assert {"cached balance", "books balance", "card clearing"} <= checks
    assert [n["kind"] for n in sent_notifications] == ["escrow.reconciliation_mismatch"]
