"""The milestone cycle: Request Start → Start (held funds) → deliver → [QC] → Mark as Completed
or Request Revision (with a fee beyond the agreed number or outside the instructions), and the
auto-approval job. One service per transition, each under the milestone's row lock."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from escrow.exceptions import MoneyActionError
from escrow.services import credit_user, fund_escrow, refund_escrow, release_escrow
from marketplace.formats import date_lazy
from marketplace.history import money_params
from marketplace.money import format_money, format_money_lazy
from workspaces.exceptions import InvalidInput, InvalidTransition, WorkspaceError
from workspaces.models import Delivery, Milestone, Revision, WorkspaceEvent, WorkspaceFile
from workspaces.services.common import (
    REVIEW_NOW,
    check_uploads,
    completed_now,
    lock_milestone,
    move,
    record,
    refresh_status,
    require_open,
    require_role,
    review_link,
    shown_file_name,
    tell,
    tell_staff,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

Status = Milestone.Status
Event = WorkspaceEvent.Action
SOURCES = {"balance", "card"}


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """What Start (or paying a revision fee) did: paid now, or a card checkout to go to."""

    milestone: Milestone
    redirect_url: str = ""

    @property
    def paid(self) -> bool:
        return not self.redirect_url


def _money(milestone: Milestone, amount: int) -> str:
    return format_money(amount, milestone.workspace.contract.currency)


def _amount(milestone: Milestone, amount: int, key: str = "amount") -> dict[str, Any]:
    return money_params(amount, milestone.workspace.contract.currency, key)


def _money_shown(milestone: Milestone, amount: int) -> StrOrPromise:
    """An amount for a notification: formatted when it is rendered, in the recipient's language."""
    return format_money_lazy(amount, milestone.workspace.contract.currency)


def _not_now(milestone: Milestone, what: StrOrPromise) -> InvalidTransition:
    return InvalidTransition(
        _("“{title}” is {lower}: {what}").format(
            title=milestone.title, lower=milestone.get_status_display().lower(), what=what
        )
    )


def request_start(*, milestone: Milestone, by: User) -> Milestone:
    """The expert asks the client to fund and start a planned milestone."""
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        require_role(workspace, by, "expert", message=_("Only the expert can ask to start."))
        require_open(workspace)
        if milestone.status != Status.PLANNED:
            raise _not_now(milestone, _("its start was already requested."))
        move(milestone, Status.START_REQUESTED, by=by, action=Event.START_REQUESTED)
        tell(
            workspace.contract.client,
            kind="workspaces.start_requested",
            title=format_lazy(_("Start “{}”: the expert is ready"), milestone.title),
            body=format_lazy(
                _("Fund {} to start the work."), _money_shown(milestone, milestone.amount)
            ),
            workspace=workspace,
            milestone=milestone,
        )
    return milestone


def start_milestone(
    *, milestone: Milestone, by: User, source: str, return_url: str = "/"
) -> PaymentResult:
    """The client starts a milestone whose start was requested: its amount is held from the
    balance at once, or a card checkout begins (in progress when the payment confirms)."""
    if source not in SOURCES:
        raise InvalidInput(_("Choose to pay from your balance or by card."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        contract = workspace.contract
        require_role(workspace, by, "client", message=_("Only the client can start a milestone."))
        require_open(workspace)
        if milestone.status == Status.PLANNED:
            raise InvalidTransition(
                _("The expert has not asked to start “{title}” yet.").format(title=milestone.title)
            )
        if milestone.status not in {Status.START_REQUESTED, Status.AWAITING_PAYMENT}:
            raise _not_now(milestone, _("it is already started."))
        try:
            result: Any = fund_escrow(
                payer=contract.client,
                payee=contract.expert,
                reference=milestone.reference,
                amount=milestone.amount,
                source=source,
                return_url=return_url,
            )
        except MoneyActionError as error:
            raise WorkspaceError(str(error)) from error
        if source == "balance":
            milestone.refresh_from_db(fields=["status", "funded_amount", "started_at"])
            return PaymentResult(milestone=milestone)
        if milestone.status == Status.START_REQUESTED:
            move(
                milestone,
                Status.AWAITING_PAYMENT,
                by=by,
                action=Event.CARD_PAYMENT_STARTED,
                params=_amount(milestone, milestone.amount),
            )
    return PaymentResult(milestone=milestone, redirect_url=result.redirect_url)


def on_milestone_funded(held: Any) -> None:
    """escrow calls this inside the transaction that holds a milestone's money (balance now, or
    when a card payment confirms): the milestone moves to in progress, once."""
    try:
        milestone = lock_milestone(int(held.reference.split(":", 1)[1]))
    except (ValueError, Milestone.DoesNotExist):
        return  # not one of ours (held funds for a reference nobody runs here)
    workspace = milestone.workspace
    if milestone.status == Status.CANCELLED:
        # Paid by card after the contract ended: the money goes straight back.
        refund_escrow(reference=held.reference, by=None)
        record(
            workspace,
            by=None,
            action=Event.LATE_PAYMENT_REFUNDED,
            params=_amount(milestone, held.amount),
            milestone=milestone,
        )
        return
    if milestone.status not in {Status.START_REQUESTED, Status.AWAITING_PAYMENT}:
        return
    from reviews.reputation import refresh_reputation_on_commit  # "payment verified"

    refresh_reputation_on_commit(held.payer_id)
    milestone.funded_amount = held.amount
    milestone.started_at = timezone.now()
    milestone.save(update_fields=["funded_amount", "started_at"])
    move(
        milestone,
        Status.IN_PROGRESS,
        by=held.payer,
        action=Event.STARTED,
        params={
            **_amount(milestone, held.amount),
            "source": "card" if held.source == "card" else "balance",
        },
    )
    tell(
        workspace.contract.expert,
        kind="workspaces.milestone_started",
        title=format_lazy(_("“{}” is funded: start work"), milestone.title),
        body=format_lazy(
            _("{} is held for this milestone and is paid to you when the client approves it."),
            _money_shown(milestone, held.amount),
        ),
        workspace=workspace,
        milestone=milestone,
    )


def _mark_delivered(
    milestone: Milestone, *, by: User | None, action: str, params: dict[str, Any]
) -> None:
    now = timezone.now()
    milestone.delivered_at = now
    milestone.auto_approve_at = now + timedelta(days=settings.AUTO_APPROVE_DAYS)
    milestone.reminded_3_at = None
    milestone.reminded_1_at = None
    milestone.save(
        update_fields=["delivered_at", "auto_approve_at", "reminded_3_at", "reminded_1_at"]
    )
    move(milestone, Status.DELIVERED, by=by, action=action, params=params)
    tell(
        milestone.workspace.contract.client,
        kind="workspaces.delivered",
        title=format_lazy(_("“{}” was delivered"), milestone.title),
        body=format_lazy(
            _(
                "Review it, then Mark as Completed or Request Revision. If you do not act, "
                "it is approved automatically on {} and the payment is released."
            ),
            date_lazy(timezone.localtime(milestone.auto_approve_at)),
        ),
        workspace=milestone.workspace,
        milestone=milestone,
    )


def deliver_milestone(
    *, milestone: Milestone, by: User, note: str, files: Iterable[UploadedFile | None] = ()
) -> Delivery:
    """The expert delivers files and/or a note; QC projects send it to QC first."""
    note = (note or "").strip()
    uploads = check_uploads(files)
    if not note and not uploads:
        raise InvalidInput(_("Add a file or a note to deliver."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        require_role(workspace, by, "expert", message=_("Only the expert can deliver."))
        require_open(workspace)
        if milestone.status in {Status.PLANNED, Status.START_REQUESTED, Status.AWAITING_PAYMENT}:
            raise InvalidTransition(
                _("“{title}” is not funded yet: deliver once the client has started it.").format(
                    title=milestone.title
                )
            )
        if milestone.status not in {Status.IN_PROGRESS, Status.REVISION_REQUESTED}:
            raise _not_now(milestone, _("there is nothing to deliver now."))
        project = workspace.contract.project
        # Invited kinds and hub (managed) projects: staff verify before the client sees it.
        qc = project.additional_qc or project.managed or project.is_invited_kind
        version = milestone.deliveries.count() + 1
        delivery = Delivery.objects.create(
            milestone=milestone,
            version=version,
            note=note,
            by=by,
            qc_status=Delivery.QC.PENDING if qc else Delivery.QC.NOT_REQUIRED,
        )
        for upload in uploads:
            WorkspaceFile.objects.create(
                workspace=workspace,
                delivery=delivery,
                uploaded_by=by,
                file=upload,
                name=shown_file_name(workspace, by, upload),
                size=upload.size or 0,
                version=version,
            )
        summary = {"version": version, "files": len(uploads)}
        if qc:
            move(milestone, Status.IN_QC, by=by, action=Event.DELIVERED_TO_QC, params=summary)
            title = format_lazy(_("Quality control: “{}” was delivered"), milestone.title)
            body = format_lazy(
                _(
                    "Version {} waits for your review: approve it for the client or ask the "
                    "expert for changes. The client does not see it until then."
                ),
                version,
            )
            if workspace.qc_reviewer is not None:
                tell(
                    workspace.qc_reviewer,
                    kind="workspaces.qc_requested",
                    title=title,
                    body=body,
                    workspace=workspace,
                    milestone=milestone,
                )
            else:
                tell_staff(
                    kind="workspaces.qc_requested",
                    title=title,
                    body=body,
                    workspace=workspace,
                    milestone=milestone,
                )
        else:
            _mark_delivered(milestone, by=by, action=Event.DELIVERED, params=summary)
    return delivery


def _pay_qc_fee(delivery: Delivery, by: User, workspace: Any) -> None:
    fee = settings.WORKSPACE_QC_FEE
    if fee > 0 and by.pk == workspace.qc_reviewer_id:
        credit_user(
            user=by,
            amount=fee,
            kind="credit",
            key=f"qc-fee:{delivery.pk}",
            memo=f"Quality control of “{delivery.milestone.title}” (v{delivery.version})",
        )


def _second_expert_reviewed(
    milestone: Milestone, delivery: Delivery, *, by: User, note: str
) -> Delivery:
    """Hub (managed) projects: the second expert's approval goes to the hub manager (staff),
    who verifies the delivery and forwards it; the client does not see it yet."""
    workspace = milestone.workspace
    delivery.qc_by = by
    delivery.qc_note = note.strip()
    delivery.qc_at = timezone.now()
    delivery.save(update_fields=["qc_by", "qc_note", "qc_at"])
    _pay_qc_fee(delivery, by, workspace)
    record(
        workspace,
        by=by,
        action=Event.REVIEWED_BY_SECOND_EXPERT,
        params={"version": delivery.version},
        milestone=milestone,
    )
    tell_staff(
        kind="workspaces.qc_requested",
        title=format_lazy(_("Second expert approved “{}”: verify and forward it"), milestone.title),
        body=format_lazy(
            _("Version {}: approve it for the client or ask the expert for changes."),
            delivery.version,
        ),
        workspace=workspace,
        milestone=milestone,
    )
    return delivery


def approve_delivery(*, milestone: Milestone, by: User, note: str = "") -> Delivery:
    """QC (the invited second expert or staff) approves: the client now sees the delivery."""
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        role = require_role(
            workspace, by, "qc", "staff", message=_("Only QC reviewers can approve.")
        )
        if milestone.status != Status.IN_QC:
            raise _not_now(milestone, _("there is no delivery waiting for QC."))
        delivery = milestone.deliveries.order_by("-version").first()
        if delivery is None:
            raise InvalidTransition(_("There is no delivery to review."))
        if role == "qc" and workspace.contract.project.managed:
            return _second_expert_reviewed(milestone, delivery, by=by, note=note)
        delivery.qc_status = Delivery.QC.APPROVED
        delivery.qc_by = by
        delivery.qc_note = note.strip()
        delivery.qc_at = timezone.now()
        delivery.save(update_fields=["qc_status", "qc_by", "qc_note", "qc_at"])
        _pay_qc_fee(delivery, by, workspace)
        _mark_delivered(
            milestone, by=by, action=Event.APPROVED_BY_QC, params={"version": delivery.version}
        )
        if workspace.contract.project.is_invited_kind:
            from projects.services.fulfilment import credit_reward

            credit_reward(contract=workspace.contract, approved_at=delivery.qc_at)
    return delivery


def request_qc_changes(*, milestone: Milestone, by: User, comments: str) -> Revision:
    """QC sends the delivery back to the expert with comments; the client does not see it."""
    comments = (comments or "").strip()
    if not comments:
        raise InvalidInput(_("Write what needs to change."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        require_role(workspace, by, "qc", "staff", message=_("Only QC reviewers can ask for this."))
        if milestone.status != Status.IN_QC:
            raise _not_now(milestone, _("there is no delivery waiting for QC."))
        delivery = milestone.deliveries.order_by("-version").first()
        if delivery is not None:
            delivery.qc_status = Delivery.QC.CHANGES
            delivery.qc_by = by
            delivery.qc_note = comments
            delivery.qc_at = timezone.now()
            delivery.save(update_fields=["qc_status", "qc_by", "qc_note", "qc_at"])
            _pay_qc_fee(delivery, by, workspace)
        revision = Revision.objects.create(
            milestone=milestone, requested_by=by, comments=comments, from_qc=True
        )
        move(milestone, Status.REVISION_REQUESTED, by=by, action=Event.QC_CHANGES_REQUESTED)
        tell(
            workspace.contract.expert,
            kind="workspaces.revision_requested",
            title=format_lazy(_("Quality control asked for changes to “{}”"), milestone.title),
            body=comments[:300],
            workspace=workspace,
            milestone=milestone,
        )
    return revision


def complete_milestone(*, milestone: Milestone, by: User | None) -> Milestone:
    """Mark as Completed: the held funds go to the expert minus the platform fee. `by` None is
    the auto-approval job."""
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        if by is not None:
            require_role(workspace, by, "client", message=_("Only the client can approve work."))
        if milestone.status == Status.COMPLETED:
            raise InvalidTransition(
                _("“{title}” is already completed.").format(title=milestone.title)
            )
        if milestone.status != Status.DELIVERED:
            raise _not_now(milestone, _("only delivered work can be marked as completed."))
        if workspace.contract.project.is_invited_kind:
            # Nothing is held: the platform pays the expert's reward (credited at QC approval).
            params: dict[str, Any] = {"reward": True}
            told = _("The client approved your work. Your reward follows its due date.")
            headline = format_lazy(_("“{}” is completed"), milestone.title)
            paid: StrOrPromise = ""
        else:
            try:
                held = release_escrow(
                    reference=milestone.reference, by=by, fee_kind="default", notify=False
                )
            except MoneyActionError as error:
                raise WorkspaceError(str(error)) from error
            params = {**_amount(milestone, held.payee_net, "net"), "fee": int(held.fee)}
            paid = _money_shown(milestone, held.payee_net)
            told = format_lazy(
                _("{} is in your balance (after a {} platform fee)."),
                paid,
                _money_shown(milestone, held.fee),
            )
            headline = format_lazy(_("“{}” is completed: payment released"), milestone.title)
        milestone.settled_at = timezone.now()
        milestone.auto_approve_at = None
        milestone.save(update_fields=["settled_at", "auto_approve_at"])
        move(
            milestone,
            Status.COMPLETED,
            by=by,
            action=Event.MARKED_COMPLETED if by is not None else Event.APPROVED_AUTOMATICALLY,
            params=params,
        )
        refresh_status(workspace, by=by)
        _tell_completed(milestone, by=by, headline=headline, told=told, paid=paid)
    return milestone


def _tell_completed(
    milestone: Milestone, *, by: User | None, headline: Any, told: Any, paid: StrOrPromise
) -> None:
    """One notification each: the expert is paid; the client hears of an automatic approval (it
    was not their click) or, when this completed the contract, is asked for the review."""
    workspace = milestone.workspace
    done = completed_now(workspace)
    review = {"url": review_link(workspace)} if done else {"milestone": milestone}
    tell(
        workspace.contract.expert,
        kind="workspaces.completed",
        title=headline,
        body=format_lazy("{} {}", told, REVIEW_NOW) if done else told,
        workspace=workspace,
        **review,
    )
    if by is None:
        released = (
            format_lazy(_("{} was released to the expert."), paid)
            if paid
            else _("The expert's reward follows its due date.")
        )
        body: Any = format_lazy(
            _("You did not mark it as completed or request a revision in time. {}"), released
        )
        title: Any = format_lazy(_("“{}” was approved automatically"), milestone.title)
    elif done:
        title, body = _("The contract is completed"), REVIEW_NOW
    else:
        return  # the client's own click: the page already told them
    tell(
        workspace.contract.client,
        kind="workspaces.completed",
        title=title,
        body=format_lazy("{} {}", body, REVIEW_NOW) if by is None and done else body,
        workspace=workspace,
        **review,
    )


def request_revision(
    *, milestone: Milestone, by: User, comments: str, out_of_scope: bool = False
) -> Revision:
    """The client asks for changes (comments required). Beyond the agreed number of revisions,
    or outside the original instructions, the revision carries a fee paid before work goes on."""
    comments = (comments or "").strip()
    if not comments:
        raise InvalidInput(_("Write what needs to change: a revision needs comments."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        require_role(workspace, by, "client", message=_("Only the client can ask for a revision."))
        if milestone.status != Status.DELIVERED:
            raise _not_now(milestone, _("only delivered work can be revised."))
        fee = settings.WORKSPACE_REVISION_FEE
        chargeable = fee > 0 and (
            out_of_scope or milestone.revisions_used >= settings.WORKSPACE_FREE_REVISIONS
        )
        revision = Revision.objects.create(
            milestone=milestone,
            requested_by=by,
            comments=comments,
            out_of_scope=out_of_scope,
            fee=fee if chargeable else 0,
            fee_status=Revision.Fee.DUE if chargeable else Revision.Fee.NONE,
        )
        milestone.revisions_used += 1
        milestone.auto_approve_at = None
        milestone.save(update_fields=["revisions_used", "auto_approve_at"])
        if chargeable:
            move(
                milestone,
                Status.REVISION_FEE_DUE,
                by=by,
                action=Event.REVISION_FEE_DUE,
                params=_amount(milestone, fee, "fee"),
            )
        else:
            move(milestone, Status.REVISION_REQUESTED, by=by, action=Event.REVISION_REQUESTED)
        tell(
            workspace.contract.expert,
            kind="workspaces.revision_requested",
            title=format_lazy(_("A revision of “{}” was requested"), milestone.title),
            body=comments[:300]
            if not chargeable
            else format_lazy(
                _("{} Work on it once the client has paid the revision fee; we will tell you."),
                comments[:300],
            ),
            workspace=workspace,
            milestone=milestone,
        )
    return revision


def _due_revision(milestone: Milestone) -> Revision:
    revision = (
        milestone.revisions.select_for_update()
        .filter(fee_status=Revision.Fee.DUE)
        .order_by("-pk")
        .first()
    )
    if revision is None:
        raise InvalidTransition(_("There is no revision fee to pay."))
    return revision


def pay_revision_fee(
    *, milestone: Milestone, by: User, source: str, return_url: str = "/"
) -> PaymentResult:
    """The client pays the revision fee (balance now, or card); the fee goes to the expert."""
    if source not in SOURCES:
        raise InvalidInput(_("Choose to pay from your balance or by card."))
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        workspace = milestone.workspace
        contract = workspace.contract
        require_role(workspace, by, "client", message=_("Only the client pays revision fees."))
        if milestone.status != Status.REVISION_FEE_DUE:
            raise _not_now(milestone, _("no revision fee is due."))
        revision = _due_revision(milestone)
        try:
            result: Any = fund_escrow(
                payer=contract.client,
                payee=contract.expert,
                reference=revision.reference,
                amount=revision.fee,
                source=source,
                return_url=return_url,
            )
        except MoneyActionError as error:
            raise WorkspaceError(str(error)) from error
        if source == "balance":
            milestone.refresh_from_db(fields=["status"])
            return PaymentResult(milestone=milestone)
    return PaymentResult(milestone=milestone, redirect_url=result.redirect_url)


def on_revision_fee_funded(held: Any) -> None:
    """escrow calls this when a revision fee is held: it goes to the expert at once and the
    revision starts; a fee paid after the request was withdrawn goes back."""
    try:
        pk = int(held.reference.split(":", 1)[1])
        milestone_id = Revision.objects.values_list("milestone_id", flat=True).get(pk=pk)
    except (ValueError, Revision.DoesNotExist):
        return  # not one of ours
    milestone = lock_milestone(milestone_id)  # milestone first, like every other service
    revision = Revision.objects.select_for_update().get(pk=pk)
    if revision.fee_status != Revision.Fee.DUE or milestone.status != Status.REVISION_FEE_DUE:
        refund_escrow(reference=held.reference, by=None)
        return
    released = release_escrow(reference=held.reference, by=None, fee_kind="default", notify=False)
    revision.fee_status = Revision.Fee.PAID
    revision.paid_at = timezone.now()
    revision.save(update_fields=["fee_status", "paid_at"])
    move(
        milestone,
        Status.REVISION_REQUESTED,
        by=held.payer,
        action=Event.REVISION_FEE_PAID,
        params=_amount(milestone, held.amount),
    )
    tell(
        milestone.workspace.contract.expert,
        kind="workspaces.revision_requested",
        title=format_lazy(
            _("The revision fee for “{}” is paid: start the revision"), milestone.title
        ),
        body=format_lazy(
            _("The revision fee is in your balance: {} after the platform fee."),
            _money_shown(milestone, released.payee_net),
        ),
        workspace=milestone.workspace,
        milestone=milestone,
    )


def withdraw_revision(*, milestone: Milestone, by: User) -> Milestone:
    """The client decides not to pay a revision fee: the delivery stands, the clock restarts."""
    with transaction.atomic():
        milestone = lock_milestone(milestone.pk)
        require_role(milestone.workspace, by, "client", message=_("Only the client can do this."))
        if milestone.status != Status.REVISION_FEE_DUE:
            raise _not_now(milestone, _("no revision fee is due."))
        revision = _due_revision(milestone)
        revision.fee_status = Revision.Fee.WAIVED
        revision.save(update_fields=["fee_status"])
        milestone.auto_approve_at = timezone.now() + timedelta(days=settings.AUTO_APPROVE_DAYS)
        milestone.save(update_fields=["auto_approve_at"])
        move(milestone, Status.DELIVERED, by=by, action=Event.REVISION_WITHDRAWN)
    return milestone


def _remind(*, days: int, field: str, now: datetime) -> int:
    due = Milestone.objects.filter(
        status=Status.DELIVERED,
        auto_approve_at__lte=now + timedelta(days=days),
        auto_approve_at__gt=now,
        **{f"{field}__isnull": True},
    ).select_related("contract_milestone", "workspace__contract__client")
    sent = 0
    for milestone in due:
        with transaction.atomic():
            claimed = Milestone.objects.filter(
                pk=milestone.pk, status=Status.DELIVERED, **{f"{field}__isnull": True}
            ).update(**{field: now})
            if not claimed:
                continue
            tell(
                milestone.workspace.contract.client,
                kind="workspaces.auto_approval_reminder",
                title=format_lazy(
                    _("“{}” will be approved automatically on {}"),
                    milestone.title,
                    date_lazy(timezone.localtime(milestone.auto_approve_at)),
                ),
                body=_(
                    "Mark it as completed or request a revision before then; otherwise the "
                    "payment is released to the expert."
                ),
                workspace=milestone.workspace,
                milestone=milestone,
            )
            sent += 1
    return sent


def auto_approve_due(*, now: datetime | None = None) -> dict[str, int]:
    """The beat job: reminders N-3 and N-1 days before, then release what is due. Safe to run
    twice (reminders are claimed with a conditional UPDATE; completing twice is refused)."""
    now = now or timezone.now()
    counts = {"reminded_1": _remind(days=1, field="reminded_1_at", now=now)}
    # Within a day the 3-day reminder is no longer news: mark it sent without sending.
    Milestone.objects.filter(
        status=Status.DELIVERED, reminded_1_at__isnull=False, reminded_3_at__isnull=True
    ).update(reminded_3_at=now)
    counts["reminded_3"] = _remind(days=3, field="reminded_3_at", now=now)
    approved = 0
    for pk in list(
        Milestone.objects.filter(status=Status.DELIVERED, auto_approve_at__lte=now).values_list(
            "pk", flat=True
        )[:500]
    ):
        try:
            complete_milestone(milestone=Milestone(pk=pk), by=None)
        except WorkspaceError:
            continue
        approved += 1
    counts["approved"] = approved
    return counts
