"""Fixtures for bids tests: settings, a client with an open project, experts."""

import pytest

from tests.bids.factories import ClientFactory, ExpertFactory, make_open_project


@pytest.fixture(autouse=True)
def _bid_settings(settings) -> None:
    settings.PROJECT_MODERATION = "off"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.BID_CAP = None
    settings.BID_MAX_AMOUNT = 1_000_000_000
    settings.BID_MAX_DAYS = 3650
    settings.BID_MAX_MILESTONES = 20
    settings.BID_MAX_ATTACHMENTS = 5
    settings.MAX_DOCUMENT_SIZE = 1024


@pytest.fixture
def client_user(db):
    return ClientFactory(email="client@example.com")


@pytest.fixture
def project(client_user):
    return make_open_project(owner=client_user)


@pytest.fixture
def expert(db):
    return ExpertFactory(email="expert@example.com")


@pytest.fixture
def other_expert(db):
    return ExpertFactory(email="other-expert@example.com")


@pytest.fixture
def staff(db):
    from tests.factories import StaffFactory

    return StaffFactory(email="staff@example.com")
