"""Projects clients post, how they are moderated, upgraded, shared and matched with experts.

A project's status changes only through projects.services (see TRANSITIONS); each change leaves a
ProjectStatusChange row. Whether a project is featured is derived from featured_until, so a late
expiry job never shows a stale badge.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib import admin
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from accounts.countries import COUNTRIES
from accounts.models import in_language, private_storage


def default_currency() -> str:
    return settings.PLATFORM_CURRENCY


class ExpertiseLevel(models.TextChoices):
    ENTRY = "entry", gettext_lazy("Entry level")
    INTERMEDIATE = "intermediate", gettext_lazy("Intermediate")
    EXPERT = "expert", gettext_lazy("Expert")


class BudgetType(models.TextChoices):
    FIXED = "fixed", gettext_lazy("Fixed amount")
    RANGE = "range", gettext_lazy("Range")


# Open public posts: what Find a Project lists.
LISTED = Q(status="open", visibility="public")


class Project(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        PENDING = "pending_approval", gettext_lazy("Pending approval")
        CLARIFICATION = "clarification", gettext_lazy("Clarification requested")
        REJECTED = "rejected", gettext_lazy("Rejected")
        OPEN = "open", gettext_lazy("Open")
        AWARDED = "awarded", gettext_lazy("Awarded")
        IN_PROGRESS = "in_progress", gettext_lazy("In progress")
        COMPLETED = "completed", gettext_lazy("Completed")
        CLOSED = "closed", gettext_lazy("Closed")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    # The one place the lifecycle is declared: status -> the statuses it may move to.
    # awarded / in_progress / completed are set by the bids and workspaces apps.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DRAFT: frozenset({Status.PENDING, Status.OPEN, Status.CANCELLED}),
        Status.PENDING: frozenset(
            {Status.OPEN, Status.REJECTED, Status.CLARIFICATION, Status.CANCELLED}
        ),
        Status.CLARIFICATION: frozenset({Status.PENDING, Status.CANCELLED}),
        Status.REJECTED: frozenset(),
        Status.OPEN: frozenset({Status.CLOSED, Status.CANCELLED, Status.AWARDED}),
        Status.AWARDED: frozenset({Status.IN_PROGRESS, Status.OPEN, Status.CANCELLED}),
        Status.IN_PROGRESS: frozenset({Status.COMPLETED, Status.CANCELLED}),
        Status.COMPLETED: frozenset(),
        Status.CLOSED: frozenset(),
        Status.CANCELLED: frozenset(),
    }
    # Statuses that anyone (subject to visibility) may see: the post has been approved.
    PUBLISHED_STATUSES = frozenset(
        {Status.OPEN, Status.AWARDED, Status.IN_PROGRESS, Status.COMPLETED, Status.CLOSED}
    )
    # Statuses in which the owner may still edit the post.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.PENDING, Status.CLARIFICATION, Status.OPEN})

    class Location(models.TextChoices):
        REMOTE = "remote", gettext_lazy("Remote")
        ONSITE = "onsite", gettext_lazy("On site")

    class Visibility(models.TextChoices):
        PUBLIC = "public", gettext_lazy("Public")
        PRIVATE = "private", gettext_lazy("Private (invited experts only)")

    class PaymentModel(models.TextChoices):
        MILESTONES = "milestones", gettext_lazy("Milestones with held funds")
        PLATFORM_FEE = "platform_fee", gettext_lazy("Platform fee only")

    class Kind(models.TextChoices):
        """How the expert is chosen: open bidding, or staff invite experts for a reward."""

        OPEN = "open", gettext_lazy("Open bidding")
        SPEEDY = "speedy", gettext_lazy("Speedy")
        CONTEST = "contest", gettext_lazy("Contest")
        BOOKING = "invited_booking", gettext_lazy("Booking")

    # Kinds staff set up and invite experts to; the platform pays the expert a reward.
    INVITED_KINDS = frozenset({Kind.SPEEDY, Kind.CONTEST, Kind.BOOKING})
    # Of those, the kinds where the first invited expert to press Accept gets the project.
    FIRST_TO_ACCEPT_KINDS = frozenset({Kind.SPEEDY, Kind.CONTEST})

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=gettext_lazy("owner"),
    )
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    description = models.TextField(
        help_text=gettext_lazy("Markdown: headings, lists, links, emphasis."),
        verbose_name=gettext_lazy("description"),
    )
    category = models.ForeignKey(
        "accounts.SkillCategory",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=gettext_lazy("category"),
    )
    skills = models.ManyToManyField(
        "accounts.Skill", related_name="projects", verbose_name=gettext_lazy("skills")
    )
    expertise_level = models.CharField(
        max_length=12,
        choices=ExpertiseLevel.choices,
        default=ExpertiseLevel.INTERMEDIATE,
        verbose_name=gettext_lazy("expertise level"),
    )
    budget_type = models.CharField(
        max_length=5,
        choices=BudgetType.choices,
        default=BudgetType.FIXED,
        verbose_name=gettext_lazy("budget type"),
    )
    budget_min = models.BigIntegerField(
        help_text=gettext_lazy("Minor units (cents)."), verbose_name=gettext_lazy("budget from")
    )
    budget_max = models.BigIntegerField(
        help_text=gettext_lazy("Minor units; equals budget_min when fixed."),
        verbose_name=gettext_lazy("budget up to"),
    )
    currency = models.CharField(
        max_length=3, default=default_currency, verbose_name=gettext_lazy("currency")
    )
    deadline = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("deadline"))
    start_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("start date"))
    end_date = models.DateField(null=True, blank=True, verbose_name=gettext_lazy("end date"))
    location_type = models.CharField(
        max_length=6,
        choices=Location.choices,
        default=Location.REMOTE,
        verbose_name=gettext_lazy("location type"),
    )
    country = models.CharField(max_length=60, blank=True, verbose_name=gettext_lazy("country"))
    city = models.CharField(max_length=80, blank=True, verbose_name=gettext_lazy("city"))
    languages = models.ManyToManyField(
        "accounts.Language",
        related_name="projects",
        blank=True,
        verbose_name=gettext_lazy("languages"),
    )
    visibility = models.CharField(
        max_length=7,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        verbose_name=gettext_lazy("visibility"),
    )
    restricted_to_businesses = models.BooleanField(
        default=False, verbose_name=gettext_lazy("restricted to businesses")
    )
    additional_qc = models.BooleanField(gettext_lazy("additional quality control"), default=False)
    managed = models.BooleanField(default=False, verbose_name=gettext_lazy("managed"))
    payment_model = models.CharField(
        max_length=12,
        choices=PaymentModel.choices,
        default=PaymentModel.MILESTONES,
        verbose_name=gettext_lazy("payment model"),
    )
    nda_required = models.BooleanField(gettext_lazy("NDA required"), default=False)
    public_summary = models.TextField(
        blank=True,
        max_length=1000,
        help_text=gettext_lazy(
            "NDA projects: what experts, visitors and search see before accepting the NDA."
        ),
        verbose_name=gettext_lazy("public summary"),
    )
    kind = models.CharField(
        max_length=16,
        choices=Kind.choices,
        default=Kind.OPEN,
        db_index=True,
        verbose_name=gettext_lazy("kind"),
    )
    reward = models.BigIntegerField(
        default=0,
        help_text=gettext_lazy("Invited kinds: what the platform pays the expert, in minor units."),
        verbose_name=gettext_lazy("reward"),
    )
    proofread_offer = models.TextField(
        blank=True,
        help_text=gettext_lazy(
            "Shown to invited experts who arrive after the project was taken "
            "(translation work: an offer to proofread instead)."
        ),
        verbose_name=gettext_lazy("proofreading offer"),
    )
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        verbose_name=gettext_lazy("status"),
    )
    template = models.ForeignKey(
        "ProjectTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("template"),
    )
    featured_until = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("featured until")
    )
    featured_end_notified = models.BooleanField(
        default=True, verbose_name=gettext_lazy("featured end notified")
    )
    published_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("published at")
    )
    # Maintained by the bids app; sorted on by "fewest bids".
    bid_count = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("bid count"))
    # Kept by projects.services.refresh_search_vector: the weighted words (title A, skill names
    # B, description C) and one filter token per category, skill, language and day and month of
    # publication ("#c4", "#s45", "#l6", "#d20261130", "#m202611"). The text-search parser never
    # keeps "#", so typed words cannot match a token, and one GIN scan answers words and filters.
    search_vector = SearchVectorField(
        null=True, editable=False, verbose_name=gettext_lazy("search vector")
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=gettext_lazy("created at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("project")
        verbose_name_plural = gettext_lazy("projects")
        ordering = ("-published_at", "-id")
        indexes = [
            GinIndex(fields=["search_vector"], condition=LISTED, name="project_listed_search"),
            # The featured rows of a search: a few hundred listings instead of all the matches
            # (any running feature has a date, so `featured_until > now` reads this index).
            GinIndex(
                fields=["search_vector"],
                condition=LISTED & Q(featured_until__isnull=False),
                name="project_featured_search",
            ),
            models.Index(fields=["status", "-published_at"], name="project_status_published"),
            # Find a Project's sorts over open public posts, each servable from an index.
            models.Index(
                fields=["-published_at", "-id"], condition=LISTED, name="project_listed_newest"
            ),
            models.Index(
                fields=["-budget_max", "-published_at", "-id"],
                condition=LISTED,
                name="project_listed_budget_high",
            ),
            models.Index(
                fields=["budget_min", "-published_at", "-id"],
                condition=LISTED,
                name="project_listed_budget_low",
            ),
            models.Index(
                fields=["bid_count", "-published_at", "-id"],
                condition=LISTED,
                name="project_listed_fewest_bids",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(budget_min__gt=0), name="project_budget_min_pos"),
            models.CheckConstraint(
                condition=Q(budget_min__lte=F("budget_max")), name="project_budget_min_lte_max"
            ),
            models.CheckConstraint(
                condition=Q(budget_type="range") | Q(budget_min=F("budget_max")),
                name="project_fixed_budget_single",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="project_start_before_end",
            ),
            models.CheckConstraint(
                condition=Q(bid_count__gte=0), name="project_bid_count_non_negative"
            ),
            models.CheckConstraint(condition=Q(reward__gte=0), name="project_reward_non_negative"),
            models.CheckConstraint(
                condition=Q(kind="open") | Q(reward__gt=0), name="project_invited_has_reward"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:detail", args=[self.pk])

    @property
    def is_featured(self) -> bool:
        return self.featured_until is not None and self.featured_until > timezone.now()

    @property
    def country_name(self) -> str:
        return str(dict(COUNTRIES).get(self.country, self.country))

    @property
    def is_private(self) -> bool:
        return self.visibility == self.Visibility.PRIVATE

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLISHED_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    @property
    def is_hub(self) -> bool:
        """A hub post: Managed, NDA or Additional Quality Control, where staff take part."""
        return self.managed or self.nda_required or self.additional_qc

    @property
    def is_invited_kind(self) -> bool:
        """Speedy, Contest or Booking: staff invite experts and the platform pays a reward."""
        return self.kind in self.INVITED_KINDS

    @property
    def is_first_to_accept(self) -> bool:
        return self.kind in self.FIRST_TO_ACCEPT_KINDS


class NdaAcceptance(models.Model):
    """An expert accepted this project's non-disclosure agreement: who, which text, when, from
    which address. The description, documents and questions of an NDA project open after it."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="nda_acceptances",
        verbose_name=gettext_lazy("project"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="nda_acceptances",
        verbose_name=gettext_lazy("user"),
    )
    version = models.CharField(max_length=40, verbose_name=gettext_lazy("version"))
    ip = models.GenericIPAddressField(
        null=True, blank=True, verbose_name=gettext_lazy("IP address")
    )
    accepted_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("accepted at")
    )

    class Meta:
        verbose_name_plural = gettext_lazy("NDA acceptances")
        ordering = ("-accepted_at", "-id")
        verbose_name = gettext_lazy("NDA acceptance")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="nda_acceptance_once"),
        ]

    def __str__(self) -> str:
        return gettext("NDA of “%(project)s” accepted by %(user)s") % {
            "project": self.project.title,
            "user": self.user.display_name,
        }


class ProjectStatusChange(models.Model):
    """History: who moved a project from which status to which, when and why.

    `code` says what happened and `params` its variable parts (the bid awarded, the kind set
    up); the sentence is written when the row is shown, in the reader's language (`text`).
    `note` is only what a person typed (a rejection reason, a clarification question, a
    moderator's note, why the project or contract was cancelled)."""

    class Code(models.TextChoices):
        CREATED = "created", pgettext_lazy("history", "Created")
        SUBMITTED = "submitted", pgettext_lazy("history", "Submitted for approval")
        PUBLISHED = "published", pgettext_lazy("history", "Published")
        APPROVED = "approved", pgettext_lazy("history", "Approved")
        REJECTED = "rejected", pgettext_lazy("history", "Rejected")
        CLARIFICATION = "clarification", pgettext_lazy("history", "Clarification requested")
        RESUBMITTED = "resubmitted", pgettext_lazy("history", "Resubmitted after clarification")
        CLOSED = "closed", pgettext_lazy("history", "Closed by the client")
        CANCELLED = "cancelled", pgettext_lazy("history", "Cancelled")
        SET_UP = "set_up", pgettext_lazy("history", "Set up")
        AWARDED = "awarded", pgettext_lazy("history", "Awarded")
        AWARDED_BID = "awarded_bid", pgettext_lazy("history", "Awarded to bid {bid}")
        OFFER_ACCEPTED = "offer_accepted", pgettext_lazy("history", "Offer {bid} accepted")
        INVITATION_ACCEPTED = (
            "invitation_accepted",
            pgettext_lazy("history", "Invitation accepted"),
        )
        AWARD_ENDED = "award_ended", pgettext_lazy("history", "Award ended")
        AWARD_WITHDRAWN = "award_withdrawn", pgettext_lazy("history", "Award withdrawn")
        AWARD_DECLINED = "award_declined", pgettext_lazy("history", "Award declined by the expert")
        CONTRACT_CONFIRMED = "contract_confirmed", pgettext_lazy("history", "Contract confirmed")
        WORK_STARTS = "work_starts", pgettext_lazy("history", "Work starts at once")
        BOOKING_MADE = "booking_made", pgettext_lazy("history", "Booking made")
        CONTRACT_COMPLETED = "contract_completed", pgettext_lazy("history", "Contract completed")
        MILESTONES_COMPLETED = (
            "milestones_completed",
            pgettext_lazy("history", "Every milestone is completed"),
        )
        BOOKING_COMPLETED = "booking_completed", pgettext_lazy("history", "Booking completed")
        CONTRACT_TERMINATED = (
            "contract_terminated",
            pgettext_lazy("history", "Contract terminated"),
        )
        # Rows written before codes whose text matched no code: their note is shown as stored.
        OTHER = "other", pgettext_lazy("history", "Other")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=gettext_lazy("project"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    from_status = models.CharField(
        max_length=16, choices=Project.Status.choices, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(
        max_length=16, choices=Project.Status.choices, verbose_name=gettext_lazy("to status")
    )
    code = models.CharField(
        max_length=30, choices=Code.choices, default=Code.OTHER, verbose_name=gettext_lazy("code")
    )
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("project status change")
        verbose_name_plural = gettext_lazy("project status changes")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"

    @property
    def text(self) -> str:
        """What happened, in the active language; empty for old rows without a code."""
        params = self.params or {}
        if self.code == self.Code.SET_UP and params.get("kind") in Project.Kind.values:
            return gettext("{kind} set up").format(kind=Project.Kind(params["kind"]).label)
        if self.code == self.Code.OTHER or self.code not in self.Code.values:
            return ""
        label = str(self.Code(self.code).label)
        if self.code in {self.Code.AWARDED_BID, self.Code.OFFER_ACCEPTED}:
            return label.format(bid=params.get("bid", ""))
        return label

    @property
    @admin.display(description=gettext_lazy("what happened"))
    def summary(self) -> str:
        """One line (admin): what happened and the typed note."""
        return " · ".join(part for part in (self.text, self.note) if part)


def attachment_path(instance: ProjectAttachment, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"private/projects/{instance.project_id}/{uuid.uuid4().hex}{suffix}"


class ProjectAttachment(models.Model):
    """A supporting document; private, served only through a permission-checked view."""

    MAX_PER_PROJECT = 10

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=gettext_lazy("project"),
    )
    file = models.FileField(
        upload_to=attachment_path,
        storage=private_storage,
        max_length=200,
        verbose_name=gettext_lazy("file"),
    )
    name = models.CharField(max_length=200, verbose_name=gettext_lazy("name"))
    size = models.PositiveBigIntegerField(verbose_name=gettext_lazy("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("uploaded by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("project attachment")
        verbose_name_plural = gettext_lazy("project attachments")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:attachment", args=[self.project_id, self.pk])


class ProjectTemplate(models.Model):
    """A staff-managed starting point for a new post."""

    name = models.CharField(max_length=80, verbose_name=gettext_lazy("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=gettext_lazy("slug"))
    summary = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("summary"))
    category = models.ForeignKey(
        "accounts.SkillCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("category"),
    )
    title = models.CharField(max_length=120, verbose_name=gettext_lazy("title"))
    description = models.TextField(verbose_name=gettext_lazy("description"))
    # The German wording, shown to people who read Guildhall in German (blank: the English).
    name_de = models.CharField(
        max_length=80, blank=True, verbose_name=gettext_lazy("name (German)")
    )
    summary_de = models.CharField(
        max_length=200, blank=True, verbose_name=gettext_lazy("summary (German)")
    )
    title_de = models.CharField(
        max_length=120, blank=True, verbose_name=gettext_lazy("title (German)")
    )
    description_de = models.TextField(blank=True, verbose_name=gettext_lazy("description (German)"))
    skills = models.ManyToManyField(
        "accounts.Skill", related_name="+", blank=True, verbose_name=gettext_lazy("skills")
    )
    expertise_level = models.CharField(
        max_length=12,
        choices=ExpertiseLevel.choices,
        default=ExpertiseLevel.INTERMEDIATE,
        verbose_name=gettext_lazy("expertise level"),
    )
    budget_type = models.CharField(
        max_length=5,
        choices=BudgetType.choices,
        default=BudgetType.FIXED,
        verbose_name=gettext_lazy("budget type"),
    )
    budget_min = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget from")
    )
    budget_max = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget up to")
    )
    is_active = models.BooleanField(default=True, verbose_name=gettext_lazy("active"))
    position = models.PositiveSmallIntegerField(default=0, verbose_name=gettext_lazy("position"))

    class Meta:
        verbose_name = gettext_lazy("project template")
        verbose_name_plural = gettext_lazy("project templates")
        ordering = ("position", "name")

    def __str__(self) -> str:
        return self.shown("name")

    def shown(self, field: str) -> str:
        """The field in the reader's language: the German wording when it is written."""
        return in_language(getattr(self, field), getattr(self, f"{field}_de"))

    @property
    def shown_name(self) -> str:
        return self.shown("name")

    @property
    def shown_summary(self) -> str:
        return self.shown("summary")


class Invitation(models.Model):
    """The owner asked this expert to bid; an invited expert sees the project even if private."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=gettext_lazy("project"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_invitations",
        verbose_name=gettext_lazy("expert"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("invited by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("invitation")
        verbose_name_plural = gettext_lazy("invitations")
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(fields=["project", "expert"], name="invitation_once"),
        ]

    def __str__(self) -> str:
        return gettext("%(expert)s invited to “%(project)s”") % {
            "expert": self.expert.display_name,
            "project": self.project.title,
        }


class ModerationDecision(models.Model):
    """A staff decision on a pending post (approval, rejection, or a clarification request)."""

    class Decision(models.TextChoices):
        APPROVE = "approve", gettext_lazy("Approved")
        REJECT = "reject", gettext_lazy("Rejected")
        CLARIFY = "clarify", gettext_lazy("Clarification requested")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="moderation",
        verbose_name=gettext_lazy("project"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    decision = models.CharField(
        max_length=7, choices=Decision.choices, verbose_name=gettext_lazy("decision")
    )
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("moderation decision")
        verbose_name_plural = gettext_lazy("moderation decisions")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: “{self.project.title}”"


class ProjectUpgrade(models.Model):
    class Kind(models.TextChoices):
        FEATURED = "featured", gettext_lazy("Featured Project")
        PRIVATE = "private", gettext_lazy("Make Private")
        ASSIST = "assist", gettext_lazy("Assist")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Awaiting payment")
        PAID = "paid", gettext_lazy("Paid")
        CANCELLED = "cancelled", gettext_lazy("Cancelled")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="upgrades",
        verbose_name=gettext_lazy("project"),
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, verbose_name=gettext_lazy("kind"))
    status = models.CharField(
        max_length=9,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    amount = models.BigIntegerField(verbose_name=gettext_lazy("amount"))
    currency = models.CharField(
        max_length=3, default=default_currency, verbose_name=gettext_lazy("currency")
    )
    purchase_ref = models.CharField(
        max_length=80, blank=True, verbose_name=gettext_lazy("purchase ref")
    )
    bought_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("bought by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    paid_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("paid at"))

    class Meta:
        verbose_name = gettext_lazy("project upgrade")
        verbose_name_plural = gettext_lazy("project upgrades")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="project_upgrade_positive"),
        ]

    def __str__(self) -> str:
        return gettext("%(kind)s for “%(project)s” (%(status)s)") % {
            "kind": self.get_kind_display(),
            "project": self.project.title,
            "status": self.get_status_display(),
        }

    @property
    def reference(self) -> str:
        return f"project-upgrade:{self.pk}"


class AssistRequest(models.Model):
    """A staff task: help the client write (and edit) their post."""

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("To do")
        DONE = "done", gettext_lazy("Done")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="assists",
        verbose_name=gettext_lazy("project"),
    )
    upgrade = models.OneToOneField(
        ProjectUpgrade,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assist",
        verbose_name=gettext_lazy("upgrade"),
    )
    status = models.CharField(
        max_length=4,
        choices=Status.choices,
        default=Status.OPEN,
        verbose_name=gettext_lazy("status"),
    )
    note = models.TextField(
        blank=True,
        help_text=gettext_lazy("What staff changed, shown to the client."),
        verbose_name=gettext_lazy("note"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    completed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("completed at")
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("completed by"),
    )

    class Meta:
        verbose_name = gettext_lazy("Assist request")
        verbose_name_plural = gettext_lazy("Assist requests")
        ordering = ("status", "created_at")

    def __str__(self) -> str:
        return gettext("Assist for “%(project)s” (%(status)s)") % {
            "project": self.project.title,
            "status": self.get_status_display(),
        }


class DigestPreference(models.Model):
    """How often an expert wants the new-matching-projects email (no row: weekly)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", gettext_lazy("Daily")
        WEEKLY = "weekly", gettext_lazy("Weekly")
        NEVER = "never", gettext_lazy("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="project_digest",
        verbose_name=gettext_lazy("user"),
    )
    frequency = models.CharField(
        max_length=6,
        choices=Frequency.choices,
        default=Frequency.WEEKLY,
        verbose_name=gettext_lazy("frequency"),
    )
    last_sent_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("last sent at")
    )

    class Meta:
        verbose_name = gettext_lazy("digest preference")
        verbose_name_plural = gettext_lazy("digest preferences")

    def __str__(self) -> str:
        return f"{self.user.display_name}: {self.get_frequency_display()}"


class DigestEntry(models.Model):
    """This project was sent to this expert in a digest (each project at most once)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("user"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="+", verbose_name=gettext_lazy("project")
    )
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("sent at"))

    class Meta:
        verbose_name = gettext_lazy("digest entry")
        verbose_name_plural = gettext_lazy("digest entries")
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="digest_entry_once"),
        ]

    def __str__(self) -> str:
        return gettext("“%(project)s” sent to %(user)s") % {
            "project": self.project.title,
            "user": self.user.display_name,
        }


class ExpertSearchIndex(models.Model):
    """Find a Freelancer's stored full-text vector for an expert profile (headline A, skills B,
    bio C), refreshed by projects.services.refresh_expert_index (a beat job, and on demand)."""

    profile = models.OneToOneField(
        "accounts.ExpertProfile",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_index",
        verbose_name=gettext_lazy("profile"),
    )
    vector = SearchVectorField(null=True, verbose_name=gettext_lazy("search vector"))
    refreshed_at = models.DateTimeField(
        default=timezone.now, verbose_name=gettext_lazy("refreshed at")
    )

    class Meta:
        verbose_name = gettext_lazy("expert search index row")
        verbose_name_plural = gettext_lazy("expert search index rows")
        indexes = [GinIndex(fields=["vector"], name="expert_search_gin")]

    def __str__(self) -> str:
        return gettext("Search index of %(name)s") % {"name": self.profile.user.display_name}


class ListedProject(models.Model):
    """An open public project as Find a Project ranks it by words: only the columns such a
    search filters and orders on. Ranking reads every match's vector; these rows are about a
    twentieth of a project's width, so the matches fill far fewer pages than in Project's table.

    On PostgreSQL triggers on Project (migration 0017) keep it in step within the same
    statement: a row for every open public project, none for any other, and a deleted project's
    row goes with it (hence DO_NOTHING). Nothing else writes it; the SQLite default leaves it
    empty and searches without it.
    """

    project = models.OneToOneField(
        Project,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        related_name="+",
        verbose_name=gettext_lazy("project"),
    )
    published_at = models.DateTimeField(null=True, verbose_name=gettext_lazy("published at"))
    featured_until = models.DateTimeField(null=True, verbose_name=gettext_lazy("featured until"))
    budget_min = models.BigIntegerField(verbose_name=gettext_lazy("budget from"))
    budget_max = models.BigIntegerField(verbose_name=gettext_lazy("budget up to"))
    location_type = models.CharField(max_length=6, verbose_name=gettext_lazy("location type"))
    country = models.CharField(max_length=60, verbose_name=gettext_lazy("country"))
    search_vector = SearchVectorField(null=True, verbose_name=gettext_lazy("search vector"))

    class Meta:
        verbose_name = gettext_lazy("listed project")
        verbose_name_plural = gettext_lazy("listed projects")
        indexes = [GinIndex(fields=["search_vector"], name="listed_project_search")]

    def __str__(self) -> str:
        return gettext("Search listing of “%(title)s”") % {"title": self.project.title}


class ExtraFeeRequest(models.Model):
    """Invited fulfilment: the expert asks for a fee for work outside the original instructions
    (a client revision that adds to the brief); staff decide, and an approved fee is credited to
    the expert's balance at once (key "extra-fee:<pk>")."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for staff")
        APPROVED = "approved", gettext_lazy("Approved and credited")
        REFUSED = "refused", gettext_lazy("Refused")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="fee_requests",
        verbose_name=gettext_lazy("project"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("expert"),
    )
    amount = models.BigIntegerField(
        help_text=gettext_lazy("Minor units."), verbose_name=gettext_lazy("amount")
    )
    currency = models.CharField(
        max_length=3, default=default_currency, verbose_name=gettext_lazy("currency")
    )
    reason = models.TextField(verbose_name=gettext_lazy("reason"))
    status = models.CharField(
        max_length=8,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    decision_note = models.TextField(blank=True, verbose_name=gettext_lazy("decision note"))
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("extra fee request")
        verbose_name_plural = gettext_lazy("extra fee requests")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="extra_fee_positive"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(status="pending"), name="extra_fee_one_pending"
            ),
        ]

    def __str__(self) -> str:
        return gettext("Extra fee for “%(project)s” asked by %(expert)s (%(status)s)") % {
            "project": self.project.title,
            "expert": self.expert.display_name,
            "status": self.get_status_display(),
        }

    @property
    def key(self) -> str:
        return f"extra-fee:{self.pk}"
