"""Workspaces: where a contract's milestones are started, funded, delivered and paid out.

What other apps read (the reviews app in particular):

- ``Workspace`` is 1:1 with ``bids.Contract`` and shares its primary key
  (``Workspace.pk == Contract.pk``). ``Workspace.status`` is one of ``active``, ``completed``
  (every milestone is settled and at least one paid out), ``terminated`` (the client ended the
  contract) or ``disputed`` (a dispute is open). ``Workspace.completed_at`` is set once, when it
  completes.
- ``Milestone`` is 1:1 with ``bids.ContractMilestone`` (title, description and amount live there).
  Its ``status`` follows ``Milestone.TRANSITIONS``; ``completed`` means the held funds were
  released to the expert; ``refunded``, ``split`` and ``cancelled`` are the other final states.
- ``workspaces.selectors.review_eligibility(contract)`` says whether the parties may review.
- Every transition writes a ``WorkspaceEvent`` (who, what, from, to, when): the timeline.

Held funds live in ``escrow``; a milestone's reference there is ``"milestone:<pk>"`` and a paid
revision's is ``"revision:<pk>"``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

from accounts.models import private_storage
from marketplace.history import shown_money

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class Workspace(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        COMPLETED = "completed", gettext_lazy("Completed")
        TERMINATED = "terminated", gettext_lazy("Terminated")
        DISPUTED = "disputed", gettext_lazy("In dispute")

    contract = models.OneToOneField(
        "bids.Contract",
        on_delete=models.PROTECT,
        primary_key=True,
        related_name="workspace",
        verbose_name=gettext_lazy("contract"),
    )
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        default=Status.ACTIVE,
        verbose_name=gettext_lazy("status"),
    )
    qc_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qc_workspaces",
        help_text=gettext_lazy(
            "The second expert who reviews deliveries (projects with Additional QC)."
        ),
        verbose_name=gettext_lazy("QC reviewer"),
    )
    conversation = models.OneToOneField(
        "messaging.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workspace",
        verbose_name=gettext_lazy("conversation"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    completed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("completed at")
    )
    terminated_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("terminated at")
    )
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("terminated by"),
    )

    class Meta:
        verbose_name = gettext_lazy("workspace")
        verbose_name_plural = gettext_lazy("workspaces")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        # Staff read this in the admin: the work, never bare ids.
        return gettext("Workspace of “%(project)s”") % {"project": self.contract.project.title}

    def get_absolute_url(self) -> str:
        return reverse("workspaces:detail", args=[self.pk])


class Milestone(models.Model):
    """The running state of one contract milestone."""

    class Status(models.TextChoices):
        PLANNED = "planned", gettext_lazy("Planned")
        START_REQUESTED = "start_requested", gettext_lazy("Start requested")
        AWAITING_PAYMENT = "awaiting_payment", gettext_lazy("Awaiting card payment")
        IN_PROGRESS = "in_progress", gettext_lazy("In progress")
        IN_QC = "in_qc", gettext_lazy("In quality control")
        DELIVERED = "delivered", gettext_lazy("Delivered")
        REVISION_FEE_DUE = "revision_fee_due", gettext_lazy("Revision fee due")
        REVISION_REQUESTED = "revision_requested", gettext_lazy("Revision requested")
        DISPUTED = "disputed", gettext_lazy("In dispute")
        COMPLETED = "completed", gettext_lazy("Completed")
        REFUNDED = "refunded", gettext_lazy("Refunded")
        SPLIT = "split", gettext_lazy("Settled by split")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.PLANNED: frozenset({Status.START_REQUESTED, Status.CANCELLED}),
        Status.START_REQUESTED: frozenset(
            {Status.AWAITING_PAYMENT, Status.IN_PROGRESS, Status.CANCELLED}
        ),
        Status.AWAITING_PAYMENT: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
        Status.IN_PROGRESS: frozenset(
            {Status.IN_QC, Status.DELIVERED, Status.DISPUTED, Status.REFUNDED}
        ),
        Status.IN_QC: frozenset({Status.DELIVERED, Status.REVISION_REQUESTED, Status.DISPUTED}),
        Status.DELIVERED: frozenset(
            {
                Status.COMPLETED,
                Status.REVISION_REQUESTED,
                Status.REVISION_FEE_DUE,
                Status.DISPUTED,
            }
        ),
        Status.REVISION_FEE_DUE: frozenset(
            {Status.REVISION_REQUESTED, Status.DELIVERED, Status.DISPUTED}
        ),
        Status.REVISION_REQUESTED: frozenset(
            {Status.IN_QC, Status.DELIVERED, Status.DISPUTED, Status.REFUNDED}
        ),
        Status.DISPUTED: frozenset({Status.COMPLETED, Status.REFUNDED, Status.SPLIT}),
        Status.COMPLETED: frozenset(),
        Status.REFUNDED: frozenset(),
        Status.SPLIT: frozenset(),
        Status.CANCELLED: frozenset(),
    }
    FINAL: ClassVar[frozenset[str]] = frozenset(
        {Status.COMPLETED, Status.REFUNDED, Status.SPLIT, Status.CANCELLED}
    )
    FUNDED: ClassVar[frozenset[str]] = frozenset(
        {
            Status.IN_PROGRESS,
            Status.IN_QC,
            Status.DELIVERED,
            Status.REVISION_FEE_DUE,
            Status.REVISION_REQUESTED,
            Status.DISPUTED,
        }
    )

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=gettext_lazy("workspace"),
    )
    contract_milestone = models.OneToOneField(
        "bids.ContractMilestone",
        on_delete=models.CASCADE,
        related_name="run",
        verbose_name=gettext_lazy("contract milestone"),
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PLANNED,
        verbose_name=gettext_lazy("status"),
    )
    funded_amount = models.BigIntegerField(
        default=0,
        help_text=gettext_lazy("Held for it, in minor units."),
        verbose_name=gettext_lazy("funded amount"),
    )
    revisions_used = models.PositiveSmallIntegerField(
        default=0, verbose_name=gettext_lazy("revisions used")
    )
    started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("started at")
    )
    delivered_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("delivered at")
    )
    auto_approve_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("approved automatically at")
    )
    reminded_3_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("reminded 3 days before")
    )
    reminded_1_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("reminded 1 day before")
    )
    settled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("settled at")
    )

    class Meta:
        verbose_name = gettext_lazy("milestone")
        verbose_name_plural = gettext_lazy("milestones")
        ordering = ("contract_milestone__position", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(funded_amount__gte=0), name="workspace_milestone_funded_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How people name a milestone outside its workspace: “Project” · milestone title."""
        return gettext("“%(project)s” · %(milestone)s") % {
            "project": self.workspace.contract.project.title,
            "milestone": self.title,
        }

    @property
    def title(self) -> StrOrPromise:
        """In the active language when it is the platform's default title (lazy, so a
        notification renders it in its recipient's language); else as typed."""
        return self.contract_milestone.shown_title

    @property
    def description(self) -> StrOrPromise:
        return self.contract_milestone.shown_description

    @property
    def amount(self) -> int:
        return self.contract_milestone.amount

    @property
    def reference(self) -> str:
        return f"milestone:{self.pk}"

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


def workspace_file_path(instance: WorkspaceFile | DisputeFile, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"private/workspaces/{uuid.uuid4().hex}{suffix}"


class Delivery(models.Model):
    """One delivery of a milestone (versioned: 1, 2, … after revisions)."""

    class QC(models.TextChoices):
        NOT_REQUIRED = "not_required", gettext_lazy("No QC")
        PENDING = "pending", gettext_lazy("Waiting for QC")
        APPROVED = "approved", gettext_lazy("Approved by QC")
        CHANGES = "changes", gettext_lazy("QC asked for changes")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=gettext_lazy("milestone"),
    )
    version = models.PositiveSmallIntegerField(verbose_name=gettext_lazy("version"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    qc_status = models.CharField(
        max_length=12,
        choices=QC.choices,
        default=QC.NOT_REQUIRED,
        verbose_name=gettext_lazy("QC status"),
    )
    qc_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("QC by"),
    )
    qc_note = models.TextField(blank=True, verbose_name=gettext_lazy("QC note"))
    qc_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("QC at"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("delivery")
        ordering = ("milestone", "version")
        verbose_name_plural = gettext_lazy("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "version"], name="delivery_version_once"),
        ]

    def __str__(self) -> str:
        return gettext("Version %(version)s of %(milestone)s") % {
            "version": self.version,
            "milestone": self.milestone.label,
        }

    @property
    def visible_to_client(self) -> bool:
        return self.qc_status in {self.QC.NOT_REQUIRED, self.QC.APPROVED}


class WorkspaceFile(models.Model):
    """A shared file, or a file of a delivery; same-named uploads count up a version."""

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=gettext_lazy("workspace"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="files",
        verbose_name=gettext_lazy("delivery"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    file = models.FileField(
        upload_to=workspace_file_path,
        storage=private_storage,
        max_length=200,
        verbose_name=gettext_lazy("file"),
    )
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))
    version = models.PositiveSmallIntegerField(default=1, verbose_name=gettext_lazy("version"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("workspace file")
        verbose_name_plural = gettext_lazy("workspace files")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workspaces:file", args=[self.workspace_id, self.pk])


class Revision(models.Model):
    """A client's request for changes to a delivered milestone; may carry a fee."""

    class Fee(models.TextChoices):
        NONE = "none", gettext_lazy("Included")
        DUE = "due", gettext_lazy("Fee due")
        PAID = "paid", gettext_lazy("Fee paid")
        WAIVED = "waived", gettext_lazy("Fee withdrawn")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="revisions",
        verbose_name=gettext_lazy("milestone"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("requested by"),
    )
    comments = models.TextField(verbose_name=gettext_lazy("comments"))
    out_of_scope = models.BooleanField(default=False, verbose_name=gettext_lazy("out of scope"))
    fee = models.BigIntegerField(default=0, verbose_name=gettext_lazy("fee"))
    fee_status = models.CharField(
        max_length=8, choices=Fee.choices, default=Fee.NONE, verbose_name=gettext_lazy("fee status")
    )
    from_qc = models.BooleanField(default=False, verbose_name=gettext_lazy("from quality control"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("paid at"))

    class Meta:
        verbose_name = gettext_lazy("revision request")
        verbose_name_plural = gettext_lazy("revision requests")
        ordering = ("created_at", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="revision_fee_nonneg"),
        ]

    def __str__(self) -> str:
        return gettext("Revision of %(milestone)s") % {"milestone": self.milestone.label}

    @property
    def reference(self) -> str:
        return f"revision:{self.pk}"


class Dispute(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        RESOLVED = "resolved", gettext_lazy("Decided")

    class Outcome(models.TextChoices):
        RELEASE = "release", gettext_lazy("Released to the expert")
        REFUND = "refund", gettext_lazy("Refunded to the client")
        SPLIT = "split", gettext_lazy("Split")

    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        related_name="disputes",
        verbose_name=gettext_lazy("milestone"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("opened by"),
    )
    # What the person who opened it typed (blank when the client ended the contract silently).
    reason = models.TextField(blank=True, verbose_name=gettext_lazy("reason"))
    # Opened because the client ended the contract after delivery: the page says so in the
    # reader's language before the reason.
    contract_ended = models.BooleanField(
        default=False, verbose_name=gettext_lazy("opened because the contract ended")
    )
    respond_by = models.DateTimeField(verbose_name=gettext_lazy("respond by"))
    response = models.TextField(blank=True, verbose_name=gettext_lazy("response"))
    responded_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("responded at")
    )
    status = models.CharField(
        max_length=9,
        choices=Status.choices,
        default=Status.OPEN,
        verbose_name=gettext_lazy("status"),
    )
    outcome = models.CharField(
        max_length=8, choices=Outcome.choices, blank=True, verbose_name=gettext_lazy("outcome")
    )
    payee_amount = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("payee amount")
    )
    decision_note = models.TextField(blank=True, verbose_name=gettext_lazy("decision note"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("dispute")
        verbose_name_plural = gettext_lazy("disputes")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["milestone"], condition=Q(status="open"), name="dispute_one_open"
            ),
            models.CheckConstraint(
                condition=Q(payee_amount__isnull=True) | Q(payee_amount__gte=0),
                name="dispute_payee_amount_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Dispute on %(milestone)s") % {"milestone": self.milestone.label}


class DisputeFile(models.Model):
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=gettext_lazy("dispute"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    file = models.FileField(
        upload_to=workspace_file_path,
        storage=private_storage,
        max_length=200,
        verbose_name=gettext_lazy("file"),
    )
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("dispute evidence file")
        verbose_name_plural = gettext_lazy("dispute evidence files")
        ordering = ("pk",)

    def __str__(self) -> str:
        return self.name


class WorkspaceEvent(models.Model):
    """The timeline: who did what, from which status to which, when.

    `action` says what happened and `params` holds its variable parts (amounts in minor units
    with their currency, a version, a file name); the sentence is written when the row is shown,
    in the reader's language (`text`, `detail`). `note` is only ever what a person typed (a
    dispute reason, a response, why the contract ended, a QC or decision note)."""

    class Action(models.TextChoices):
        WORKSPACE_STATUS = "workspace_status", pgettext_lazy("history", "Workspace status")
        START_REQUESTED = "start_requested", pgettext_lazy("history", "Start requested")
        CARD_PAYMENT_STARTED = (
            "card_payment_started",
            pgettext_lazy("history", "Card payment started"),
        )
        LATE_PAYMENT_REFUNDED = (
            "late_payment_refunded",
            pgettext_lazy("history", "Late payment refunded"),
        )
        STARTED = "started", pgettext_lazy("history", "Started")
        DELIVERED_TO_QC = "delivered_to_qc", pgettext_lazy("history", "Delivered to QC")
        DELIVERED = "delivered", pgettext_lazy("history", "Delivered")
        REVIEWED_BY_SECOND_EXPERT = (
            "reviewed_by_second_expert",
            pgettext_lazy("history", "Reviewed by the second expert"),
        )
        APPROVED_BY_QC = "approved_by_qc", pgettext_lazy("history", "Approved by QC")
        QC_CHANGES_REQUESTED = (
            "qc_changes_requested",
            pgettext_lazy("history", "QC asked for changes"),
        )
        MARKED_COMPLETED = "marked_completed", pgettext_lazy("history", "Marked as completed")
        APPROVED_AUTOMATICALLY = (
            "approved_automatically",
            pgettext_lazy("history", "Approved automatically"),
        )
        REVISION_FEE_DUE = (
            "revision_fee_due",
            pgettext_lazy("history", "Revision requested (fee due)"),
        )
        REVISION_REQUESTED = "revision_requested", pgettext_lazy("history", "Revision requested")
        REVISION_FEE_PAID = "revision_fee_paid", pgettext_lazy("history", "Revision fee paid")
        REVISION_WITHDRAWN = (
            "revision_withdrawn",
            pgettext_lazy("history", "Revision request withdrawn"),
        )
        FILE_SHARED = "file_shared", pgettext_lazy("history", "File shared")
        QC_REVIEWER_ASSIGNED = (
            "qc_reviewer_assigned",
            pgettext_lazy("history", "QC reviewer assigned"),
        )
        DISPUTE_OPENED = "dispute_opened", pgettext_lazy("history", "Dispute opened")
        CANCELLED_CONTRACT_ENDED = (
            "cancelled_contract_ended",
            pgettext_lazy("history", "Cancelled (contract ended)"),
        )
        REFUNDED_CONTRACT_ENDED = (
            "refunded_contract_ended",
            pgettext_lazy("history", "Refunded (contract ended)"),
        )
        CONTRACT_ENDED = "contract_ended", pgettext_lazy("history", "Contract ended")
        DISPUTE_RESPONSE = "dispute_response", pgettext_lazy("history", "Responded to the dispute")
        DISPUTE_DECIDED = "dispute_decided", pgettext_lazy("history", "Dispute decided")
        INVITATION_ACCEPTED = (
            "invitation_accepted",
            pgettext_lazy("history", "Invitation accepted"),
        )
        # Rows written before codes whose English text matched no code: params["text"] keeps it.
        OTHER = "other", pgettext_lazy("history", "Other")

    workspace = models.ForeignKey(
        Workspace,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=gettext_lazy("workspace"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=gettext_lazy("milestone"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    action = models.CharField(
        max_length=40, choices=Action.choices, verbose_name=gettext_lazy("action")
    )
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    from_status = models.CharField(
        max_length=20, blank=True, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(max_length=20, blank=True, verbose_name=gettext_lazy("to status"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("workspace event")
        verbose_name_plural = gettext_lazy("workspace events")
        ordering = ("-created_at", "-pk")
        indexes = [models.Index(fields=["workspace", "-created_at"], name="wks_event_recent")]

    def __str__(self) -> str:
        if not (self.from_status or self.to_status):
            return self.text
        return f"{self.text} ({self.from_label} → {self.to_label})"

    @property
    def text(self) -> str:
        """What happened, in the active language ("Start requested", "Starten angefragt")."""
        if self.action == self.Action.OTHER or self.action not in self.Action.values:
            return str(self.params.get("text") or self.action)
        return str(self.Action(self.action).label)

    @property
    def detail(self) -> str:
        """The event's variable parts as a sentence in the active language ("€1.200,00 aus dem
        Guthaben bezahlt"); empty when there are none."""
        return workspace_event_detail(self.action, self.params or {})

    @property
    @admin.display(description=gettext_lazy("what happened"))
    def summary(self) -> str:
        """One line (admin, exports): what happened, its details and the typed note."""
        return " · ".join(part for part in (self.text, self.detail, self.note) if part)

    @property
    @admin.display(description=gettext_lazy("to status"))
    def to_label(self) -> str:
        return _status_label(self.to_status)

    @property
    @admin.display(description=gettext_lazy("from status"))
    def from_label(self) -> str:
        return _status_label(self.from_status)


def decision_summary(params: Mapping[str, Any]) -> str:
    """How staff decided a dispute, in the active language."""
    outcome = params.get("outcome")
    if outcome == "release":
        return gettext("Released to the expert")
    if outcome == "refund":
        return gettext("Refunded to the client")
    if outcome == "split":
        return gettext(
            "Split: {payee} to the expert ({net} after the fee), {refund} back to the client"
        ).format(
            payee=shown_money(params, "payee_amount"),
            net=shown_money(params, "payee_net"),
            refund=shown_money(params, "payer_refund"),
        )
    return ""


# For notifications: written in the reader's language when the notification is.
decision_summary_lazy = lazy(decision_summary, str)


def workspace_event_detail(action: str, params: Mapping[str, Any]) -> str:
    A = WorkspaceEvent.Action  # noqa: N806
    version = params.get("version")
    if action in {
        A.CARD_PAYMENT_STARTED,
        A.LATE_PAYMENT_REFUNDED,
        A.REVISION_FEE_PAID,
        A.REFUNDED_CONTRACT_ENDED,
    }:
        return shown_money(params)
    if action == A.STARTED:
        source = params.get("source")
        if source == "reward":
            return gettext("Paid by a reward")
        if source == "card":
            return gettext("{amount} paid by card").format(amount=shown_money(params))
        if source == "balance":
            return gettext("{amount} paid from the balance").format(amount=shown_money(params))
        return shown_money(params)
    if action in {A.DELIVERED, A.DELIVERED_TO_QC} and version is not None:
        files = int(params.get("files") or 0)
        return ngettext(
            "Version {version}, {count} file", "Version {version}, {count} files", files
        ).format(version=version, count=files)
    if action == A.REVIEWED_BY_SECOND_EXPERT and version is not None:
        return gettext("Version {version}: approved, waiting for the hub manager").format(
            version=version
        )
    if action == A.APPROVED_BY_QC and version is not None:
        return gettext("Version {version}").format(version=version)
    if action in {A.MARKED_COMPLETED, A.APPROVED_AUTOMATICALLY}:
        if params.get("reward"):
            return gettext("Approved; the reward is paid by the platform")
        if "net" in params:
            return gettext("{net} released to the expert after a {fee} fee").format(
                net=shown_money(params, "net"), fee=shown_money(params, "fee")
            )
        return ""
    if action == A.REVISION_FEE_DUE and "fee" in params:
        return gettext("Fee {fee}").format(fee=shown_money(params, "fee"))
    if action == A.FILE_SHARED and "name" in params:
        return gettext("{name} (v{version})").format(name=params["name"], version=version)
    if action == A.QC_REVIEWER_ASSIGNED:
        return str(params.get("reviewer") or pgettext("QC reviewer", "Staff"))
    if action == A.DISPUTE_OPENED and params.get("contract_ended"):
        return gettext("The client ended the contract after this milestone was delivered.")
    if action == A.DISPUTE_DECIDED:
        return decision_summary(params)
    return ""


def _status_label(value: str) -> str:
    for choices in (Milestone.Status, Workspace.Status):
        if value in choices.values:
            return str(choices(value).label)
    return value
