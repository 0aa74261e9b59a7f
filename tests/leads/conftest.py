"""Fixtures for referral leads: staff, a service, providers with criteria, funded wallets."""

from collections.abc import Callable
from typing import Any

import pytest

from escrow.models import Account, Entry, LedgerTransaction
from escrow.services.ledger import Leg, platform_account, post, wallet_account
from leads import services
from leads.models import Mandate
from tests.factories import SkillFactory, StaffFactory
from tests.leads.factories import LeadCriteriaFactory, MandateFactory, ProviderFactory


@pytest.fixture(autouse=True)
def _lead_settings(settings) -> None:
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PAYMENT_GATEWAY = "demo"
    settings.SITE_URL = "http://testserver"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LEAD_MAX_BUYERS = 4
    settings.LEAD_HALF_PRICE_AFTER_DAYS = 4


def fund(user: Any, amount: int) -> None:
    """Put card money into a wallet (as a confirmed top up would)."""
    post(
        key=f"test-topup:{user.pk}:{LedgerTransaction.objects.count()}",
        kind=LedgerTransaction.Kind.TOP_UP,
        legs=[
            Leg(platform_account(Account.Kind.CARD_CLEARING), -amount),
            Leg(wallet_account(user), amount),
        ],
    )


def balance(user: Any) -> int:
    return wallet_account(user).balance


def money_snapshot() -> tuple:
    return (
        LedgerTransaction.objects.count(),
        Entry.objects.count(),
        tuple(Account.objects.exclude(balance=0).order_by("pk").values_list("pk", "balance")),
    )


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@guildhall.example")


@pytest.fixture
def skill(db):
    return SkillFactory(name="Injection moulding", slug="injection-moulding")


@pytest.fixture
def make_provider(db, skill) -> Callable[..., Any]:
    """A provider whose criteria offer `skill` (or the given skills), with an optional balance."""

    def make(*, funds: int = 0, skills: list | None = None, **criteria: Any) -> Any:
        user = ProviderFactory()
        LeadCriteriaFactory(user=user, skills=skills if skills is not None else [skill], **criteria)
        if funds:
            fund(user, funds)
        return user

    return make


@pytest.fixture
def publish(staff, skill, django_capture_on_commit_callbacks) -> Callable[..., Mandate]:
    """Create and publish a mandate for `skill`, running the after-commit notifications."""

    def make(**fields: Any) -> Mandate:
        fields.setdefault("skills", [skill])
        mandate = MandateFactory(created_by=staff, **fields)
        with django_capture_on_commit_callbacks(execute=True):
            services.publish_mandate(mandate=mandate, by=staff)
        mandate.refresh_from_db()
        return mandate

    return make
