"""Two requests at once (real threads, own connections): one payment, one release."""

import threading

import pytest
from django.db import connection

from escrow.models import Checkout, HeldFunds, LedgerTransaction
from tests.workspaces.factories import balance_of, make_workspace, milestone_at, top_up
from workspaces import services
from workspaces.exceptions import WorkspaceError
from workspaces.models import Milestone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(action, times: int = 2) -> list:
    barrier = threading.Barrier(times)
    results: list = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(action())
        except WorkspaceError as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_double_start_makes_one_payment(settings):
    settings.PLATFORM_CURRENCY = "EUR"
    workspace = make_workspace(30_000, standalone=True)
    client = workspace.contract.client
    milestone = milestone_at(workspace, Milestone.Status.START_REQUESTED)
    top_up(client, 90_000)
    results = race(
        lambda: services.start_milestone(milestone=milestone, by=client, source="balance")
    )
    assert sum(isinstance(r, WorkspaceError) for r in results) == 1
    assert balance_of(client) == 60_000
    assert LedgerTransaction.objects.filter(kind="escrow_fund").count() == 1
    assert HeldFunds.objects.get(reference=milestone.reference).status == "funded"


def test_double_card_start_holds_the_money_once(settings):
    workspace = make_workspace(30_000, standalone=True)
    client = workspace.contract.client
    milestone = milestone_at(workspace, Milestone.Status.START_REQUESTED)
    race(lambda: services.start_milestone(milestone=milestone, by=client, source="card"))
    assert HeldFunds.objects.filter(reference=milestone.reference).count() == 1
    assert Checkout.objects.filter(held__reference=milestone.reference).count() >= 1
    assert LedgerTransaction.objects.filter(kind="escrow_fund").count() == 0


def test_mark_as_completed_from_two_tabs_releases_once(settings):
    workspace = make_workspace(30_000, standalone=True)
    client, expert = workspace.contract.client, workspace.contract.expert
    milestone = milestone_at(workspace, Milestone.Status.DELIVERED)
    results = race(lambda: services.complete_milestone(milestone=milestone, by=client))
    assert sum(isinstance(r, WorkspaceError) for r in results) == 1
    assert balance_of(expert) == 27_000
    assert LedgerTransaction.objects.filter(kind="escrow_release").count() == 1
