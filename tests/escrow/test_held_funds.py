import pytest

from escrow.exceptions import (
    AlreadyFunded,
    AlreadySettled,
    HeldFundsFrozen,
    InsufficientFunds,
    InvalidAmount,
    NotAllowed,
    UnknownReference,
)
from escrow.fees import quote_fee
from escrow.models import Account, HeldFunds
from escrow.services import (
    freeze_escrow,
    fund_escrow,
    refund_escrow,
    release_escrow,
    split_escrow,
    unfreeze_escrow,
)
from escrow.services.ledger import platform_account
from tests.escrow.conftest import assert_books_balance, balance_of, ledger_snapshot, top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(client_user, expert):
    top_up(client_user, 20_000)
    return fund_escrow(
        payer=client_user, payee=expert, reference="job:1", amount=10_000, source="balance"
    )


def test_fund_escrow_from_balance_holds_the_amount(funded, client_user):
    assert funded.status == HeldFunds.Status.FUNDED
    assert balance_of(client_user) == 10_000
    assert Account.objects.get(reference="escrow:job:1").balance == 10_000
    assert funded.events.get().to_status == "funded"
    assert_books_balance()


def test_fund_escrow_refuses_twice(funded, client_user, expert):
    before = ledger_snapshot()
    with pytest.raises(AlreadyFunded):
        fund_escrow(
            payer=client_user,
            payee=expert,
            reference="job:1",
            amount=10_000,
            source="balance",
        )
    assert ledger_snapshot() == before


def test_fund_escrow_refuses_without_enough_balance(client_user, expert):
    top_up(client_user, 500)
    before = ledger_snapshot()
    with pytest.raises(InsufficientFunds):
        fund_escrow(
            payer=client_user, payee=expert, reference="job:2", amount=501, source="balance"
        )
    assert ledger_snapshot() == before
    assert not HeldFunds.objects.filter(status="funded").exists()


@pytest.mark.parametrize("amount", [0, -100, 10**14])
def test_fund_escrow_refuses_bad_amounts(client_user, expert, amount):
    with pytest.raises(InvalidAmount):
        fund_escrow(
            payer=client_user,
            payee=expert,
            reference="job:3",
            amount=amount,
            source="balance",
        )
    assert not HeldFunds.objects.exists()


def test_fund_escrow_refuses_paying_yourself(client_user):
    top_up(client_user, 500)
    with pytest.raises(NotAllowed):
        fund_escrow(
            payer=client_user, payee=client_user, reference="m:4", amount=100, source="balance"
        )
    assert not HeldFunds.objects.exists()


def test_release_pays_net_to_expert_and_fee_to_platform(funded, client_user, expert):
    quote = quote_fee(amount=10_000)
    held = release_escrow(reference="job:1", by=client_user)
    assert held.status == HeldFunds.Status.RELEASED
    assert (held.fee, held.payee_net) == (quote.fee, quote.net) == (1000, 9000)
    assert held.fee_breakdown["bps"] == 1000
    assert balance_of(expert) == 9000
    assert platform_account(Account.Kind.PLATFORM_FEES).balance == 1000
    assert Account.objects.get(reference="escrow:job:1").balance == 0
    assert_books_balance()


def test_release_uses_the_fee_for_the_kind_of_engagement(funded, client_user, expert, settings):
    settings.PLATFORM_FEE_BY_KIND = {"hourly": {"bps": 500, "min": 0}}
    held = release_escrow(reference="job:1", by=client_user, fee_kind="hourly")
    assert (held.fee, held.payee_net) == (500, 9500)


def test_release_refuses_second_settlement(funded, client_user, expert):
    release_escrow(reference="job:1", by=client_user)
    before = ledger_snapshot()
    with pytest.raises(AlreadySettled):
        release_escrow(reference="job:1", by=client_user)
    with pytest.raises(AlreadySettled):
        refund_escrow(reference="job:1", by=expert)
    assert ledger_snapshot() == before


def test_release_refuses_the_expert(funded, expert):
    before = ledger_snapshot()
    with pytest.raises(NotAllowed):
        release_escrow(reference="job:1", by=expert)
    assert ledger_snapshot() == before
    assert HeldFunds.objects.get().status == "funded"


def test_release_refuses_unknown_reference(client_user):
    with pytest.raises(UnknownReference):
        release_escrow(reference="job:404", by=client_user)


def test_refund_to_wallet_returns_everything_to_client(funded, client_user, expert):
    held = refund_escrow(reference="job:1", by=expert)
    assert held.status == HeldFunds.Status.REFUNDED
    assert balance_of(client_user) == 20_000
    assert balance_of(expert) == 0
    assert_books_balance()


def test_refund_refuses_the_client(funded, client_user):
    with pytest.raises(NotAllowed):
        refund_escrow(reference="job:1", by=client_user)
    assert HeldFunds.objects.get().status == "funded"


def test_refund_to_card_refuses_balance_funded_money(funded, staff):
    before = ledger_snapshot()
    with pytest.raises(Exception, match="not paid by card"):
        refund_escrow(reference="job:1", by=staff, to="card")
    assert ledger_snapshot() == before


def test_split_is_exact_to_the_cent_and_fees_only_the_expert_part(
    funded, client_user, expert, staff
):
    held = split_escrow(reference="job:1", by=staff, payee_amount=3333)
    fee = quote_fee(amount=3333).fee
    assert fee == 333
    assert balance_of(expert) == 3333 - fee
    assert balance_of(client_user) == 10_000 + 6667
    assert held.fee + held.payee_net + held.payer_refund == 10_000
    assert_books_balance()


def test_split_refuses_more_than_held(funded, staff):
    before = ledger_snapshot()
    with pytest.raises(InvalidAmount):
        split_escrow(reference="job:1", by=staff, payee_amount=10_001)
    assert ledger_snapshot() == before


def test_split_refuses_non_staff(funded, client_user):
    with pytest.raises(NotAllowed):
        split_escrow(reference="job:1", by=client_user, payee_amount=100)
    assert HeldFunds.objects.get().status == "funded"


def test_frozen_funds_cannot_be_released_until_unfrozen(funded, client_user):
    freeze_escrow(reference="job:1", reason="card dispute")
    before = ledger_snapshot()
    with pytest.raises(HeldFundsFrozen):
        release_escrow(reference="job:1", by=client_user)
    assert ledger_snapshot() == before
    unfreeze_escrow(reference="job:1")
    assert release_escrow(reference="job:1", by=client_user).status == "released"


def test_fee_quote_shows_client_total_and_expert_net():
    quote = quote_fee(amount=5_000)
    assert (quote.amount, quote.fee, quote.net) == (5_000, 500, 4_500)


def test_held_funds_handler_runs_once_when_money_is_held(client_user, expert):
    from escrow import purposes

    calls = []
    purposes.register_held("job", on_funded=calls.append)
    try:
        top_up(client_user, 5000)
        held = fund_escrow(
            payer=client_user, payee=expert, reference="job:55", amount=900, source="balance"
        )
        with pytest.raises(AlreadyFunded):
            fund_escrow(
                payer=client_user,
                payee=expert,
                reference="job:55",
                amount=900,
                source="balance",
            )
    finally:
        purposes.unregister_held("job")
    assert [h.pk for h in calls] == [held.pk]
