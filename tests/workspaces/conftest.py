"""Fixtures for workspace tests: money and upload settings, a workspace with two milestones."""

import pytest

from tests.workspaces.factories import StaffFactory, make_workspace


@pytest.fixture(autouse=True)
def _workspace_settings(settings) -> None:
    settings.PROJECT_MODERATION = "off"
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PLATFORM_FEE_BPS = 1000
    settings.PLATFORM_FEE_MIN = 100
    settings.PLATFORM_FEE_BY_KIND = {}
    settings.SITE_URL = "http://testserver"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AUTO_APPROVE_DAYS = 14
    settings.WORKSPACE_MAX_UPLOAD = 1024
    settings.WORKSPACE_QC_FEE = 2500
    settings.WORKSPACE_FREE_REVISIONS = 1
    settings.WORKSPACE_REVISION_FEE = 5000
    settings.WORKSPACE_DISPUTE_RESPONSE_DAYS = 5
    settings.WORKSPACE_X_ACCEL_REDIRECT = ""
    settings.VIDEO_ROOM_URL = "https://meet.example.org/{room}"


@pytest.fixture
def workspace(db):
    return make_workspace(30_000, 20_000)


@pytest.fixture
def client_user(workspace):
    return workspace.contract.client


@pytest.fixture
def expert(workspace):
    return workspace.contract.expert


@pytest.fixture
def staff(db):
    return StaffFactory()
