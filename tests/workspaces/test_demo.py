"""The demo data: a workspace with a delivered milestone, created once."""

import io

import pytest
from django.core.management import call_command

from workspaces.models import Milestone, Workspace

pytestmark = pytest.mark.django_db


def test_seed_demo_opens_a_workspace_with_a_delivered_milestone_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    workspace = Workspace.objects.get()
    statuses = list(
        workspace.milestones.order_by("contract_milestone__position").values_list(
            "status", flat=True
        )
    )
    assert statuses == [Milestone.Status.DELIVERED, Milestone.Status.START_REQUESTED]
