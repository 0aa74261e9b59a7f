"""Reviews test data: contracts completed (or ended) through the real workspace services."""

from __future__ import annotations

from typing import Any

from bids.models import Contract
from reviews import services
from reviews.models import Review
from tests.workspaces.factories import make_workspace, milestone_at
from workspaces import services as workspace_services
from workspaces.models import Milestone

EXPERT_CRITERIA = {"quality": 5, "communication": 4, "timeliness": 5, "value": 4}
CLIENT_CRITERIA = {"clarity": 4, "responsiveness": 5, "payment_promptness": 5}


def completed_contract(*amounts: int, **kw: Any) -> Contract:
    """A contract whose every milestone was paid out: the workspace is completed."""
    workspace = make_workspace(*(amounts or (30_000,)), **kw)
    for index in range(workspace.milestones.count()):
        milestone_at(workspace, Milestone.Status.COMPLETED, index=index)
    return Contract.objects.select_related("project", "client", "expert").get(pk=workspace.pk)


def active_contract(*amounts: int, **kw: Any) -> Contract:
    workspace = make_workspace(*(amounts or (30_000,)), **kw)
    return Contract.objects.select_related("project", "client", "expert").get(pk=workspace.pk)


def ended_contract(*, paid: bool) -> Contract:
    """Terminated by the client, after one paid milestone or none."""
    workspace = make_workspace(30_000, 20_000)
    if paid:
        milestone_at(workspace, Milestone.Status.COMPLETED, index=0)
    workspace_services.terminate_contract(workspace=workspace, by=workspace.contract.client)
    return Contract.objects.select_related("project", "client", "expert").get(pk=workspace.pk)


def review(contract: Contract, by, *, rating: int = 5, text: str = "Great work.", **kw) -> Review:
    as_client = by.pk == contract.client_id
    return services.submit_review(
        contract=contract,
        by=by,
        rating=rating,
        text=text,
        would_work_again=kw.pop("would_work_again", True),
        criteria=kw.pop("criteria", EXPERT_CRITERIA if as_client else CLIENT_CRITERIA),
    )
