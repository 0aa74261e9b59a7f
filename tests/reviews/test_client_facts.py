""" "About the client" is current when read: publish, hire and funding recompute it at once."""

import pytest

from reviews.models import Reputation
from tests.bids.factories import award_and_confirm, place
from tests.projects.factories import ClientFactory, ExpertFactory, make_open_project
from tests.workspaces.factories import top_up
from workspaces import services as workspace_services
from workspaces.services import open_workspace

pytestmark = pytest.mark.django_db


def facts(user) -> Reputation:
    return Reputation.objects.get(user=user)


def test_client_facts_follow_publish_award_and_funding(django_capture_on_commit_callbacks):
    owner = ClientFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = make_open_project(owner=owner)
        make_open_project(owner=owner)
    assert facts(owner).projects_posted == 2
    assert facts(owner).hire_rate == 0
    assert not facts(owner).payment_verified

    expert = ExpertFactory()
    with django_capture_on_commit_callbacks(execute=True):
        contract = award_and_confirm(place(first, expert, amount=30_000))
    assert facts(owner).hire_rate == 50

    workspace = open_workspace(contract=contract)
    milestone = workspace.milestones.order_by("pk").first()
    top_up(owner, 100_000)
    workspace_services.request_start(milestone=milestone, by=expert)
    with django_capture_on_commit_callbacks(execute=True):
        workspace_services.start_milestone(milestone=milestone, by=owner, source="balance")
    assert facts(owner).payment_verified
