"""Referral leads: staff write a mandate from a prospect's call, matched providers buy it.

A mandate's client contact lives in its own table (MandateContact) and is read only through
``selectors.contact_for`` (buyers and staff), so a page for anyone else never loads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from accounts.countries import COUNTRIES, COUNTRY_NAMES
from accounts.models import Skill
from marketplace.history import shown_money


def _default_max_buyers() -> int:
    return int(getattr(settings, "LEAD_MAX_BUYERS", 4))


def _default_currency() -> str:
    return str(settings.PLATFORM_CURRENCY)


def half_of(amount: int) -> int:
    """50% of a price in minor units, rounded half up to the cent."""
    return (amount + 1) // 2


class LeadCriteria(models.Model):
    """What a provider wants to be sent: services, budget range, areas, and how to be told."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lead_criteria",
        verbose_name=gettext_lazy("user"),
    )
    is_active = models.BooleanField(gettext_lazy("send me referral leads"), default=True)
    skills = models.ManyToManyField(
        Skill, related_name="+", verbose_name=gettext_lazy("services offered")
    )
    budget_min = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget from")
    )
    budget_max = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget up to")
    )
    countries = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("countries"))
    regions = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("regions"))
    cities = models.JSONField(default=list, blank=True, verbose_name=gettext_lazy("cities"))
    notify_email = models.BooleanField(gettext_lazy("by email"), default=True)
    notify_in_app = models.BooleanField(gettext_lazy("in the app"), default=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=gettext_lazy("updated at"))

    class Meta:
        verbose_name = gettext_lazy("lead criteria")
        verbose_name_plural = gettext_lazy("lead criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True) | Q(budget_min__gte=0),
                name="leads_criteria_budget_min_positive",
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=F("budget_min")),
                name="leads_criteria_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Lead criteria of %(name)s") % {"name": self.user.display_name}

    @property
    def country_names(self) -> list[str]:
        return [str(COUNTRY_NAMES.get(code, code)) for code in self.countries]


class Mandate(models.Model):
    """A prospect's project, described by staff, sold to at most ``max_buyers`` providers."""

    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        PUBLISHED = "published", gettext_lazy("Published")
        COMPLETE = "complete", gettext_lazy("Complete")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "Withdrawn")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.PUBLISHED, Status.WITHDRAWN},
        Status.PUBLISHED: {Status.COMPLETE, Status.WITHDRAWN},
        Status.COMPLETE: set(),
        Status.WITHDRAWN: set(),
    }

    title = models.CharField(max_length=140, verbose_name=gettext_lazy("title"))
    description = models.TextField(max_length=10000, verbose_name=gettext_lazy("description"))
    skills = models.ManyToManyField(Skill, related_name="+", verbose_name=gettext_lazy("services"))
    budget_min = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget from")
    )
    budget_max = models.BigIntegerField(
        null=True, blank=True, verbose_name=gettext_lazy("budget up to")
    )
    currency = models.CharField(
        max_length=3, default=_default_currency, verbose_name=gettext_lazy("currency")
    )
    country = models.CharField(
        max_length=2, choices=COUNTRIES, blank=True, verbose_name=gettext_lazy("country")
    )
    region = models.CharField(max_length=80, blank=True, verbose_name=gettext_lazy("region"))
    city = models.CharField(max_length=80, blank=True, verbose_name=gettext_lazy("city"))
    price = models.BigIntegerField(gettext_lazy("referral price"))
    max_buyers = models.PositiveSmallIntegerField(
        default=_default_max_buyers, verbose_name=gettext_lazy("max buyers")
    )
    half_price_offered = models.BooleanField(
        default=True, verbose_name=gettext_lazy("half price offered")
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        verbose_name=gettext_lazy("status"),
    )
    buyers_count = models.PositiveSmallIntegerField(
        default=0, editable=False, verbose_name=gettext_lazy("buyers count")
    )
    published_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("published at")
    )
    half_price_due_at = models.DateTimeField(
        null=True, blank=True, db_index=True, verbose_name=gettext_lazy("half price due at")
    )
    half_price_settled_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("half price settled at")
    )
    completed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("completed at")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("mandate")
        verbose_name_plural = gettext_lazy("mandates")
        ordering = ("-id",)
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="leads_mandate_price_positive"),
            models.CheckConstraint(
                condition=Q(max_buyers__gte=1), name="leads_mandate_max_buyers_positive"
            ),
            # The cap, enforced by the database itself: no fifth buyer even if a lock is missed.
            models.CheckConstraint(
                condition=Q(buyers_count__lte=F("max_buyers")), name="leads_mandate_buyers_cap"
            ),
            models.CheckConstraint(
                condition=Q(budget_min__isnull=True)
                | Q(budget_max__isnull=True)
                | Q(budget_max__gte=F("budget_min")),
                name="leads_mandate_budget_range",
            ),
        ]

    def __str__(self) -> str:
        # As the buyers' statements name it ("Referral lead #12: …"): the number is theirs too.
        return gettext("Referral lead #%(number)s: %(title)s") % {
            "number": self.pk,
            "title": self.title,
        }

    @property
    def half_price(self) -> int:
        return half_of(self.price)

    @property
    def places_left(self) -> int:
        return max(self.max_buyers - self.buyers_count, 0)

    @property
    def is_complete(self) -> bool:
        return self.buyers_count >= self.max_buyers

    @property
    def country_name(self) -> str:
        return str(COUNTRY_NAMES.get(self.country, self.country))

    @property
    def area(self) -> str:
        parts = [self.city, self.region, self.country_name]
        return ", ".join(part for part in parts if part) or gettext("Anywhere / remote")


class MandateContact(models.Model):
    """The prospect's contact details: shown to buyers and staff only."""

    mandate = models.OneToOneField(
        Mandate,
        on_delete=models.CASCADE,
        related_name="contact",
        verbose_name=gettext_lazy("mandate"),
    )
    name = models.CharField(gettext_lazy("contact name"), max_length=150)
    company = models.CharField(max_length=150, blank=True, verbose_name=gettext_lazy("company"))
    email = models.EmailField(blank=True, verbose_name=gettext_lazy("email"))
    phone = models.CharField(max_length=40, blank=True, verbose_name=gettext_lazy("phone"))
    notes = models.TextField(gettext_lazy("notes for buyers"), max_length=2000, blank=True)

    class Meta:
        verbose_name = gettext_lazy("mandate contact")
        verbose_name_plural = gettext_lazy("mandate contacts")

    def __str__(self) -> str:
        return gettext("Contact for “%(mandate)s”") % {"mandate": self.mandate.title}


class LeadOffer(models.Model):
    """A mandate sent to one matching provider, and that provider's decision on it."""

    class Status(models.TextChoices):
        NEW = "new", gettext_lazy("New")
        BOUGHT = "bought", gettext_lazy("Bought")
        REFUSED = "refused", gettext_lazy("Refused")
        RESERVED = "reserved", gettext_lazy("Reserved at half price")
        LAPSED = "lapsed", gettext_lazy("Half-price reservation lapsed")

    TRANSITIONS: dict[str, set[str]] = {
        Status.NEW: {Status.BOUGHT, Status.REFUSED, Status.RESERVED},
        Status.REFUSED: {Status.BOUGHT, Status.RESERVED},
        Status.RESERVED: {Status.BOUGHT, Status.REFUSED, Status.LAPSED},
        Status.LAPSED: {Status.BOUGHT},
        Status.BOUGHT: set(),
    }

    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=gettext_lazy("mandate"),
    )
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lead_offers",
        verbose_name=gettext_lazy("provider"),
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        verbose_name=gettext_lazy("status"),
    )
    refusal_reason = models.CharField(
        max_length=500, blank=True, verbose_name=gettext_lazy("refusal reason")
    )
    # Why a half-price reservation lapsed: its code and amount (`lapse_params`, the same params as
    # the history row), written in the reader's language by `shown_lapse_reason`. `lapse_reason`
    # only keeps a sentence stored before that could not be read back.
    lapse_params = models.JSONField(
        default=dict, blank=True, verbose_name=gettext_lazy("lapse params")
    )
    lapse_reason = models.CharField(
        max_length=200, blank=True, verbose_name=gettext_lazy("lapse reason")
    )
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("sent at"))
    notified_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("notified at")
    )
    reserved_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("reserved at")
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )

    class Meta:
        verbose_name = gettext_lazy("lead offer")
        verbose_name_plural = gettext_lazy("lead offers")
        ordering = ("-sent_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["mandate", "provider"], name="leads_offer_once"),
        ]
        indexes = [models.Index(fields=["provider", "status"], name="leads_offer_inbox_idx")]

    def __str__(self) -> str:
        return gettext("“%(mandate)s” offered to %(provider)s (%(status)s)") % {
            "mandate": self.mandate.title,
            "provider": self.provider.display_name,
            "status": self.get_status_display(),
        }

    @property
    def shown_lapse_reason(self) -> str:
        """Why the reservation lapsed, in the active language."""
        return lead_event_params_text(self.lapse_params or {}) or self.lapse_reason


class LeadPurchase(models.Model):
    """A provider bought a mandate (at full price, or at half price through a reservation)."""

    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=gettext_lazy("mandate"),
    )
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="lead_purchases",
        verbose_name=gettext_lazy("buyer"),
    )
    offer = models.OneToOneField(
        LeadOffer,
        on_delete=models.PROTECT,
        related_name="purchase",
        verbose_name=gettext_lazy("offer"),
    )
    price = models.BigIntegerField(verbose_name=gettext_lazy("price"))
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    half_price = models.BooleanField(default=False, verbose_name=gettext_lazy("half price"))
    transaction = models.ForeignKey(
        "escrow.LedgerTransaction",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=gettext_lazy("transaction"),
    )
    credited_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("credited at")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("lead purchase")
        verbose_name_plural = gettext_lazy("lead purchases")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(fields=["mandate", "buyer"], name="leads_purchase_once"),
            models.CheckConstraint(condition=Q(price__gt=0), name="leads_purchase_positive"),
        ]

    def __str__(self) -> str:
        return gettext("“%(mandate)s” bought by %(buyer)s") % {
            "mandate": self.mandate.title,
            "buyer": self.buyer.display_name,
        }


class CreditRequest(models.Model):
    """A buyer could not present their services; staff credit the price back or refuse."""

    class Reason(models.TextChoices):
        CLIENT_CHOSE = "client_chose", gettext_lazy("The client had already chosen a provider")
        WRONG_DESCRIPTION = "wrong_description", gettext_lazy("The description was wrong")
        UNREACHABLE = "unreachable", gettext_lazy("The client could not be reached")
        OTHER = "other", gettext_lazy("Another reason")

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for a decision")
        ACCEPTED = "accepted", gettext_lazy("Accepted: credited")
        REFUSED = "refused", gettext_lazy("Refused")

    purchase = models.ForeignKey(
        LeadPurchase,
        on_delete=models.PROTECT,
        related_name="credit_requests",
        verbose_name=gettext_lazy("purchase"),
    )
    reason = models.CharField(
        max_length=20, choices=Reason.choices, verbose_name=gettext_lazy("reason")
    )
    explanation = models.TextField(max_length=3000, verbose_name=gettext_lazy("explanation"))
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        verbose_name=gettext_lazy("status"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("decided by"),
    )
    decided_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("decided at")
    )
    refusal_reason = models.TextField(
        max_length=2000, blank=True, verbose_name=gettext_lazy("refusal reason")
    )
    credit_transaction = models.ForeignKey(
        "escrow.LedgerTransaction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("credit transaction"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("credit request")
        verbose_name_plural = gettext_lazy("credit requests")
        ordering = ("-created_at", "-id")
        constraints = [
            # One open or accepted request per purchase; a refused one may be followed by another.
            models.UniqueConstraint(
                fields=["purchase"],
                condition=Q(status__in=["pending", "accepted"]),
                name="leads_credit_request_open_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="leads_credit_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Credit request from %(buyer)s on “%(mandate)s” (%(status)s)") % {
            "buyer": self.purchase.buyer.display_name,
            "mandate": self.purchase.mandate.title,
            "status": self.get_status_display(),
        }


class LeadEvent(models.Model):
    """History: who did what to a mandate or an offer, when (the staff page reads it).

    `action` says what happened and `params` its variable parts (a price in minor units with its
    currency, how many providers, the credit reason's code); `shown_detail` writes them in the
    reader's language. `detail` is only what a person typed (a refusal reason)."""

    mandate = models.ForeignKey(
        Mandate,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=gettext_lazy("mandate"),
    )
    offer = models.ForeignKey(
        LeadOffer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=gettext_lazy("offer"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("actor"),
    )
    action = models.CharField(max_length=40, verbose_name=gettext_lazy("action"))
    from_status = models.CharField(
        max_length=12, blank=True, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(max_length=12, blank=True, verbose_name=gettext_lazy("to status"))
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    detail = models.CharField(max_length=300, blank=True, verbose_name=gettext_lazy("detail"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created at"))

    ACTION_LABELS: ClassVar[dict[str, StrOrPromise]] = {
        "created": gettext_lazy("Created"),
        "published": gettext_lazy("Published"),
        "withdrawn": pgettext_lazy("status", "Withdrawn"),
        "complete": gettext_lazy("Complete: every place sold"),
        "bought": gettext_lazy("Bought"),
        "bought_half_price": gettext_lazy("Awarded at half price"),
        "reserved": gettext_lazy("Reserved at half price"),
        "refused": gettext_lazy("Refused"),
        "reservation_lapsed": gettext_lazy("Half-price reservation lapsed"),
        "credit_requested": gettext_lazy("Credit requested"),
        "credit_accepted": gettext_lazy("Credit accepted"),
        "credit_refused": gettext_lazy("Credit refused"),
    }

    class Meta:
        verbose_name = gettext_lazy("lead event")
        verbose_name_plural = gettext_lazy("lead events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.label

    @property
    @admin.display(description=gettext_lazy("what happened"))
    def label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action.replace("_", " ").capitalize()))

    @property
    @admin.display(description=gettext_lazy("from status"))
    def from_label(self) -> str:
        return _status_label(self.from_status)

    @property
    @admin.display(description=gettext_lazy("to status"))
    def to_label(self) -> str:
        return _status_label(self.to_status)

    @property
    @admin.display(description=gettext_lazy("details"))
    def shown_detail(self) -> str:
        """The event's variable parts in the active language, then what a person typed."""
        return " · ".join(
            part for part in (lead_event_params_text(self.params or {}), self.detail) if part
        )


def _status_label(value: str) -> str:
    """A mandate's or an offer's status (a history row may hold either) in the active language."""
    for choices in (Mandate.Status, LeadOffer.Status):
        if value in choices.values:
            return str(choices(value).label)
    return value


def lead_event_params_text(params: dict[str, Any]) -> str:
    if "providers" in params:
        count = int(params["providers"])
        return ngettext("sent to {count} provider", "sent to {count} providers", count).format(
            count=count
        )
    if params.get("why") == "complete":
        return gettext("The lead was complete in time.")
    if params.get("why") == "balance":
        return gettext("Your balance did not cover {amount}.").format(amount=shown_money(params))
    if "reason" in params:
        reason = params["reason"]
        return (
            str(CreditRequest.Reason(reason).label)
            if reason in CreditRequest.Reason.values
            else reason
        )
    if "amount" in params:
        return shown_money(params)
    return ""
