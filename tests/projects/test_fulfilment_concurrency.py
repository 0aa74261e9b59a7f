"""First to accept, under real concurrency on PostgreSQL: 20 invited experts press Accept at the
same instant and exactly one gets the Speedy."""

import threading

import pytest
from django.db import connection

from bids.models import Bid, Contract
from projects.exceptions import ProjectError, ProjectTaken
from projects.models import Project
from projects.services.fulfilment import accept_invitation
from tests.projects.fulfilment_factories import make_invited_project
from workspaces.models import Milestone, Workspace

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except ProjectError as error:
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.parametrize("kind", [Project.Kind.SPEEDY, Project.Kind.CONTEST])
def test_twenty_experts_accepting_at_once_make_exactly_one_winner(kind):
    project, experts = make_invited_project(kind=kind, experts=20)
    results = _race(
        [lambda expert=expert: accept_invitation(project=project, by=expert) for expert in experts]
    )
    winners = [r for r in results if isinstance(r, Contract)]
    assert len(winners) == 1
    assert all(isinstance(r, ProjectTaken) for r in results if r is not winners[0])
    assert Contract.objects.filter(project=project).count() == 1
    assert Bid.objects.filter(project=project).count() == 1
    assert Workspace.objects.count() == 1
    assert Milestone.objects.get().status == Milestone.Status.IN_PROGRESS
    project.refresh_from_db()
    assert project.status == Project.Status.IN_PROGRESS
    assert project.history.filter(to_status=Project.Status.IN_PROGRESS).count() == 1
