"""Shared pieces of the workspace services: locks, the transition step, the timeline, who is who,
opening a workspace for a contract and keeping its status in step with its milestones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from accounts.models import User
from bids.models import CLIENT_ALIAS, Contract, ContractMilestone
from messaging.models import Conversation
from messaging.services import open_conversation
from notifications.services import notify
from workspaces.exceptions import InvalidInput, InvalidTransition, NotAllowed
from workspaces.models import Milestone, Workspace, WorkspaceEvent

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str

Status = Milestone.Status
Event = WorkspaceEvent.Action


def role_of(workspace: Workspace, user: User | None) -> str:
    """ "client", "expert", "qc", "staff" or "" (an outsider)."""
    if user is None or not user.is_authenticated:
        return ""
    contract = workspace.contract
    if user.pk == contract.client_id:
        return "client"
    if user.pk == contract.expert_id:
        return "expert"
    if user.pk == workspace.qc_reviewer_id:
        return "qc"
    if user.is_staff:
        return "staff"
    return ""


def lock_milestone(pk: int) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related(
            "contract_milestone",
            "workspace__contract__project",
            "workspace__contract__client",
            "workspace__contract__expert",
        )
        .get(pk=pk)
    )
    return milestone


def lock_workspace(pk: int) -> Workspace:
    return (
        Workspace.objects.select_for_update(of=("self",))
        .select_related("contract__project", "contract__client", "contract__expert")
        .get(pk=pk)
    )


def record(
    workspace: Workspace,
    *,
    by: User | None,
    action: str,
    params: dict[str, Any] | None = None,
    milestone: Milestone | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> WorkspaceEvent:
    """One timeline row: an Action code and its params; `note` only for what a person typed."""
    return WorkspaceEvent.objects.create(
        workspace=workspace,
        milestone=milestone,
        by=by if by is not None and by.pk else None,
        action=action,
        params=params or {},
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def move(
    milestone: Milestone,
    to: str,
    *,
    by: User | None,
    action: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Change a locked milestone's status (checked against TRANSITIONS) and write the event."""
    if not milestone.can_move_to(to):
        raise InvalidTransition(
            _("“{title}” is {lower}; it cannot become {lower2}.").format(
                title=milestone.title,
                lower=milestone.get_status_display().lower(),
                lower2=Status(to).label.lower(),
            )
        )
    from_status = milestone.status
    milestone.status = to
    milestone.save(update_fields=["status"])
    record(
        milestone.workspace,
        by=by,
        action=action,
        params=params,
        milestone=milestone,
        from_status=from_status,
        to_status=to,
        note=note,
    )


def qc_needs_nda(workspace: Workspace, user: User | None, role: str) -> bool:
    """The second expert reviewing an NDA project has not accepted its NDA yet: until then the
    workspace (names, scope, deliveries, chat) stays closed to them."""
    if role != "qc" or user is None or not workspace.contract.project.nda_required:
        return False
    from projects.selectors import has_accepted_nda

    return not has_accepted_nda(workspace.contract.project, user)


def require_role(
    workspace: Workspace, user: User | None, *roles: str, message: StrOrPromise
) -> str:
    role = role_of(workspace, user)
    if role not in roles:
        raise NotAllowed(message)
    if qc_needs_nda(workspace, user, role):
        raise NotAllowed(_("Accept the project's non-disclosure agreement before reviewing it."))
    return role


def require_open(workspace: Workspace) -> None:
    if workspace.status in {Workspace.Status.COMPLETED, Workspace.Status.TERMINATED}:
        raise InvalidTransition(
            _("This workspace is {lower}: nothing more can change.").format(
                lower=workspace.get_status_display().lower()
            )
        )


def tell(
    user: User | None,
    *,
    kind: str,
    title: StrOrPromise,
    workspace: Workspace,
    body: StrOrPromise = "",
    milestone: Milestone | None = None,
    url: str = "",
) -> None:
    """One notification per person per event: "<what happened> · <project>", so two workspaces
    with the same people are told apart, linking to the workspace (at the milestone)."""
    if user is None:
        return
    if not url:
        url = workspace.get_absolute_url()
        if milestone is not None:
            url += f"#milestone-{milestone.pk}"
    notify(
        user=user,
        kind=kind,
        title=format_lazy("{} · {}", title, workspace.contract.project.title),
        body=body,
        url=url,
        target=workspace,
    )


def tell_staff(
    *,
    kind: str,
    title: StrOrPromise,
    workspace: Workspace,
    body: StrOrPromise = "",
    milestone: Milestone | None = None,
) -> None:
    for user in User.objects.filter(is_staff=True, is_active=True).order_by("pk")[:20]:
        tell(user, kind=kind, title=title, workspace=workspace, body=body, milestone=milestone)


def check_uploads(files: Iterable[UploadedFile | None]) -> list[UploadedFile]:
    """Every file within the upload limit, or InvalidInput before anything is saved."""
    uploads = [f for f in files if f]
    limit = settings.WORKSPACE_MAX_UPLOAD
    for upload in uploads:
        if upload.size is None or upload.size > limit:
            raise InvalidInput(
                _("“{name}” is larger than {filesizeformat}; upload a smaller file.").format(
                    name=upload.name, filesizeformat=filesizeformat(limit)
                )
            )
    return uploads


def shown_file_name(workspace: Workspace, by: User, upload: UploadedFile) -> str:
    """The name a file is kept under: in a managed project, without its uploader's identity."""
    name = (upload.name or "file")[-200:]
    contract = workspace.contract
    if contract.is_anonymous and by.pk in {contract.client_id, contract.expert_id}:
        name = by.without_identity(name, alias=contract.name_for(by, viewer=None))[-200:]
    return name


def _aliases(contract: Contract) -> tuple[str, str]:
    if contract.project.managed:
        return CLIENT_ALIAS, contract.bid.alias or "Expert"
    return "", ""


@transaction.atomic
def open_workspace(*, contract: Contract) -> Workspace:
    """The contract's workspace, created with its milestones and chat on first use; milestones
    added to the plan later (before anything started) join it. Calling it again is harmless."""
    workspace, _unused = Workspace.objects.get_or_create(contract=contract)
    workspace.contract = contract
    missing = ContractMilestone.objects.filter(contract=contract, run__isnull=True)
    new = [Milestone(workspace=workspace, contract_milestone=step) for step in missing]
    if new:
        Milestone.objects.bulk_create(new, ignore_conflicts=True)
    if workspace.conversation_id is None:
        client_alias, expert_alias = _aliases(contract)
        conversation = open_conversation(
            key=f"workspace:{contract.pk}",
            kind=Conversation.Kind.WORKSPACE,
            subject=contract.project.title,
            subject_url=workspace.get_absolute_url(),
            people=[(contract.client, client_alias), (contract.expert, expert_alias)],
            guard_contacts=True,
        )
        Workspace.objects.filter(pk=workspace.pk, conversation__isnull=True).update(
            conversation=conversation
        )
        workspace.conversation = conversation
    return workspace


def refresh_status(workspace: Workspace, *, by: User | None) -> Workspace:
    """Derive the workspace status from its milestones (caller holds the workspace's lock or a
    milestone lock inside one transaction); completing it completes the project once."""
    statuses = list(Milestone.objects.filter(workspace=workspace).values_list("status", flat=True))
    if Status.DISPUTED in statuses:
        new = Workspace.Status.DISPUTED
    elif workspace.terminated_at is not None:
        new = Workspace.Status.TERMINATED
    elif (
        statuses
        and all(s in Milestone.FINAL for s in statuses)
        and any(s in {Status.COMPLETED, Status.SPLIT} for s in statuses)
    ):
        new = Workspace.Status.COMPLETED
    else:
        new = Workspace.Status.ACTIVE
    locked = Workspace.objects.select_for_update(of=("self",)).get(pk=workspace.pk)
    if locked.status == new:
        workspace.status = new
        return workspace
    record(
        workspace, by=by, action=Event.WORKSPACE_STATUS, from_status=locked.status, to_status=new
    )
    workspace.status = new
    fields = ["status"]
    if new == Workspace.Status.COMPLETED and locked.completed_at is None:
        workspace.completed_at = timezone.now()
        fields.append("completed_at")
        _complete_contract(workspace, by=by)
    Workspace.objects.filter(pk=workspace.pk).update(**{f: getattr(workspace, f) for f in fields})
    if new == Workspace.Status.COMPLETED:
        from reviews.services import invite_to_review  # opens the blind review period

        invite_to_review(contract=workspace.contract, notify_parties=False)
    return workspace


def _complete_contract(workspace: Workspace, *, by: User | None) -> None:
    from projects.models import Project, ProjectStatusChange
    from projects.services.contracting import mark_completed

    contract = workspace.contract
    project = Project.objects.select_for_update().get(pk=contract.project_id)
    if project.can_move_to(Project.Status.COMPLETED):
        mark_completed(project=project, by=by, code=ProjectStatusChange.Code.MILESTONES_COMPLETED)


def completed_now(workspace: Workspace) -> bool:
    """After refresh_status: this event completed the contract. Its one notification then also
    asks for the review (and links to it) instead of a second notification."""
    return workspace.status == Workspace.Status.COMPLETED


def review_link(workspace: Workspace) -> str:
    from reviews.services import review_url

    return review_url(workspace.contract)


REVIEW_NOW = gettext_lazy("Every milestone is done: leave a review of your collaboration.")
