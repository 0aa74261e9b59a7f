"""Fixtures for money tests: people, a funded wallet, a registered purchase purpose."""

from collections.abc import Iterator

import pytest
import responses
from django.db.models import Sum

from escrow import purposes
from escrow.models import Account, Entry, LedgerTransaction
from escrow.services.ledger import Leg, platform_account, post, wallet_account
from tests.escrow.factories import UserFactory
from tests.escrow.stripe_support import SECRET as STRIPE_TEST_SECRET


@pytest.fixture(autouse=True)
def _money_settings(settings) -> None:
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.PAYOUT_MIN = 1000
    settings.SITE_URL = "http://testserver"
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def client_user(db):
    return UserFactory(email="client@example.com", is_client=True)


@pytest.fixture
def expert(db):
    return UserFactory(email="expert@example.com", is_expert=True, active_role="expert")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True)


def top_up(user, amount: int, key: str | None = None) -> LedgerTransaction:
    """Put card money into a wallet (as a confirmed card payment would)."""
    txn, _ = post(
        key=key or f"test-topup:{user.pk}:{amount}:{LedgerTransaction.objects.count()}",
        kind=LedgerTransaction.Kind.TOP_UP,
        legs=[
            Leg(platform_account(Account.Kind.CARD_CLEARING), -amount),
            Leg(wallet_account(user), amount),
        ],
    )
    return txn


def balance_of(user) -> int:
    return wallet_account(user).balance


def ledger_snapshot() -> tuple:
    """Everything that could move: counts and every account's balance."""
    return (
        LedgerTransaction.objects.count(),
        Entry.objects.count(),
        tuple(Account.objects.exclude(balance=0).order_by("pk").values_list("pk", "balance")),
    )


def assert_books_balance() -> None:
    assert (Account.objects.aggregate(total=Sum("balance"))["total"] or 0) == 0
    for account in Account.objects.all():
        total = Entry.objects.filter(account=account).aggregate(total=Sum("amount"))["total"] or 0
        assert account.balance == total, account


@pytest.fixture
def paid_purchases() -> Iterator[list]:
    calls: list = []
    purposes.register("test-upgrade", on_paid=calls.append)
    yield calls
    purposes.unregister("test-upgrade")


@pytest.fixture(autouse=True)
def sent_notifications(monkeypatch) -> list[dict]:
    """Notifications are another app's job: record what money asked to send."""
    sent: list[dict] = []
    monkeypatch.setattr("escrow.notify._deliver", lambda **kwargs: sent.append(kwargs))
    return sent


@pytest.fixture
def stripe_settings(settings):
    settings.PAYMENT_GATEWAY = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_TEST_SECRET
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def stripe_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
