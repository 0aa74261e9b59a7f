"""A booking: the client accepted an expert's offer on a platform-fee project.

The client pays only the platform fee through escrow's checkout; the rest of the price is settled
directly between the parties and recorded here, never held. A booking is 1:1 with the
bids.Contract made when the offer was accepted, so reviews work per contract as for any other
engagement. Status changes only through bookings.services (see Booking.TRANSITIONS); each change
leaves a BookingEvent row.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib import admin
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from marketplace.history import shown_money


class BookingRequest(models.Model):
    """A private platform-fee project a client opened from a service listing."""

    project = models.OneToOneField(
        "projects.Project",
        on_delete=models.CASCADE,
        related_name="booking_request",
        verbose_name=gettext_lazy("project"),
    )
    listing = models.ForeignKey(
        "accounts.ServiceListing",
        on_delete=models.SET_NULL,
        null=True,
        related_name="requests",
        verbose_name=gettext_lazy("listing"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("booking request")
        verbose_name_plural = gettext_lazy("booking requests")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return gettext("Booking request: “%(project)s”") % {"project": self.project.title}


class Booking(models.Model):
    class Status(models.TextChoices):
        AWAITING_FEE = "awaiting_fee", gettext_lazy("Waiting for the platform fee")
        CONFIRMED = "confirmed", gettext_lazy("Confirmed: work can start")
        DONE = "done", gettext_lazy("Marked done by the expert")
        CHANGES_REQUESTED = "changes_requested", gettext_lazy("Changes requested")
        COMPLETED = "completed", gettext_lazy("Completed")

    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.AWAITING_FEE: frozenset({Status.CONFIRMED}),
        Status.CONFIRMED: frozenset({Status.DONE}),
        Status.DONE: frozenset({Status.COMPLETED, Status.CHANGES_REQUESTED}),
        Status.CHANGES_REQUESTED: frozenset({Status.DONE}),
        Status.COMPLETED: frozenset(),
    }

    contract = models.OneToOneField(
        "bids.Contract",
        on_delete=models.PROTECT,
        related_name="booking",
        verbose_name=gettext_lazy("contract"),
    )
    listing = models.ForeignKey(
        "accounts.ServiceListing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=gettext_lazy("listing"),
    )
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings_as_client",
        verbose_name=gettext_lazy("client"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings_as_expert",
        verbose_name=gettext_lazy("expert"),
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.AWAITING_FEE,
        db_index=True,
        verbose_name=gettext_lazy("status"),
    )
    price = models.BigIntegerField(
        help_text=gettext_lazy("Agreed price in minor units."), verbose_name=gettext_lazy("price")
    )
    fee = models.BigIntegerField(
        help_text=gettext_lazy("Platform fee the client pays here (minor units)."),
        verbose_name=gettext_lazy("fee"),
    )
    settled_directly = models.BigIntegerField(
        gettext_lazy("settled directly between the parties"),
        help_text=gettext_lazy(
            "Price minus the fee; paid by the client to the expert, never held here."
        ),
    )
    currency = models.CharField(max_length=3, verbose_name=gettext_lazy("currency"))
    fee_purchase = models.OneToOneField(
        "escrow.Purchase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("fee purchase"),
    )
    fee_paid_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("fee paid at")
    )
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("done at"))
    completed_at = models.DateTimeField(
        null=True, blank=True, verbose_name=gettext_lazy("completed at")
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("booking")
        verbose_name_plural = gettext_lazy("bookings")
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="booking_price_positive"),
            models.CheckConstraint(
                condition=Q(fee__gt=0) & Q(fee__lte=F("price")), name="booking_fee_in_price"
            ),
            models.CheckConstraint(
                condition=Q(settled_directly=F("price") - F("fee")),
                name="booking_settled_is_price_minus_fee",
            ),
            models.CheckConstraint(
                condition=Q(status="awaiting_fee") | Q(fee_paid_at__isnull=False),
                name="booking_fee_paid_before_work",
            ),
        ]

    def __str__(self) -> str:
        # Staff read this in the admin: the work and the expert, never bare ids.
        return gettext("Booking: “%(project)s” with %(expert)s") % {
            "project": self.contract.project.title,
            "expert": self.expert.display_name,
        }

    def get_absolute_url(self) -> str:
        return reverse("bookings:detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    @property
    def fee_reference(self) -> str:
        return f"booking:{self.pk}"


class BookingEvent(models.Model):
    """One row per status change: who, from, to, when, what happened (`code`, `params`) and a
    note. The sentence is written when the row is shown, in the reader's language (`text`);
    `note` is only what a person typed (what the expert did, what should change)."""

    class Code(models.TextChoices):
        OFFER_ACCEPTED = "offer_accepted", pgettext_lazy("history", "Offer accepted")
        FEE_PAID = "fee_paid", pgettext_lazy("history", "Platform fee of {amount} paid")
        MARKED_DONE = "marked_done", pgettext_lazy("history", "Marked done")
        CHANGES_REQUESTED = "changes_requested", pgettext_lazy("history", "Changes requested")
        COMPLETED = "completed", pgettext_lazy("history", "Completed")
        # Rows written before codes: their note is shown as stored.
        OTHER = "other", pgettext_lazy("history", "Other")

    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=gettext_lazy("booking"),
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    from_status = models.CharField(
        max_length=20, blank=True, verbose_name=gettext_lazy("from status")
    )
    to_status = models.CharField(
        max_length=20, choices=Booking.Status.choices, verbose_name=gettext_lazy("to status")
    )
    code = models.CharField(
        max_length=20, choices=Code.choices, default=Code.OTHER, verbose_name=gettext_lazy("code")
    )
    params = models.JSONField(default=dict, blank=True, verbose_name=gettext_lazy("params"))
    note = models.TextField(blank=True, verbose_name=gettext_lazy("note"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=gettext_lazy("created at"))

    class Meta:
        verbose_name = gettext_lazy("booking event")
        verbose_name_plural = gettext_lazy("booking events")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.from_label} → {self.get_to_status_display()}"

    @property
    @admin.display(description=gettext_lazy("from status"))
    def from_label(self) -> str:
        """The status before, in the active language (empty for the first row)."""
        return str(dict(Booking.Status.choices).get(self.from_status, self.from_status))

    @property
    def text(self) -> str:
        """What happened beyond the new status, in the active language; empty when the status
        says it all (or for old rows without a code)."""
        if self.code == self.Code.OFFER_ACCEPTED:
            return str(self.Code.OFFER_ACCEPTED.label)
        if self.code == self.Code.FEE_PAID:
            return str(self.Code.FEE_PAID.label).format(amount=shown_money(self.params or {}))
        return ""

    @property
    @admin.display(description=gettext_lazy("what happened"))
    def summary(self) -> str:
        """One line (admin): what happened and the typed note."""
        return " · ".join(part for part in (self.text, self.note) if part)
