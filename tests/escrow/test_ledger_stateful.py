"""Random sequences of money actions, checked after every step against an independent model."""

from collections import defaultdict
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from escrow.exceptions import (
    AlreadySettled,
    InsufficientFunds,
    InvalidAmount,
    InvalidTransition,
)
from escrow.models import Account, Entry, HeldFunds, LedgerTransaction, Payout
from escrow.services import (
    approve_payout,
    credit_user,
    debit_user,
    fulfil_checkout,
    fund_escrow,
    mark_payout_failed,
    refund_escrow,
    release_due_pending,
    release_escrow,
    request_payout,
    split_escrow,
    start_top_up,
)
from escrow.services.ledger import Leg, platform_account, post, wallet_account
from escrow.services.payouts import send_payout
from marketplace.money import split_fee
from tests.escrow.factories import UserFactory

PAYOUT_MIN = 1000
amounts = st.integers(min_value=1, max_value=50_000)
who = st.integers(min_value=0, max_value=2)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.users = [UserFactory() for _ in range(3)]
        self.staff = UserFactory(is_staff=True)
        self.available: dict[int, int] = defaultdict(int)
        self.pending: dict[int, int] = defaultdict(int)
        self.platform: dict[str, int] = defaultdict(int)
        self.held: dict[str, dict] = {}
        self.payouts: dict[int, dict] = {}
        self.keys: list[str] = []
        self.counter = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _next(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}:{self.counter}"

    @initialize(amount=st.integers(min_value=0, max_value=100_000))
    def start_with_money(self, amount: int) -> None:
        if amount:
            for user in range(3):
                self.top_up(user, amount)

    @rule(user=who, amount=amounts)
    def top_up(self, user: int, amount: int) -> None:
        key = self._next("topup")
        post(
            key=key,
            kind=LedgerTransaction.Kind.TOP_UP,
            legs=[
                Leg(platform_account(Account.Kind.CARD_CLEARING), -amount),
                Leg(wallet_account(self.users[user]), amount),
            ],
        )
        self.keys.append(key)
        self.available[user] += amount
        self.platform["card_clearing"] -= amount

    @rule(user=who, amount=amounts, deliveries=st.integers(1, 3))
    def card_top_up(self, user: int, amount: int, deliveries: int) -> None:
        checkout = start_top_up(key=uuid4().hex, user=self.users[user], amount=amount).checkout
        charge = self._next("ch")
        for _ in range(deliveries):  # the gateway may confirm the same charge more than once
            fulfil_checkout(checkout_id=checkout.pk, charge_ref=charge)
        self.available[user] += amount
        self.platform["card_clearing"] -= amount

    @rule(payer=who, other=st.integers(1, 2), share=st.floats(0.01, 1.2))
    def fund(self, payer: int, other: int, share: float) -> None:
        payee = (payer + other) % 3
        amount = max(1, int(self.available[payer] * share))
        reference = self._next("job")
        if self.available[payer] < amount:
            with pytest.raises(InsufficientFunds):
                fund_escrow(
                    payer=self.users[payer],
                    payee=self.users[payee],
                    reference=reference,
                    amount=amount,
                    source="balance",
                )
            return
        fund_escrow(
            payer=self.users[payer],
            payee=self.users[payee],
            reference=reference,
            amount=amount,
            source="balance",
        )
        self.available[payer] -= amount
        self.held[reference] = {"payer": payer, "payee": payee, "amount": amount, "open": True}

    def _settle(self, data: dict, action) -> bool:
        if not data["open"]:
            with pytest.raises(AlreadySettled):
                action()
            return False
        action()
        data["open"] = False
        return True

    @rule(index=st.integers(min_value=0, max_value=50))
    def release(self, index: int) -> None:
        if not self.held:
            return
        reference = sorted(self.held)[index % len(self.held)]
        data = self.held[reference]
        payer = self.users[data["payer"]]
        if self._settle(data, lambda: release_escrow(reference=reference, by=payer)):
            fee, net = split_fee(data["amount"], 1000, 100)
            self.available[data["payee"]] += net
            self.platform["platform_fees"] += fee

    @rule(index=st.integers(min_value=0, max_value=50))
    def refund(self, index: int) -> None:
        if not self.held:
            return
        reference = sorted(self.held)[index % len(self.held)]
        data = self.held[reference]
        if self._settle(data, lambda: refund_escrow(reference=reference, by=self.staff)):
            self.available[data["payer"]] += data["amount"]

    @rule(index=st.integers(min_value=0, max_value=50), share=st.floats(0, 1))
    def split(self, index: int, share: float) -> None:
        if not self.held:
            return
        reference = sorted(self.held)[index % len(self.held)]
        data = self.held[reference]
        payee_amount = int(data["amount"] * share)
        action = lambda: split_escrow(  # noqa: E731
            reference=reference, by=self.staff, payee_amount=payee_amount
        )
        if self._settle(data, action):
            fee, net = split_fee(payee_amount, 1000, 100)
            self.available[data["payee"]] += net
            self.platform["platform_fees"] += fee
            self.available[data["payer"]] += data["amount"] - payee_amount

    @rule(user=who, amount=amounts)
    def debit(self, user: int, amount: int) -> None:
        key = self._next("debit")
        if self.available[user] < amount:
            with pytest.raises(InsufficientFunds):
                debit_user(user=self.users[user], amount=amount, kind="purchase", key=key, memo="x")
            return
        debit_user(user=self.users[user], amount=amount, kind="purchase", key=key, memo="x")
        self.keys.append(key)
        self.available[user] -= amount
        self.platform["platform_revenue"] += amount

    @rule(user=who, amount=amounts, later=st.booleans())
    def credit(self, user: int, amount: int, later: bool) -> None:
        key = self._next("credit")
        due = timezone.now() + timedelta(days=30) if later else None
        credit_user(
            user=self.users[user],
            amount=amount,
            kind="reward",
            key=key,
            memo="x",
            pending_until=due,
        )
        self.keys.append(key)
        (self.pending if later else self.available)[user] += amount
        self.platform["promotions"] -= amount

    @rule()
    def pending_becomes_available(self) -> None:
        release_due_pending(now=timezone.now() + timedelta(days=31))
        for user, amount in list(self.pending.items()):
            self.available[user] += amount
            self.pending[user] = 0

    @rule(user=who, amount=st.integers(min_value=PAYOUT_MIN, max_value=60_000))
    def request_payout(self, user: int, amount: int) -> None:
        if self.available[user] < amount:
            with pytest.raises(InsufficientFunds):
                request_payout(user=self.users[user], amount=amount)
            return
        payout = request_payout(user=self.users[user], amount=amount)
        self.available[user] -= amount
        self.platform["payouts_in_transit"] += amount
        self.payouts[payout.pk] = {"user": user, "amount": amount, "state": "requested"}

    @rule(index=st.integers(min_value=0, max_value=50), pay=st.booleans())
    def settle_payout(self, index: int, pay: bool) -> None:
        if not self.payouts:
            return
        pk = sorted(self.payouts)[index % len(self.payouts)]
        data = self.payouts[pk]
        if data["state"] != "requested":
            with pytest.raises(InvalidTransition):
                mark_payout_failed(payout_id=pk, by=self.staff)
            return
        if pay:
            approve_payout(payout_id=pk, by=self.staff)
            send_payout(payout_id=pk)  # what the task does after commit
            data["state"] = "paid"
            self.platform["payouts_in_transit"] -= data["amount"]
            self.platform["card_clearing"] += data["amount"]
        else:
            mark_payout_failed(payout_id=pk, by=self.staff)
            data["state"] = "failed"
            self.platform["payouts_in_transit"] -= data["amount"]
            self.available[data["user"]] += data["amount"]

    @rule(index=st.integers(min_value=0, max_value=50))
    def replay(self, index: int) -> None:
        if not self.keys:
            return
        key = self.keys[index % len(self.keys)]
        before = (LedgerTransaction.objects.count(), Entry.objects.count())
        post(
            key=key,
            kind=LedgerTransaction.Kind.TOP_UP,
            legs=[
                Leg(platform_account(Account.Kind.CARD_CLEARING), -1),
                Leg(wallet_account(self.users[0]), 1),
            ],
        )
        assert (LedgerTransaction.objects.count(), Entry.objects.count()) == before

    @rule(user=who, amount=st.sampled_from([0, -1, 10**15]))
    def bad_amount(self, user: int, amount: int) -> None:
        with pytest.raises(InvalidAmount):
            debit_user(user=self.users[user], amount=amount, kind="purchase", key="bad", memo="x")

    @invariant()
    def each_transaction_sums_to_zero(self) -> None:
        unbalanced = (
            Entry.objects.values("transaction_id").annotate(total=Sum("amount")).exclude(total=0)
        )
        assert not unbalanced.exists()

    @invariant()
    def books_balance_and_cache_matches_entries(self) -> None:
        assert (Account.objects.aggregate(total=Sum("balance"))["total"] or 0) == 0
        sums = dict(
            Entry.objects.values_list("account_id")
            .annotate(t=Sum("amount"))
            .values_list("account_id", "t")
        )
        for account in Account.objects.all():
            assert account.balance == (sums.get(account.pk) or 0)
            if not account.may_go_negative:
                assert account.balance >= 0

    @invariant()
    def balances_match_the_model(self) -> None:
        for index, user in enumerate(self.users):
            wallet = Account.objects.filter(kind="wallet", user=user).first()
            assert (wallet.balance if wallet else 0) == self.available[index]
            pending = Account.objects.filter(kind="wallet_pending", user=user).first()
            assert (pending.balance if pending else 0) == self.pending[index]
        for kind, expected in self.platform.items():
            account = Account.objects.filter(kind=kind, reference="").first()
            assert (account.balance if account else 0) == expected

    @invariant()
    def held_funds_hold_their_amount_or_zero(self) -> None:
        for reference, data in self.held.items():
            account = Account.objects.get(reference=f"escrow:{reference}")
            assert account.balance == (data["amount"] if data["open"] else 0)
            status = HeldFunds.objects.get(reference=reference).status
            assert (status == "funded") == data["open"]
        paid = Payout.objects.filter(status="paid").count()
        assert paid == sum(1 for p in self.payouts.values() if p["state"] == "paid")


@pytest.mark.django_db
def test_ledger_invariants_hold_for_random_money_actions():
    LedgerMachine.TestCase.settings = settings(
        max_examples=30,
        stateful_step_count=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    LedgerMachine.TestCase().runTest()
