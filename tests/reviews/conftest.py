"""Fixtures for reviews tests: money settings and a contract completed through the real services."""

import pytest

from tests.reviews.factories import completed_contract


@pytest.fixture(autouse=True)
def _review_settings(settings) -> None:
    settings.PROJECT_MODERATION = "off"
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.SITE_URL = "http://testserver"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AUTO_APPROVE_DAYS = 14
    settings.WORKSPACE_FREE_REVISIONS = 1
    settings.REVIEW_WINDOW_DAYS = 14
    settings.REVIEW_REMINDER_DAYS = (3, 10)


@pytest.fixture
def contract(db):
    return completed_contract()


@pytest.fixture
def client_user(contract):
    return contract.client


@pytest.fixture
def expert(contract):
    return contract.expert
