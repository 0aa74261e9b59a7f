"""Reads for workspace pages and for other apps (reviews, bids)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from bids.models import Contract, ContractMilestone
from escrow.purposes import Described
from messaging.models import Message, Participant
from projects.exceptions import NdaRequired
from workspaces.models import (
    Delivery,
    Dispute,
    Milestone,
    Revision,
    Workspace,
    WorkspaceEvent,
    WorkspaceFile,
)
from workspaces.services.common import open_workspace, qc_needs_nda, role_of

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

CHAT_LIMIT = 100
TIMELINE_LIMIT = 100


def get_workspace_for(*, user: User, pk: int) -> tuple[Workspace, str]:
    """The workspace (opened on first visit) and the viewer's role; Http404 for outsiders."""
    workspace = (
        Workspace.objects.select_related(
            "contract__project", "contract__client", "contract__expert", "contract__bid"
        )
        .filter(pk=pk)
        .first()
    )
    if workspace is not None and _plan_grew(workspace):
        workspace = open_workspace(contract=workspace.contract)
    if workspace is None:
        contract = (
            Contract.objects.select_related("project", "client", "expert", "bid")
            .filter(pk=pk)
            .first()
        )
        if contract is None or not _may_open(contract, user):
            raise Http404("No such workspace.")
        workspace = open_workspace(contract=contract)
    role = role_of(workspace, user)
    if not role:
        raise Http404("No such workspace.")
    if qc_needs_nda(workspace, user, role):
        raise NdaRequired(workspace.contract.project)
    return workspace, role


def _plan_grew(workspace: Workspace) -> bool:
    """The expert added milestones to the plan since the workspace opened (before any start)."""
    return ContractMilestone.objects.filter(contract_id=workspace.pk, run__isnull=True).exists()


def _may_open(contract: Contract, user: User) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_staff or user.pk in {contract.client_id, contract.expert_id})
    )


def get_milestone_for(*, user: User, workspace_pk: int, pk: int) -> tuple[Milestone, str]:
    workspace, role = get_workspace_for(user=user, pk=workspace_pk)
    milestone = (
        Milestone.objects.select_related("contract_milestone")
        .filter(workspace=workspace, pk=pk)
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    milestone.workspace = workspace
    return milestone, role


def milestones_of(workspace: Workspace, *, role: str) -> list[Milestone]:
    """Milestones with deliveries (the client sees only QC-approved ones), revisions, disputes."""
    deliveries = Delivery.objects.prefetch_related("files").order_by("-version")
    if role == "client":
        deliveries = deliveries.filter(
            qc_status__in=[Delivery.QC.NOT_REQUIRED, Delivery.QC.APPROVED]
        )
    revisions = Revision.objects.order_by("-pk")
    if role == "client":
        revisions = revisions.filter(from_qc=False)
    milestones = list(
        Milestone.objects.filter(workspace=workspace)
        .select_related("contract_milestone")
        .prefetch_related(
            Prefetch("deliveries", queryset=deliveries),
            Prefetch("revisions", queryset=revisions),
            Prefetch("disputes", queryset=Dispute.objects.prefetch_related("files")),
        )
    )
    for milestone in milestones:
        milestone.workspace = workspace
        # One history, newest first: a revision request sits between the deliveries around it.
        events: list[tuple[str, Delivery | Revision]] = [
            *(("delivery", d) for d in milestone.deliveries.all()),
            *(("revision", r) for r in milestone.revisions.all()),
        ]
        milestone.history = sorted(  # type: ignore[attr-defined]
            events, key=lambda e: (e[1].created_at, e[0]), reverse=True
        )
    return milestones


def timeline(workspace: Workspace, *, limit: int = TIMELINE_LIMIT) -> list[WorkspaceEvent]:
    return list(
        WorkspaceEvent.objects.filter(workspace=workspace)
        .select_related("by", "milestone__contract_milestone")
        .order_by("-created_at", "-pk")[:limit]
    )


def shared_files(workspace: Workspace) -> QuerySet[WorkspaceFile]:
    return (
        WorkspaceFile.objects.filter(workspace=workspace, delivery__isnull=True)
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def chat_messages(
    workspace: Workspace, *, after: int | None = None, limit: int = CHAT_LIMIT
) -> list[Message]:
    """The latest messages (oldest first), or only those after a message id (polling)."""
    if workspace.conversation_id is None:
        return []
    messages = Message.objects.filter(conversation_id=workspace.conversation_id)
    if after is not None:
        messages = messages.filter(pk__gt=after)
    latest = messages.prefetch_related("attachments").order_by("-created_at", "-pk")[:limit]
    return list(reversed(latest))


def unread_count(workspace: Workspace, user: User) -> int:
    if workspace.conversation_id is None:
        return 0
    seat = Participant.objects.filter(conversation_id=workspace.conversation_id, user=user).first()
    if seat is None:
        return 0
    messages = Message.objects.filter(conversation_id=workspace.conversation_id).exclude(
        sender=user
    )
    if seat.last_read_at is not None:
        messages = messages.filter(created_at__gt=seat.last_read_at)
    return messages.count()


def get_file_for(*, user: User, workspace_pk: int, pk: int) -> WorkspaceFile:
    """A file a member may download; the client cannot fetch deliveries still in QC."""
    workspace, role = get_workspace_for(user=user, pk=workspace_pk)
    item = (
        WorkspaceFile.objects.select_related("delivery").filter(workspace=workspace, pk=pk).first()
    )
    if item is None:
        raise Http404("No such file.")
    if role == "client" and item.delivery is not None and not item.delivery.visible_to_client:
        raise Http404("No such file.")
    return item


@dataclass(frozen=True, slots=True)
class NextAction:
    text: StrOrPromise
    milestone: Milestone | None = None
    tone: str = "info"


CLIENT_ACTIONS: dict[str, StrOrPromise] = {
    Milestone.Status.START_REQUESTED: gettext_lazy("The expert is ready: Start “{}” to fund it."),
    Milestone.Status.AWAITING_PAYMENT: gettext_lazy("Finish paying for “{}” to start it."),
    Milestone.Status.DELIVERED: gettext_lazy("Review “{}”: Mark as Completed or Request Revision."),
    Milestone.Status.REVISION_FEE_DUE: gettext_lazy(
        "Pay the revision fee for “{}” (or withdraw the request)."
    ),
}
EXPERT_ACTIONS: dict[str, StrOrPromise] = {
    Milestone.Status.PLANNED: gettext_lazy("Request Start of “{}” when you are ready to begin."),
    Milestone.Status.IN_PROGRESS: gettext_lazy("Work on “{}” and deliver it."),
    Milestone.Status.REVISION_REQUESTED: gettext_lazy("Revise “{}” and deliver it again."),
}
UNFUNDED = {
    Milestone.Status.PLANNED,
    Milestone.Status.START_REQUESTED,
    Milestone.Status.AWAITING_PAYMENT,
}
# What the viewer waits for when nothing is theirs to do: said as it is, per role.
WAITING: dict[str, dict[str, StrOrPromise]] = {
    "expert": {
        Milestone.Status.START_REQUESTED: gettext_lazy(
            "Waiting for the client to fund “{}”: start work once it is funded."
        ),
        Milestone.Status.AWAITING_PAYMENT: gettext_lazy(
            "The client is paying for “{}”: start work once it is funded."
        ),
        Milestone.Status.IN_QC: gettext_lazy(
            "“{}” is in quality control: the client sees it once it is approved."
        ),
        Milestone.Status.DELIVERED: gettext_lazy("Waiting for the client to review “{}”."),
        Milestone.Status.REVISION_FEE_DUE: gettext_lazy(
            "Waiting for the client to pay the revision fee for “{}”."
        ),
    },
    "client": {
        Milestone.Status.PLANNED: gettext_lazy("Waiting for the expert to ask to start “{}”."),
        Milestone.Status.IN_PROGRESS: gettext_lazy("The expert is working on “{}”."),
        Milestone.Status.IN_QC: gettext_lazy(
            "“{}” was delivered and is in quality control: you can review it once it is approved."
        ),
        Milestone.Status.REVISION_REQUESTED: gettext_lazy("The expert is revising “{}”."),
    },
}
QC_ACTIONS: dict[str, StrOrPromise] = {
    Milestone.Status.IN_QC: gettext_lazy("Review the delivery of “{}”: approve or ask for changes.")
}


def next_action(workspace: Workspace, role: str, milestones: list[Milestone]) -> NextAction:
    """The one thing the viewer should do next (the banner)."""
    if workspace.status == Workspace.Status.COMPLETED:
        return NextAction(
            gettext_lazy("This contract is completed. Leave a review."), tone="success"
        )
    if workspace.status == Workspace.Status.TERMINATED:
        return NextAction(gettext_lazy("This contract was ended."), tone="warning")
    actions = {"client": CLIENT_ACTIONS, "expert": EXPERT_ACTIONS}.get(role, QC_ACTIONS)
    for milestone in milestones:
        if milestone.status == Milestone.Status.DISPUTED:
            dispute = next(
                (d for d in milestone.disputes.all() if d.status == Dispute.Status.OPEN), None
            )
            if role == "staff":
                return NextAction(
                    format_lazy(
                        gettext_lazy("Decide the dispute on “{title}”."), title=milestone.title
                    ),
                    milestone,
                    "danger",
                )
            viewer = getattr(_viewer(workspace, role), "pk", 0)
            if dispute and dispute.opened_by_id != viewer and dispute.responded_at is None:
                return NextAction(
                    format_lazy(
                        gettext_lazy("Respond to the dispute on “{title}”."), title=milestone.title
                    ),
                    milestone,
                    "danger",
                )
            return NextAction(
                format_lazy(
                    gettext_lazy("“{title}” is in dispute: staff will decide."),
                    title=milestone.title,
                ),
                milestone,
                "warning",
            )
    waiting: NextAction | None = None
    unfunded_before = False
    for milestone in milestones:
        template = actions.get(milestone.status)
        if template and not (milestone.status == Milestone.Status.PLANNED and unfunded_before):
            return NextAction(template.format(milestone.title), milestone)
        if milestone.status in UNFUNDED:
            # The next milestone is suggested only once this one is funded.
            unfunded_before = True
        wait = WAITING.get(role, {}).get(milestone.status)
        if wait and waiting is None:
            waiting = NextAction(wait.format(milestone.title), milestone)
    if waiting is not None:
        return waiting
    if role == "client":
        return NextAction(gettext_lazy("Nothing to do right now: the expert is working."))
    if role == "expert":
        return NextAction(gettext_lazy("Nothing to do right now: waiting for the client."))
    return NextAction(gettext_lazy("Nothing waits for you here."))


def _viewer(workspace: Workspace, role: str) -> User | None:
    if role == "client":
        return workspace.contract.client
    if role == "expert":
        return workspace.contract.expert
    return None


def milestones_started(contract: Contract) -> bool:
    """True once any milestone left "planned": the plan can no longer change."""
    return (
        Milestone.objects.filter(contract_milestone__contract=contract)
        .exclude(status=Milestone.Status.PLANNED)
        .exists()
    )


def review_eligibility(contract: Contract) -> bool:
    """The parties may review each other once the workspace is completed."""
    return Workspace.objects.filter(
        pk=contract.pk, status=Workspace.Status.COMPLETED, completed_at__isnull=False
    ).exists()


def workspaces_for(user: User) -> QuerySet[Workspace]:
    return (
        Workspace.objects.filter(contract__client=user)
        | Workspace.objects.filter(contract__expert=user)
        | Workspace.objects.filter(qc_reviewer=user)
    ).select_related("contract__project")


def _milestone_link(milestone: Milestone) -> str:
    return f"{milestone.workspace.get_absolute_url()}#milestone-{milestone.pk}"


def describe_milestones(ids: list[int]) -> dict[int, Described]:
    """escrow names held funds "milestone:<id>" by the project and milestone, with a link."""
    found = Milestone.objects.filter(pk__in=ids).select_related(
        "contract_milestone", "workspace__contract__project"
    )
    return {m.pk: Described(m.label, _milestone_link(m)) for m in found}


def describe_revisions(ids: list[int]) -> dict[int, Described]:
    """A paid revision fee ("revision:<id>"): named after its milestone."""
    found = Revision.objects.filter(pk__in=ids).select_related(
        "milestone__contract_milestone", "milestone__workspace__contract__project"
    )
    return {
        r.pk: Described(
            _("Revision fee for %(milestone)s") % {"milestone": r.milestone.label},
            _milestone_link(r.milestone),
        )
        for r in found
    }
