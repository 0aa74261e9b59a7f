"""Ending a contract and disputes: the client terminates (funded, undelivered milestones are
refunded; delivered ones go to dispute); either party opens a dispute with a reason and
evidence; the other side responds by a deadline; staff decide release, refund or a split."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from escrow.exceptions import MoneyActionError
from escrow.services import refund_escrow, release_escrow, split_escrow
from marketplace.formats import date_lazy
from marketplace.history import money_params
from marketplace.money import format_money
from workspaces.exceptions import InvalidInput, InvalidTransition, NotAllowed, WorkspaceError
from workspaces.models import (
    Dispute,
    DisputeFile,
    Milestone,
    Workspace,
    WorkspaceEvent,
    decision_summary_lazy,
)
from workspaces.services.common import (
    REVIEW_NOW,
    check_uploads,
    completed_now,
    lock_milestone,
    lock_workspace,
    move,
    record,
    refresh_status,
    require_open,
    require_role,
    review_link,
    tell,
    tell_staff,
)

Status = Milestone.Status
Event = WorkspaceEvent.Action
DISPUTABLE = Milestone.FUNDED - {Status.DISPUTED}
REFUND_ON_TERMINATION = frozenset({Status.IN_PROGRESS, Status.REVISION_REQUESTED})
DISPUTE_ON_TERMINATION = frozenset({Status.IN_QC, Status.DELIVERED, Status.REVISION_FEE_DUE})
CANCEL_ON_TERMINATION = frozenset({Status.PLANNED, Status.START_REQUESTED, Status.AWAITING_PAYMENT})


def _dispute(
    milestone: Milestone, *, by: User | None, reason: str, contract_ended: bool = False
) -> Dispute:
    """`reason` is what the person typed; `contract_ended` when the client's ending of the
    contract opened it (the sentence saying so is written when shown)."""
    dispute = Dispute.objects.create(
        milestone=milestone,
        opened_by=by,
        reason=reason,
        contract_ended=contract_ended,
        respond_by=timezone.now() + timedelta(days=settings.WORKSPACE_DISPUTE_RESPONSE_DAYS),
    )
    move(
        milestone,
        Status.DISPUTED,
        by=by,
        action=Event.DISPUTE_OPENED,
        params={"contract_ended": True} if contract_ended else {},
        note=reason[:500],
    )
    return dispute


def terminate_contract(*, workspace: Workspace, by: User, reason: str = "") -> Workspace:
    """The client (or staff) ends the contract."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # Milestones first (pk order), then the workspace: the same order every service uses.
        pks = list(
            Milestone.objects.filter(workspace_id=workspace.pk)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        milestones = [lock_milestone(pk) for pk in pks]
        workspace = lock_workspace(workspace.pk)
        require_role(workspace, by, "client", "staff", message=_("Only the client can end it."))
        require_open(workspace)
        if workspace.terminated_at is not None:
            raise InvalidTransition(_("This contract was already ended."))
        for milestone in milestones:
            milestone.workspace = workspace
            if milestone.status in CANCEL_ON_TERMINATION:
                move(milestone, Status.CANCELLED, by=by, action=Event.CANCELLED_CONTRACT_ENDED)
            elif milestone.status in REFUND_ON_TERMINATION:
                try:
                    refund_escrow(reference=milestone.reference, by=None)
                except MoneyActionError as error:
                    raise WorkspaceError(str(error)) from error
                milestone.settled_at = timezone.now()
                milestone.save(update_fields=["settled_at"])
                move(
                    milestone,
                    Status.REFUNDED,
                    by=by,
                    action=Event.REFUNDED_CONTRACT_ENDED,
                    params=money_params(milestone.funded_amount, workspace.contract.currency),
                )
            elif milestone.status in DISPUTE_ON_TERMINATION:
                _dispute(
                    milestone,
                    by=by,
                    reason=reason,
                    contract_ended=True,
                )
        workspace.terminated_at = timezone.now()
        workspace.terminated_by = by
        workspace.save(update_fields=["terminated_at", "terminated_by"])
        record(workspace, by=by, action=Event.CONTRACT_ENDED, note=reason)
        refresh_status(workspace, by=by)
        from reviews.services import invite_to_review  # only after a paid milestone

        invite_to_review(contract=workspace.contract)
        from projects.models import Project
        from projects.services.contracting import mark_terminated

        project = Project.objects.select_for_update().get(pk=workspace.contract.project_id)
        if project.can_move_to(Project.Status.CANCELLED):
            mark_terminated(project=project, by=by, note=reason)
        tell(
            workspace.contract.expert,
            kind="workspaces.terminated",
            title=_("The client ended the contract"),
            body=reason[:300],
            workspace=workspace,
        )
    return workspace


def open_dispute(
    *,
    milestone: Milestone,
    by: User,
    reason: str,
    files: Iterable[UploadedFile | None] = (),
) -> Dispute:
    """Either party disputes a funded milestone; the other side is asked to respond."""
    reason = (reason or "").strip()
    uploads = check_uploads(files)
    if not reason:
        raise InvalidInput(_("Explain what the dispute is about."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        role = require_role(
            workspace, by, "client", "expert", message=_("Only the parties can open a dispute.")
        )
        if milestone.status == Status.DISPUTED:
            raise InvalidTransition(
                _("“{title}” is already in dispute.").format(title=milestone.title)
            )
        if milestone.status not in DISPUTABLE:
            raise InvalidTransition(
                _("“{title}” is {lower}: only a funded milestone can be disputed.").format(
                    title=milestone.title, lower=milestone.get_status_display().lower()
                )
            )
        dispute = _dispute(milestone, by=by, reason=reason)
        for upload in uploads:
            DisputeFile.objects.create(
                dispute=dispute,
                uploaded_by=by,
                file=upload,
                name=(upload.name or "file")[-200:],
                size=upload.size or 0,
            )
        refresh_status(workspace, by=by)
        other = workspace.contract.expert if role == "client" else workspace.contract.client
        deadline = date_lazy(timezone.localtime(dispute.respond_by))
        tell(
            other,
            kind="workspaces.dispute_opened",
            title=format_lazy(
                gettext_lazy("A dispute was opened on “{title}”"), title=milestone.title
            ),
            body=format_lazy(
                gettext_lazy("Respond by {deadline}. {item}"), deadline=deadline, item=reason[:250]
            ),
            workspace=workspace,
        )
        tell_staff(
            kind="workspaces.dispute_opened",
            title=format_lazy(gettext_lazy("Dispute to decide: “{title}”"), title=milestone.title),
            body=reason[:300],
            workspace=workspace,
        )
    return dispute


def respond_to_dispute(*, dispute: Dispute, by: User, response: str) -> Dispute:
    response = (response or "").strip()
    if not response:
        raise InvalidInput(_("Write your response."))
    with transaction.atomic():
        milestone = lock_milestone(dispute.milestone_id)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        require_role(milestone.workspace, by, "client", "expert", message=_("Only the parties."))
        if by.pk == dispute.opened_by_id:
            raise NotAllowed(_("The other side responds to a dispute."))
        if dispute.status != Dispute.Status.OPEN:
            raise InvalidTransition(_("This dispute is already decided."))
        if dispute.responded_at is not None:
            raise InvalidTransition(_("You have already responded."))
        dispute.response = response
        dispute.responded_at = timezone.now()
        dispute.save(update_fields=["response", "responded_at"])
        record(
            milestone.workspace,
            by=by,
            action=Event.DISPUTE_RESPONSE,
            milestone=milestone,
            note=response[:500],
        )
    return dispute


def resolve_dispute(
    *,
    dispute: Dispute,
    by: User,
    outcome: str,
    payee_amount: int | None = None,
    note: str = "",
) -> Dispute:
    """Staff decide: release to the expert, refund the client, or split (cents exact)."""
    if outcome not in Dispute.Outcome.values:
        raise InvalidInput(_("Choose release, refund or split."))
    with transaction.atomic():
        milestone = lock_milestone(dispute.milestone_id)
        dispute = Dispute.objects.select_for_update().get(pk=dispute.pk)
        workspace = milestone.workspace
        if not by.is_staff:
            raise NotAllowed(_("Only staff decide disputes."))
        if dispute.status != Dispute.Status.OPEN or milestone.status != Status.DISPUTED:
            raise InvalidTransition(_("This dispute is already decided."))
        currency = workspace.contract.currency
        try:
            if outcome == Dispute.Outcome.RELEASE:
                held = release_escrow(reference=milestone.reference, by=by, notify=False)
                to = Status.COMPLETED
                decision: dict[str, Any] = {"outcome": "release"}
            elif outcome == Dispute.Outcome.REFUND:
                held = refund_escrow(reference=milestone.reference, by=by, notify=False)
                to = Status.REFUNDED
                decision = {"outcome": "refund"}
            else:
                if (
                    payee_amount is None
                    or isinstance(payee_amount, bool)
                    or not 0 <= payee_amount <= milestone.funded_amount
                ):
                    raise InvalidInput(
                        _("Enter the expert's share: between 0 and {amount}.").format(
                            amount=format_money(milestone.funded_amount, currency)
                        )
                    )
                held = split_escrow(
                    reference=milestone.reference, by=by, payee_amount=payee_amount, notify=False
                )
                to = Status.SPLIT
                decision = {
                    "outcome": "split",
                    "currency": currency,
                    "payee_amount": int(payee_amount),
                    "payee_net": int(held.payee_net),
                    "payer_refund": int(held.payer_refund),
                }
        except MoneyActionError as error:
            raise WorkspaceError(str(error)) from error
        dispute.status = Dispute.Status.RESOLVED
        dispute.outcome = outcome
        dispute.payee_amount = payee_amount if outcome == Dispute.Outcome.SPLIT else None
        dispute.decision_note = (note or "").strip()
        dispute.decided_by = by
        dispute.decided_at = timezone.now()
        dispute.save()
        milestone.settled_at = dispute.decided_at
        milestone.save(update_fields=["settled_at"])
        move(
            milestone,
            to,
            by=by,
            action=Event.DISPUTE_DECIDED,
            params=decision,
            note=dispute.decision_note,
        )
        refresh_status(workspace, by=by)
        done = completed_now(workspace)
        summary = decision_summary_lazy(decision)
        for user in (workspace.contract.client, workspace.contract.expert):
            tell(
                user,
                kind="workspaces.dispute_decided",
                title=format_lazy(_("The dispute on “{}” was decided"), milestone.title),
                body=format_lazy("{}. {}", summary, REVIEW_NOW)
                if done
                else format_lazy("{}.", summary),
                workspace=workspace,
                **({"url": review_link(workspace)} if done else {"milestone": milestone}),
            )
    return dispute
