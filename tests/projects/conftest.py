"""Fixtures for projects tests: settings, people, and a record of who was told what."""

import pytest

from tests.projects.factories import ClientFactory, ExpertFactory, UserFactory


@pytest.fixture(autouse=True)
def _project_settings(settings) -> None:
    settings.PROJECT_MODERATION = "off"
    settings.PROJECT_MODERATION_CATEGORIES = []
    settings.FEATURED_PRICE = 2900
    settings.PRIVATE_PRICE = 1900
    settings.ASSIST_PRICE = 4900
    settings.FEATURED_DAYS = 10
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.SITE_URL = "http://testserver"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MAX_DOCUMENT_SIZE = 1024


@pytest.fixture
def owner(db):
    return ClientFactory(email="owner@example.com")


@pytest.fixture
def other_client(db):
    return ClientFactory(email="other-client@example.com")


@pytest.fixture
def expert(db):
    return ExpertFactory(email="expert@example.com")


@pytest.fixture
def company_expert(db):
    return ExpertFactory(email="company@example.com", account_type="company")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", is_staff=True, is_client=False)


@pytest.fixture
def told(monkeypatch):
    """Every notification the projects services send: a list of dicts."""
    calls: list[dict] = []

    def record(**kwargs):
        calls.append(kwargs)

    import projects.notify
    import projects.services.lifecycle
    import projects.services.upgrades

    monkeypatch.setattr(projects.notify, "tell", record)
    monkeypatch.setattr(projects.services.lifecycle, "tell", record)
    monkeypatch.setattr(projects.services.upgrades, "tell", record)
    return calls
