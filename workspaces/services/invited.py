"""Invited fulfilment (Speedy, Contest, Booking) in the workspace: the platform pays the expert a
reward, so nothing is held. The accepted expert starts at once; delivery always goes to QC; QC
approval credits the reward (projects.services.fulfilment.credit_reward); the client's approval
completes the milestone without releasing held funds."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.models import Contract
from workspaces.models import Milestone, Workspace, WorkspaceEvent
from workspaces.services.common import lock_milestone, move, open_workspace, tell

Status = Milestone.Status


@transaction.atomic
def start_invited_work(*, contract: Contract, by: User) -> Workspace:
    """Open the workspace and put its planned milestones in progress (no funding step)."""
    if not contract.project.is_invited_kind:
        raise ValueError("Only invited-kind projects start without funding.")
    workspace = open_workspace(contract=contract)
    for pk in Milestone.objects.filter(workspace=workspace, status=Status.PLANNED).values_list(
        "pk", flat=True
    ):
        milestone = lock_milestone(pk)
        move(
            milestone,
            Status.START_REQUESTED,
            by=by,
            action=WorkspaceEvent.Action.INVITATION_ACCEPTED,
        )
        milestone.started_at = timezone.now()
        milestone.save(update_fields=["started_at"])
        move(
            milestone,
            Status.IN_PROGRESS,
            by=by,
            action=WorkspaceEvent.Action.STARTED,
            params={"source": "reward"},
        )
    tell(
        contract.expert,
        kind="workspaces.milestone_started",
        title=format_lazy(
            gettext_lazy("“{title}” is yours: start now"), title=contract.project.title
        ),
        body=gettext_lazy("Upload your deliverables in the Your work section when they are ready."),
        workspace=workspace,
    )
    return workspace
