"""Two-way, blind reviews of a contract and the reputation aggregates they feed.

- ``ReviewPeriod`` (1:1 with ``bids.Contract``) opens when a contract can be reviewed: it holds
  the 14-day deadline, the reminder claims and when the reviews were published.
- ``Review``: one per party per contract (a database constraint). It stays hidden from the other
  party until both have reviewed or the period closes (``published_at``).
- ``Reputation`` (1:1 with the user): averages and rates kept up to date in the same transaction
  that publishes reviews, so profile, search and bid pages read one row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

RATING_RANGE = Q(rating__gte=1) & Q(rating__lte=5)


def _criterion_check(name: str) -> models.CheckConstraint:
    field_null = Q(**{f"{name}__isnull": True})
    in_range = Q(**{f"{name}__gte": 1}) & Q(**{f"{name}__lte": 5})
    return models.CheckConstraint(condition=field_null | in_range, name=f"review_{name}_1_to_5")


class ReviewPeriod(models.Model):
    contract = models.OneToOneField(
        "bids.Contract",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="review_period",
        verbose_name=gettext_lazy("contract"),
    )
    opened_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("opened at"))
    closes_at = models.DateTimeField(db_index=True, verbose_name=gettext_lazy("closes at"))
    published_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("published at")
    )
    reminded_3_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("reminded 3 days before at")
    )
    reminded_10_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("reminded 10 days before at")
    )

    class Meta:
        verbose_name = gettext_lazy("review period")
        verbose_name_plural = gettext_lazy("review periods")
        ordering = ("-opened_at",)

    def __str__(self) -> str:
        return gettext("Reviews of “%(project)s”") % {"project": self.contract.project.title}

    @property
    def is_open(self) -> bool:
        return self.published_at is None


class Review(models.Model):
    class Role(models.TextChoices):
        CLIENT = "client", gettext_lazy("Client reviewing the expert")
        EXPERT = "expert", gettext_lazy("Expert reviewing the client")

    # Criteria per side: (field name, label).
    EXPERT_CRITERIA: ClassVar[tuple[tuple[str, StrOrPromise], ...]] = (
        ("quality", gettext_lazy("Quality of work")),
        ("communication", gettext_lazy("Communication")),
        ("timeliness", gettext_lazy("Timeliness")),
        ("value", gettext_lazy("Value for money")),
    )
    CLIENT_CRITERIA: ClassVar[tuple[tuple[str, StrOrPromise], ...]] = (
        ("clarity", gettext_lazy("Clarity of requirements")),
        ("responsiveness", gettext_lazy("Responsiveness")),
        ("payment_promptness", gettext_lazy("Payment promptness")),
    )

    contract = models.ForeignKey(
        "bids.Contract",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=gettext_lazy("contract"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviews_written",
        verbose_name=gettext_lazy("author"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviews_received",
        verbose_name=gettext_lazy("subject"),
    )
    author_role = models.CharField(
        max_length=6, choices=Role.choices, verbose_name=gettext_lazy("author role")
    )
    rating = models.PositiveSmallIntegerField(verbose_name=gettext_lazy("rating"))
    quality = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("quality")
    )
    communication = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("communication")
    )
    timeliness = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("timeliness")
    )
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("value")
    )
    clarity = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("clarity")
    )
    responsiveness = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("responsiveness")
    )
    payment_promptness = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("payment promptness")
    )
    text = models.TextField(max_length=5000, verbose_name=gettext_lazy("text"))
    would_work_again = models.BooleanField(verbose_name=gettext_lazy("would work again"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))
    published_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("published at")
    )
    reply = models.TextField(max_length=3000, blank=True, verbose_name=gettext_lazy("reply"))
    replied_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("replied at")
    )
    hidden = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Hidden by staff after moderation."),
        verbose_name=gettext_lazy("hidden"),
    )
    moderation_note = models.TextField(blank=True, verbose_name=gettext_lazy("moderation note"))

    class Meta:
        verbose_name = gettext_lazy("review")
        verbose_name_plural = gettext_lazy("reviews")
        ordering = ("-published_at", "-pk")
        constraints = [
            models.UniqueConstraint(fields=["contract", "author"], name="review_once_per_party"),
            models.UniqueConstraint(
                fields=["contract", "author_role"], name="review_once_per_side"
            ),
            models.CheckConstraint(condition=RATING_RANGE, name="review_rating_1_to_5"),
            models.CheckConstraint(
                condition=~Q(author=models.F("subject")), name="review_not_self"
            ),
            *(
                _criterion_check(name)
                for name in (
                    "quality",
                    "communication",
                    "timeliness",
                    "value",
                    "clarity",
                    "responsiveness",
                    "payment_promptness",
                )
            ),
        ]
        indexes = [
            models.Index(fields=["subject", "-published_at"], name="review_subject_recent"),
        ]

    def __str__(self) -> str:
        # Staff read this in the admin: who reviewed which work, never bare ids.
        return gettext("%(rating)s★ from %(author)s on “%(project)s”") % {
            "rating": self.rating,
            "author": self.author.display_name,
            "project": self.contract.project.title,
        }

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def criteria(self) -> list[tuple[StrOrPromise, int]]:
        names = (
            self.EXPERT_CRITERIA if self.author_role == self.Role.CLIENT else self.CLIENT_CRITERIA
        )
        return [(label, getattr(self, name)) for name, label in names if getattr(self, name)]


class ReviewReport(models.Model):
    """Someone involved flags a review; staff moderate it in the admin."""

    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Open")
        UPHELD = "upheld", gettext_lazy("Review hidden")
        DISMISSED = "dismissed", gettext_lazy("Dismissed")

    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=gettext_lazy("review"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    reason = models.TextField(max_length=2000, verbose_name=gettext_lazy("reason"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
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
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("review report")
        verbose_name_plural = gettext_lazy("review reports")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "by"],
                condition=Q(status="open"),
                name="review_report_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Report by %(by)s on the review from %(author)s") % {
            "by": self.by.display_name,
            "author": self.review.author.display_name,
        }


class Reputation(models.Model):
    """Aggregates shown on profiles and used in ranking; see reviews.reputation for the rules."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reputation",
        verbose_name=gettext_lazy("user"),
    )
    # As an expert
    rating_avg = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name=gettext_lazy("rating average"),
    )
    rating_count = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("rating count"))
    would_work_again = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("would work again")
    )
    completed_projects = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("completed projects")
    )
    ended_projects = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("ended projects")
    )
    on_time_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("on time rate")
    )  # percent
    rehire_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("rehire rate")
    )  # percent
    reliability = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("reliability")
    )  # 0 to 100
    reliability_inputs = models.JSONField(
        default=list, blank=True, verbose_name=gettext_lazy("reliability inputs")
    )
    # As a client
    client_rating_avg = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name=gettext_lazy("client rating average"),
    )
    client_rating_count = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("client rating count")
    )
    projects_posted = models.PositiveIntegerField(
        default=0, verbose_name=gettext_lazy("projects posted")
    )
    hires = models.PositiveIntegerField(default=0, verbose_name=gettext_lazy("hires"))
    hire_rate = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("hire rate")
    )  # percent
    payment_verified = models.BooleanField(
        default=False, verbose_name=gettext_lazy("payment verified")
    )
    updated_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("reputation")
        verbose_name_plural = gettext_lazy("reputations")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating_avg__isnull=True)
                | (Q(rating_avg__gte=1) & Q(rating_avg__lte=5)),
                name="reputation_rating_avg_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(reliability__isnull=True) | Q(reliability__lte=100),
                name="reputation_reliability_le_100",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Reputation of %(name)s") % {"name": self.user.display_name}
