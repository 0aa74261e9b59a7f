"""Bids on projects, the award an expert confirms, and the Contract it makes.

A bid's status changes only through bids.services (see Bid.TRANSITIONS); each change leaves a
BidEvent row. One live bid per expert and project is a database constraint. A confirmed award
makes one Contract per project, with the milestones the workspace will run.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from accounts.models import private_storage
from marketplace.formats import shown_date
from marketplace.history import shown_money

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


def default_currency() -> str:
    return settings.PLATFORM_CURRENCY


# How the expert of a managed project sees the client.
CLIENT_ALIAS = "Client"


def alias_for(number: int) -> str:
    """ "Expert A", …, "Expert Z", "Expert AA": how a managed project's client sees a bidder."""
    letters = ""
    n = number
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"Expert {letters or 'A'}"


class Bid(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", gettext_lazy("Active")
        AWARDED = "awarded", gettext_lazy("Awarded, waiting for the expert")
        ACCEPTED = "accepted", gettext_lazy("Accepted: contract made")
        DECLINED = "declined", gettext_lazy("Award declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")
        LOST = "lost", gettext_lazy("Not selected")

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.ACTIVE: frozenset({Status.AWARDED, Status.WITHDRAWN, Status.LOST}),
        # back to ACTIVE when the client withdraws the award
        Status.AWARDED: frozenset({Status.ACTIVE, Status.ACCEPTED, Status.DECLINED}),
        Status.ACCEPTED: frozenset(),
        Status.DECLINED: frozenset(),
        Status.WITHDRAWN: frozenset(),
        Status.LOST: frozenset(),
    }
    # Statuses that count as the expert's one live bid on a project.
    LIVE_STATUSES = (Status.ACTIVE, Status.AWARDED, Status.ACCEPTED)

    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="bids",
        verbose_name=gettext_lazy("project"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bids",
        verbose_name=gettext_lazy("expert"),
    )
    number = models.PositiveIntegerField(
        help_text=gettext_lazy("Order of arrival on the project (aliases)."),
        verbose_name=gettext_lazy("number"),
    )
    amount = models.BigIntegerField(
        help_text=gettext_lazy("Total price in minor units (cents)."),
        verbose_name=gettext_lazy("amount"),
    )
    currency = models.CharField(
        max_length=3, default=default_currency, verbose_name=gettext_lazy("currency")
    )
    days = models.PositiveIntegerField(gettext_lazy("estimated days"))
    proposal = models.TextField(verbose_name=gettext_lazy("proposal"))
    status = models.CharField(
        max_length=9,
        choices=Status.choices,
        default=Status.ACTIVE,
        db_index=True,
        verbose_name=gettext_lazy("status"),
    )
    shortlisted = models.BooleanField(default=False, verbose_name=gettext_lazy("shortlisted"))
    hidden = models.BooleanField(default=False, verbose_name=gettext_lazy("hidden"))
    decline_reason = models.TextField(blank=True, verbose_name=gettext_lazy("decline reason"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("bid")
        verbose_name_plural = gettext_lazy("bids")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "expert"],
                condition=Q(status__in=["active", "awarded", "accepted"]),
                name="bid_one_live_per_expert",
            ),
            models.UniqueConstraint(fields=["project", "number"], name="bid_number_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="bid_amount_positive"),
            models.CheckConstraint(condition=Q(days__gt=0), name="bid_days_positive"),
        ]
        indexes = [models.Index(fields=["project", "status"], name="bid_project_status")]

    def __str__(self) -> str:
        # Staff read this in the admin: the work and the bidder, never bare ids.
        return gettext("%(expert)s on “%(project)s”") % {
            "expert": self.expert.display_name,
            "project": self.project.title,
        }

    def get_absolute_url(self) -> str:
        return reverse("bids:detail", args=[self.pk])

    @property
    def alias(self) -> str:
        return alias_for(self.number)

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())


class BidMilestone(models.Model):
    """A step of the expert's proposed plan; the amounts of a bid's steps sum to its price."""

    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="milestones", verbose_name=gettext_lazy("bid")
    )
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    description = models.TextField(blank=True, verbose_name=gettext_lazy("description"))
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    due_in_days = models.PositiveIntegerField(verbose_name=gettext_lazy("due in days"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("proposed milestone")
        verbose_name_plural = gettext_lazy("proposed milestones")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="bid_milestone_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return self.title

    @property
    def shown_description(self) -> str:
        return self.description


def bid_attachment_path(instance: BidAttachment, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    if not suffix[1:].isalnum():
        suffix = ""
    return f"private/bids/{uuid.uuid4().hex}{suffix}"


class BidAttachment(models.Model):
    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="attachments", verbose_name=gettext_lazy("bid")
    )
    file = models.FileField(
        upload_to=bid_attachment_path,
        storage=private_storage,
        max_length=200,
        verbose_name=gettext_lazy("file"),
    )
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("bid attachment")
        verbose_name_plural = gettext_lazy("bid attachments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("bids:attachment", args=[self.pk])


class BidEvent(models.Model):
    """History: who moved a bid from which status to which, when (and from which address).

    `code` says what happened; the sentence is written when the row is shown, in the reader's
    language (`text`). `note` is only what a person typed (why the expert declined)."""

    class Code(models.TextChoices):
        PLACED = "placed", pgettext_lazy("history", "Bid placed")
        WITHDRAWN = "withdrawn", pgettext_lazy("history", "Withdrawn by the expert")
        AWARDED = "awarded", pgettext_lazy("history", "Awarded by the client")
        AWARD_WITHDRAWN = (
            "award_withdrawn",
            pgettext_lazy("history", "Award withdrawn by the client"),
        )
        DECLINED = "declined", pgettext_lazy("history", "Award declined by the expert")
        CONFIRMED = "confirmed", pgettext_lazy("history", "Award confirmed by the expert")
        LOST = "lost", pgettext_lazy("history", "Project awarded to another bid")
        INVITATION_ACCEPTED = (
            "invitation_accepted",
            pgettext_lazy(
                "history",
                "Invitation accepted: bid made on the expert's behalf at the platform's price",
            ),
        )
        OFFER_ACCEPTED = "offer_accepted", pgettext_lazy("history", "Offer accepted by the client")
        BOOKING_MADE = "booking_made", pgettext_lazy("history", "Booking made")
        OTHER_OFFER_ACCEPTED = (
            "other_offer_accepted",
            pgettext_lazy("history", "Another offer accepted"),
        )
        # Rows written before codes whose text matched no code: their note is shown as stored.
        OTHER = "other", pgettext_lazy("history", "Other")

    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="events", verbose_name=gettext_lazy("bid")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    from_status = models.CharField(
        max_length=9, choices=Bid.Status.choices, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(
        max_length=9, choices=Bid.Status.choices, verbose_name=gettext_lazy("to status")
    )
    code = models.CharField(
        max_length=30, choices=Code.choices, default=Code.OTHER, verbose_name=gettext_lazy("code")
    )
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("bid event")
        verbose_name_plural = gettext_lazy("bid events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def text(self) -> str:
        """What happened, in the active language; empty for old rows without a code."""
        if self.code == self.Code.OTHER or self.code not in self.Code.values:
            return ""
        return str(self.Code(self.code).label)

    @property
    @admin.display(description=gettext_lazy("what happened"))
    def summary(self) -> str:
        """One line (admin): what happened and the typed note."""
        return " · ".join(part for part in (self.text, self.note) if part)


class Contract(models.Model):
    """What client and expert agreed when the expert confirmed the award."""

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.PROTECT,
        related_name="contract",
        verbose_name=gettext_lazy("project"),
    )
    bid = models.OneToOneField(
        Bid, on_delete=models.PROTECT, related_name="contract", verbose_name=gettext_lazy("bid")
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts_as_client",
        verbose_name=gettext_lazy("client"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contracts_as_expert",
        verbose_name=gettext_lazy("expert"),
    )
    amount = models.BigIntegerField(
        help_text=gettext_lazy("Agreed price in minor units."), verbose_name=gettext_lazy("amount")
    )
    currency = models.CharField(
        max_length=3, default=default_currency, verbose_name=gettext_lazy("currency")
    )
    days = models.PositiveIntegerField(verbose_name=gettext_lazy("days"))
    scope = models.TextField(
        help_text=gettext_lazy("The project description as agreed; does not change."),
        verbose_name=gettext_lazy("scope"),
    )
    proposal = models.TextField(
        help_text=gettext_lazy("The expert's proposal as agreed."),
        verbose_name=gettext_lazy("proposal"),
    )
    terms_accepted_at = models.DateTimeField(verbose_name=gettext_lazy("terms accepted at"))
    accepted_ip = models.GenericIPAddressField(
        null=True, blank=True, verbose_name=gettext_lazy("accepted from IP")
    )
    nda_required = models.BooleanField(default=False, verbose_name=gettext_lazy("NDA required"))
    nda_accepted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("NDA accepted at")
    )
    nda_version = models.CharField(
        gettext_lazy("NDA text version"),
        max_length=20,
        blank=True,
        help_text=gettext_lazy(
            "The exact version of the NDA text accepted (settings.NDA_VERSION)."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("contract")
        verbose_name_plural = gettext_lazy("contracts")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
            models.CheckConstraint(
                condition=Q(nda_required=False) | Q(nda_accepted_at__isnull=False),
                name="contract_nda_accepted_when_required",
            ),
        ]

    def __str__(self) -> str:
        # Staff read this in the admin: the work and the expert, never bare ids.
        return gettext("Contract: “%(project)s” with %(expert)s") % {
            "project": self.project.title,
            "expert": self.expert.display_name,
        }

    def get_absolute_url(self) -> str:
        return reverse("bids:contract", args=[self.pk])

    @property
    def is_anonymous(self) -> bool:
        """Managed: the parties know each other only by alias, on every page, email and file."""
        return self.project.managed

    def name_for(self, person: Any, *, viewer: Any) -> str:
        """How a party of this contract is named to `viewer` (None: the other party, as in a
        notification): in a managed project the expert is their alias and the client "Client",
        except to themselves and to staff."""
        if not self.is_anonymous or person is None:
            return person.display_name if person is not None else ""
        if (
            viewer is not None
            and viewer.is_authenticated
            and (viewer.is_staff or viewer.pk == person.pk)
        ):
            return person.display_name
        if person.pk == self.expert_id:
            return self.bid.alias
        if person.pk == self.client_id:
            return CLIENT_ALIAS
        return person.display_name


class ContractMilestone(models.Model):
    """A milestone of the contract; the workspace runs these. Their amounts sum to the price.

    A bid without a plan gets one milestone in the platform's words (`default_wording`): its
    title and description are then shown in the reader's language (`shown_title`,
    `shown_description`) and stored in English; once a party changes the milestone, their text
    is kept as typed."""

    # Stored in English (for staff and search), shown translated.
    DEFAULT_TITLE_STORED = gettext_noop("Complete the project")
    DEFAULT_DESCRIPTION_STORED = gettext_noop("The whole scope as agreed.")
    DEFAULT_TITLE = gettext_lazy(DEFAULT_TITLE_STORED)
    DEFAULT_DESCRIPTION = gettext_lazy(DEFAULT_DESCRIPTION_STORED)

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=gettext_lazy("contract"),
    )
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    description = models.TextField(blank=True, verbose_name=gettext_lazy("description"))
    default_wording = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Title and description are the platform's, shown in the reader's language."
        ),
        verbose_name=gettext_lazy("default wording"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    due_in_days = models.PositiveIntegerField(verbose_name=gettext_lazy("due in days"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("contract milestone")
        verbose_name_plural = gettext_lazy("contract milestones")
        ordering = ("position", "id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_milestone_positive"),
        ]

    def __str__(self) -> str:
        return str(self.shown_title)

    @classmethod
    def whole_project(
        cls, *, contract: Contract, amount: int, due_in_days: int
    ) -> ContractMilestone:
        """The one milestone of a contract whose bid had no plan, in the platform's words."""
        return cls(
            contract=contract,
            title=cls.DEFAULT_TITLE_STORED,
            description=cls.DEFAULT_DESCRIPTION_STORED,
            default_wording=True,
            amount=amount,
            due_in_days=due_in_days,
            position=0,
        )

    @property
    def shown_title(self) -> StrOrPromise:
        """The title in the active language (lazy: a notification renders it for its reader)."""
        return self.DEFAULT_TITLE if self.default_wording else self.title

    @property
    def shown_description(self) -> StrOrPromise:
        return self.DEFAULT_DESCRIPTION if self.default_wording else self.description


def step_title(step: ContractMilestone) -> str | None:
    """A milestone's title for a change line: None for the platform's default title (written in
    the reader's language when shown), else the title as typed."""
    return None if step.default_wording else step.title


class ContractChange(models.Model):
    """Each change of the milestone plan after confirmation, as the client sees it.

    `lines` keeps each change as a code and its params (titles as typed, amounts in minor units
    with their currency, a title of None for the platform's default title); `shown_lines` writes
    them in the reader's language. `summary` only keeps text stored before that could not be
    read back."""

    class Code(models.TextChoices):  # the codes of `lines` (never shown: the lines are)
        REMOVED = "removed"
        ADDED = "added"
        RENAMED = "renamed"
        AMOUNT = "amount"
        DUE = "due"
        DESCRIPTION = "description"
        REORDERED = "reordered"
        TEXT = "text"  # a line stored before as text that could not be read back

    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=gettext_lazy("contract"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    lines = models.JSONField(
        default=list,
        blank=True,
        help_text=gettext_lazy("Each change: its code and params."),
        verbose_name=gettext_lazy("lines"),
    )
    summary = models.TextField(blank=True, verbose_name=gettext_lazy("summary"))
    plan = models.JSONField(
        help_text=gettext_lazy("The plan after the change: title, amount, days."),
        verbose_name=gettext_lazy("plan"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("contract change")
        verbose_name_plural = gettext_lazy("contract changes")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return gettext("Milestones of “%(project)s” changed on %(date)s") % {
            "project": self.contract.project.title,
            "date": shown_date(self.created_at),
        }

    @property
    def shown_lines(self) -> list[str]:
        """Each change in the active language (old text that could not be read back as is)."""
        shown = [change_line_text(line) for line in self.lines or []]
        return shown or ([self.summary] if self.summary else [])

    @property
    @admin.display(description=gettext_lazy("what changed"))
    def shown_summary(self) -> str:
        return "\n".join(self.shown_lines)


def change_line_text(line: dict[str, Any]) -> str:
    """One change of a milestone plan, written in the active language."""
    code = line.get("code")

    def title(key: str = "title") -> str:
        value = line.get(key)
        return str(ContractMilestone.DEFAULT_TITLE) if value is None else str(value)

    if code == ContractChange.Code.REMOVED:
        return gettext("Removed “{title}” ({amount})").format(
            title=title(), amount=shown_money(line)
        )
    if code == ContractChange.Code.ADDED:
        return gettext("Added “{title}” ({amount})").format(title=title(), amount=shown_money(line))
    if code == ContractChange.Code.RENAMED:
        return gettext("Renamed “{old}” to “{new}”").format(old=title("old"), new=title("new"))
    if code == ContractChange.Code.AMOUNT:
        return gettext("“{title}”: {old} → {new}").format(
            title=title(), old=shown_money(line, "from"), new=shown_money(line, "to")
        )
    if code == ContractChange.Code.DUE:
        return gettext("“{title}”: due on day {old} → {new}").format(
            title=title(), old=line.get("from"), new=line.get("to")
        )
    if code == ContractChange.Code.DESCRIPTION:
        return gettext("“{title}”: description changed").format(title=title())
    if code == ContractChange.Code.REORDERED:
        return gettext("Milestones reordered")
    return str(line.get("text", ""))


class OfferRevision(models.Model):
    """Managed projects: staff revise a bid's offer after negotiating; both parties accept."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for both parties")
        ACCEPTED = "accepted", gettext_lazy("Accepted by both")
        SUPERSEDED = "superseded", gettext_lazy("Replaced by a newer revision")

    bid = models.ForeignKey(
        Bid, on_delete=models.CASCADE, related_name="revisions", verbose_name=gettext_lazy("bid")
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    days = models.PositiveIntegerField(verbose_name=gettext_lazy("days"))
    milestones = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("milestones"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    client_accepted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("client accepted at")
    )
    expert_accepted_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("expert accepted at")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("offer revision")
        verbose_name_plural = gettext_lazy("offer revisions")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="offer_amount_positive"),
            models.CheckConstraint(condition=Q(days__gt=0), name="offer_days_positive"),
            models.UniqueConstraint(
                fields=["bid"], condition=Q(status="pending"), name="offer_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Revised offer from %(expert)s on “%(project)s”") % {
            "expert": self.bid.expert.display_name,
            "project": self.bid.project.title,
        }
