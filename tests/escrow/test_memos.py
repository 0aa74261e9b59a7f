"""Ledger memos are stored in English; a German reader sees their known wordings in German, with
the names inside them (project and milestone titles) as they are."""

import pytest
from django.urls import reverse
from django.utils import translation

from escrow.memos import translated
from tests.workspaces.factories import ClientFactory, make_workspace, milestone_at
from workspaces.models import Milestone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("stored", "german"),
    [
        ("Withdrawal requested", "Auszahlung beantragt"),
        ("Funds held for “Shop” · Step 1", "Treuhänderisch verwahrt für “Shop” · Step 1"),
        ("Released: “Shop” · Step 1", "Freigegeben: “Shop” · Step 1"),
        ("Credit for referral lead #4: Moulds", "Gutschrift für den vermittelten Lead #4: Moulds"),
        ("Referral lead #4: Moulds", "Vermittelter Lead #4: Moulds"),
        ("Correction of #12", "Korrektur von #12"),
        ("Something a person typed", "Something a person typed"),
        ("", ""),
    ],
)
def test_known_memos_are_shown_in_the_readers_language(stored, german):
    with translation.override("de"):
        assert translated(stored) == german
    with translation.override("en"):
        assert translated(stored) == stored


def test_a_german_client_reads_the_held_funds_line_in_german(client, settings):
    settings.PAYMENT_GATEWAY = "demo"
    settings.PLATFORM_CURRENCY = "EUR"
    settings.PROJECT_MODERATION = "off"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    workspace = make_workspace(30_000, owner=ClientFactory(language="de"))
    milestone_at(workspace, Milestone.Status.IN_PROGRESS)
    client.force_login(workspace.contract.client)

    html = client.get(reverse("escrow:balance")).content.decode()

    assert "Treuhänderisch verwahrt für" in html
    assert "Funds held for" not in html
