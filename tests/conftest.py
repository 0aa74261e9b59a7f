"""Shared fixtures: the database choice, browser launch, and small helpers."""

import importlib
import os
import shutil

import pytest
from django.apps import apps
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (factories, assertions) are still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# Celery reads these from the environment itself, over the settings (which ignore a developer's
# broker under test): tests that need one point at GUILDHALL_TEST_REDIS_URL themselves.
for _name in ("CELERY_BROKER_URL", "CELERY_BROKER_READ_URL", "CELERY_BROKER_WRITE_URL"):
    os.environ.pop(_name, None)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    require_postgres = os.environ.get("GUILDHALL_REQUIRE_POSTGRES") == "1"
    if require_postgres and not on_postgres:
        raise pytest.UsageError("GUILDHALL_REQUIRE_POSTGRES=1 but DATABASE_URL is not PostgreSQL.")
    has_browser = os.path.exists(CHROMIUM)
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
        if item.get_closest_marker("postgres") and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))
        if item.get_closest_marker("e2e") and not has_browser and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason="needs Debian's chromium"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A German page (Accept-Language, a saved language) must not leave German active."""
    yield
    from django.utils import translation

    translation.activate("en")


@pytest.fixture(autouse=True)
def _no_event_catch_up(settings) -> None:
    """The request-time catch-up on gateway events adds a query to a request now and then;
    off here so query-count bounds stay exact (tests/escrow/test_event_catch_up.py covers it)."""
    settings.GATEWAY_EVENTS_CATCH_UP_SECONDS = 0


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (the cached taxonomy holds database ids)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


# Data migrations that load reference data (the skills taxonomy, project templates). A
# transactional test empties every table when it ends, so the next one loads them again.
REFERENCE_DATA_MIGRATIONS = (
    "accounts.migrations.0004_taxonomy_data",
    "projects.migrations.0002_project_templates",
)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request: pytest.FixtureRequest) -> None:
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).load(apps, None)


@pytest.fixture(scope="session")
def s3_endpoint():
    """A local S3-compatible server (moto), shared by the tests of a run."""
    from tests.s3 import moto_server

    with moto_server() as endpoint:
        yield endpoint
