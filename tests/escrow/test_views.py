import csv
import io
from datetime import timedelta
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from escrow.models import Checkout, LedgerTransaction, Payout
from escrow.services import credit_user, fund_escrow, request_payout
from marketplace.forms import new_purchase_key
from tests.escrow.conftest import balance_of, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_user(client, client_user, expert):
    for i in range(60):
        top_up(client_user, 100 + i, key=f"view-topup:{i}")
    fund_escrow(payer=client_user, payee=expert, reference="m:1", amount=500, source="balance")
    credit_user(
        user=client_user,
        amount=300,
        kind="reward",
        key="rw",
        memo="Referral reward",
        pending_until=timezone.now() + timedelta(days=30),
    )
    client.force_login(client_user)
    return client_user


def test_money_pages_require_login(client):
    for name in ("balance", "statement", "statement_csv", "receipts", "top_up", "withdraw"):
        response = client.get(reverse(f"escrow:{name}"))
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_balance_page_shows_available_pending_and_held(
    client, busy_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(reverse("escrow:balance"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "€5.00" in content  # held
    assert "€3.00" in content  # pending
    assert "Referral reward" in content


def test_statement_is_paginated_with_running_balance(
    client, busy_user, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get(reverse("escrow:statement"))
    page = response.context["page"]
    assert len(page.entries) == 50
    assert page.entries[0].balance_after == balance_of(busy_user)
    assert page.next_before is not None
    older = client.get(reverse("escrow:statement"), {"before": page.next_before})
    assert len(older.context["page"].entries) == 11
    assert older.context["page"].next_before is None


def test_statement_htmx_returns_only_the_rows(client, busy_user, django_assert_max_num_queries):
    first = client.get(reverse("escrow:statement")).context["page"]
    with django_assert_max_num_queries(10):
        response = client.get(
            reverse("escrow:statement"), {"before": first.next_before}, HTTP_HX_REQUEST="true"
        )
    content = response.content.decode()
    assert content.lstrip().startswith('<tbody id="statement-rows">')
    assert "<html" not in content


def test_statement_filters_by_kind(client, busy_user):
    response = client.get(reverse("escrow:statement"), {"kind": LedgerTransaction.Kind.ESCROW_FUND})
    entries = response.context["page"].entries
    assert [e.transaction.kind for e in entries] == ["escrow_fund"]


def test_statement_refuses_reversed_date_range(client, busy_user):
    response = client.get(
        reverse("escrow:statement"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )
    assert "start date is after the end date" in response.content.decode()


def test_statement_csv_streams_every_movement(client, busy_user):
    response = client.get(reverse("escrow:statement_csv"))
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["date", "type", "description", "amount", "balance after", "currency"]
    assert len(rows) == 1 + 61
    assert rows[1][3] == "-5.00"


def test_statement_csv_is_written_in_the_reader_language(client, busy_user):
    busy_user.language = "de"
    busy_user.save(update_fields=["language"])

    response = client.get(reverse("escrow:statement_csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Datum", "Typ", "Beschreibung", "Betrag", "Saldo danach", "Währung"]
    assert rows[1][3] == "-5.00"  # amounts stay machine-readable
    with translation.override("de"):
        german_top_up = str(LedgerTransaction.Kind.TOP_UP.label)
    assert german_top_up != str(LedgerTransaction.Kind.TOP_UP.label)
    assert german_top_up in {row[1] for row in rows[1:]}


def test_top_up_form_redirects_to_the_card_page(client, client_user):
    client.force_login(client_user)
    response = client.post(reverse("escrow:top_up"), {"amount": "25.50", "key": new_purchase_key()})
    checkout = Checkout.objects.get()
    assert checkout.amount == 2550
    assert response["Location"] == reverse("escrow:demo_checkout", args=[checkout.token])
    page = client.get(response["Location"])
    assert b"4242 4242 4242 4242" in page.content


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "greater than zero"),
        ("-3", "greater than zero"),
        ("1e30", "as a number"),
        ("99999999999999", "largest amount"),
        ("abc", "as a number"),
        ("1.001", "two decimal places"),
    ],
)
def test_top_up_form_explains_bad_amounts(client, client_user, amount, message):
    client.force_login(client_user)
    response = client.post(reverse("escrow:top_up"), {"amount": amount, "key": new_purchase_key()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Checkout.objects.exists()


def test_withdraw_form_requests_a_payout(client, expert):
    top_up(expert, 5000)
    client.force_login(expert)
    response = client.post(reverse("escrow:withdraw"), {"amount": "20"})
    assert response["Location"] == reverse("escrow:balance")
    assert Payout.objects.get().amount == 2000
    assert balance_of(expert) == 3000


def test_withdraw_form_refuses_more_than_available(client, expert):
    top_up(expert, 5000)
    client.force_login(expert)
    before = ledger_snapshot()
    response = client.post(reverse("escrow:withdraw"), {"amount": "50.01"})
    assert response.status_code == 200
    assert "available balance is too low" in response.content.decode()
    assert ledger_snapshot() == before
    assert not Payout.objects.exists()


def test_receipts_list_only_my_checkouts(client, client_user, expert):
    from escrow.services import start_top_up

    mine = start_top_up(key=uuid4().hex, user=client_user, amount=700).checkout
    theirs = start_top_up(key=uuid4().hex, user=expert, amount=900).checkout
    client.force_login(client_user)
    response = client.get(reverse("escrow:receipts"))
    assert list(response.context["checkouts"]) == [mine]
    assert client.get(reverse("escrow:receipt", args=[mine.pk])).status_code == 200
    assert client.get(reverse("escrow:receipt", args=[theirs.pk])).status_code == 404


def test_admin_ledger_is_read_only(client, staff, client_user):
    staff.is_superuser = True
    staff.save()
    top_up(client_user, 1000)
    client.force_login(staff)
    txn = LedgerTransaction.objects.get()
    assert client.get(reverse("admin:escrow_ledgertransaction_changelist")).status_code == 200
    assert client.get(reverse("admin:escrow_entry_changelist")).status_code == 200
    assert client.get(reverse("admin:escrow_entry_add")).status_code == 403
    detail = client.get(reverse("admin:escrow_ledgertransaction_change", args=[txn.pk]))
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    delete = client.post(reverse("admin:escrow_ledgertransaction_delete", args=[txn.pk]))
    assert delete.status_code == 403


def test_admin_payout_queue_approves(client, staff, expert, django_capture_on_commit_callbacks):
    staff.is_superuser = True
    staff.save()
    top_up(expert, 5000)
    payout = request_payout(user=expert, amount=2000)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:escrow_payout_changelist"),
            {"action": "approve", "_selected_action": [payout.pk]},
        )
    assert response.status_code == 302
    payout.refresh_from_db()
    assert payout.status == Payout.Status.PAID


def test_admin_reconciliation_page(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:escrow_reconciliationrun_changelist")).status_code == 200
    response = client.post(
        reverse("admin:escrow_reconciliationrun_changelist"),
        {"action": "run_now", "_selected_action": []},
    )
    assert response.status_code in {200, 302}


def test_purchase_receipt_is_only_for_the_buyer(client, client_user, expert, paid_purchases):
    from escrow.services import pay_for_purchase

    top_up(client_user, 5000)
    purchase = pay_for_purchase(
        user=client_user,
        amount=1200,
        purpose="test-upgrade",
        reference="p:1",
        description="Featured project",
        source="balance",
    ).purchase
    client.force_login(client_user)
    response = client.get(reverse("escrow:purchase_receipt", args=[purchase.pk]))
    assert "Featured project" in response.content.decode()
    assert "€12.00" in response.content.decode()
    client.force_login(expert)
    assert client.get(reverse("escrow:purchase_receipt", args=[purchase.pk])).status_code == 404


@pytest.mark.parametrize(("viewer", "shown"), [("client", "€50.00"), ("expert", "€45.00")])
def test_fee_quote_shows_each_side_what_matters(viewer, shown):
    from django.template.loader import render_to_string

    from escrow.fees import quote_fee

    html = render_to_string(
        "escrow/_fee_quote.html", {"quote": quote_fee(amount=5000), "viewer": viewer}
    )
    assert f"<strong>{shown}</strong>" in html


def test_admin_reconciliation_report_lists_what_did_not_match(client, staff, client_user):
    from escrow.models import Account
    from escrow.services.ledger import wallet_account
    from escrow.services.reconciliation import run_reconciliation

    staff.is_superuser = True
    staff.save()
    top_up(client_user, 1000)
    Account.objects.filter(pk=wallet_account(client_user).pk).update(balance=999)
    run = run_reconciliation()
    client.force_login(staff)
    page = client.get(reverse("admin:escrow_reconciliationrun_change", args=[run.pk]))
    content = page.content.decode()
    assert "cached balance" in content
    assert "entries: 1000" in content


def test_statement_filters_by_date_range(client, busy_user):
    today = timezone.localdate()
    response = client.get(
        reverse("escrow:statement"), {"date_from": today.isoformat(), "date_to": today.isoformat()}
    )
    assert len(response.context["page"].entries) == 50
    tomorrow = today + timedelta(days=1)
    response = client.get(reverse("escrow:statement"), {"date_from": tomorrow.isoformat()})
    assert response.context["page"].entries == []


def test_the_demo_credit_memo_reads_in_german():
    from escrow import memos

    with translation.override("de"):
        assert memos.translated("Demo credit for the first milestone") == (
            "Demo-Guthaben für den ersten Meilenstein"
        )
