"""Staff credit or debit a balance by hand with a mandatory reason: posted through the ledger
once, with the staff member recorded, on the user's statement with the reason, in the admin."""

import uuid

import pytest
from django.urls import reverse

from escrow.exceptions import InsufficientFunds, InvalidAmount, NotAllowed
from escrow.models import BalanceAdjustment, LedgerTransaction
from escrow.services.adjustments import adjust_balance
from tests.factories import ExpertFactory, StaffFactory
from tests.workspaces.factories import balance_of

pytestmark = pytest.mark.django_db


def _adjust(user, staff, direction="credit", amount=2_500, reason="Extra fee: two more pages"):
    return adjust_balance(
        user=user,
        by=staff,
        direction=direction,
        amount=amount,
        reason=reason,
        key=uuid.uuid4().hex,
    )


def test_a_staff_credit_is_posted_once_with_the_staff_member_and_the_reason():
    expert, staff = ExpertFactory(), StaffFactory()
    key = uuid.uuid4().hex
    for _ in range(2):
        adjust_balance(
            user=expert, by=staff, direction="credit", amount=2_500, reason="Extra fee", key=key
        )
    adjustment = BalanceAdjustment.objects.get()
    assert adjustment.transaction.created_by == staff
    assert adjustment.transaction.memo == "Extra fee"
    assert adjustment.transaction.kind == LedgerTransaction.Kind.CREDIT
    assert balance_of(expert) == 2_500


def test_a_debit_takes_from_the_balance_and_never_below_zero():
    expert, staff = ExpertFactory(), StaffFactory()
    _adjust(expert, staff, amount=3_000)
    _adjust(expert, staff, direction="debit", amount=1_000, reason="Revision fee refunded")
    assert balance_of(expert) == 2_000
    with pytest.raises(InsufficientFunds, match="nothing was taken"):
        _adjust(expert, staff, direction="debit", amount=5_000, reason="Too much")
    assert balance_of(expert) == 2_000
    assert BalanceAdjustment.objects.count() == 2


@pytest.mark.parametrize(
    ("by_staff", "reason", "error"),
    [(False, "A reason", NotAllowed), (True, "   ", InvalidAmount)],
)
def test_refusals_move_nothing(by_staff, reason, error):
    expert = ExpertFactory()
    by = StaffFactory() if by_staff else ExpertFactory()
    with pytest.raises(error):
        _adjust(expert, by, reason=reason)
    assert not BalanceAdjustment.objects.exists()
    assert not LedgerTransaction.objects.exists()
    assert balance_of(expert) == 0


def test_the_user_reads_the_reason_on_the_statement_and_in_the_csv(client):
    expert = ExpertFactory()
    _adjust(expert, StaffFactory(), reason="Extra fee: two more pages")
    client.force_login(expert)
    assert "Extra fee: two more pages" in client.get(reverse("escrow:statement")).content.decode()
    csv = b"".join(client.get(reverse("escrow:statement_csv")).streaming_content).decode()
    assert "Extra fee: two more pages" in csv


def test_staff_make_an_adjustment_in_the_admin_and_see_it_in_the_report(client):
    expert = ExpertFactory(email="pro@example.com")
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    add = reverse("admin:escrow_balanceadjustment_add")
    page = client.get(add).content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    data = {
        "user": expert.pk,
        "direction": "credit",
        "amount_text": "12.50",
        "reason": "Extra fee agreed for a new character",
        "key": key,
    }
    client.post(add, data)
    client.post(add, data)  # a double submission
    adjustment = BalanceAdjustment.objects.get()
    assert (adjustment.amount, adjustment.by) == (1_250, staff)
    assert balance_of(expert) == 1_250
    report = client.get(reverse("admin:escrow_balanceadjustment_changelist")).content.decode()
    assert "Extra fee agreed for a new character" in report
    assert "€12.50" in report or "12.50" in report


def test_a_bad_amount_is_refused_beside_the_field_and_nothing_moves(client):
    expert = ExpertFactory()
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:escrow_balanceadjustment_add"),
        {
            "user": expert.pk,
            "direction": "debit",
            "amount_text": "5.00",
            "reason": "x",
            "key": "k1",
        },
    )
    assert response.status_code == 200
    assert "lower than this debit" in response.content.decode()
    assert not BalanceAdjustment.objects.exists()
