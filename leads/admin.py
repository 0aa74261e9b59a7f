"""Staff views of referral leads. Actions call the same services as the staff pages.

Mandates are written and published on the staff pages (/leads/staff/), which go through the
services; here they are browsed, published or withdrawn. Credit requests are decided here:
accept (credited once) or refuse with a reason typed on an intermediate page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from accounts.models import User
from leads import services
from leads.exceptions import LeadError
from leads.forms import RefuseCreditForm
from leads.models import (
    CreditRequest,
    LeadCriteria,
    LeadEvent,
    LeadOffer,
    LeadPurchase,
    Mandate,
    MandateContact,
)
from marketplace.admin import DecisionAdmin
from marketplace.formats import shown_datetime


def _staff(request: HttpRequest) -> User:
    return cast(User, request.user)  # the admin site only lets staff in


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ContactInline(admin.StackedInline):
    model = MandateContact
    can_delete = False
    extra = 0


class PurchaseInline(ReadOnlyInline):
    model = LeadPurchase
    fields = ("buyer", "price", "currency", "half_price", "created_at", "credited_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeadPurchase]:
        # A purchase is named by its mandate and buyer.
        return super().get_queryset(request).select_related("mandate", "buyer")


class OfferInline(ReadOnlyInline):
    model = LeadOffer
    fields = ("provider", "status", "refusal_reason", "reserved_at", "notified_at")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeadOffer]:
        # An offer is named by its mandate and provider.
        return super().get_queryset(request).select_related("mandate", "provider")


class EventInline(ReadOnlyInline):
    model = LeadEvent
    fields = ("created_at", "label", "actor", "from_label", "to_label", "shown_detail")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeadEvent]:
        return super().get_queryset(request).select_related("actor")


def _run(
    request: HttpRequest, queryset: QuerySet[Any], action: Any, done: Callable[[int], str]
) -> None:
    """`action` on each row; `done(count)` says how many succeeded."""
    count = 0
    for obj in queryset:
        try:
            action(obj)
        except LeadError as error:
            messages.error(request, f"{obj}: {error}")
        else:
            count += 1
    if count:
        messages.success(request, done(count) % {"count": count})


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "status",
        "price",
        "buyers_count",
        "max_buyers",
        "half_price_offered",
        "published_at",
    )
    list_filter = ("status", "half_price_offered")
    search_fields = ("title", "description")
    readonly_fields = (
        "status",
        "buyers_count",
        "published_at",
        "half_price_due_at",
        "half_price_settled_at",
        "completed_at",
        "created_by",
        "staff_page",
    )
    inlines = (ContactInline, PurchaseInline, OfferInline, EventInline)
    actions = ("publish", "withdraw")

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponseRedirect:
        # Mandates are written on the staff page, which goes through the services.
        return HttpResponseRedirect(reverse("leads:staff_new"))

    @admin.display(description=gettext_lazy("Staff page"))
    def staff_page(self, obj: Mandate) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("leads:staff_detail", kwargs={"pk": obj.pk}),
            gettext("Open the staff page"),
        )

    @admin.action(description=gettext_lazy("Publish and send to matching providers"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Mandate]) -> None:
        _run(
            request,
            queryset,
            lambda m: services.publish_mandate(mandate=m, by=_staff(request)),
            lambda n: ngettext("%(count)d mandate published.", "%(count)d mandates published.", n),
        )

    @admin.action(description=pgettext_lazy("mandate", "Withdraw"))
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Mandate]) -> None:
        _run(
            request,
            queryset,
            lambda m: services.withdraw_mandate(mandate=m, by=_staff(request)),
            lambda n: ngettext("%(count)d mandate withdrawn.", "%(count)d mandates withdrawn.", n),
        )


@admin.register(CreditRequest)
class CreditRequestAdmin(DecisionAdmin):
    """The provider's request to get a lead's price back: who, which lead, how much, why, what
    happened so far, and Accept / Refuse on the page itself."""

    list_display = ("id", "buyer", "mandate", "amount", "reason", "status", "created_at")
    list_filter = ("status", "reason")
    list_select_related = ("purchase__buyer", "purchase__mandate")
    search_fields = ("purchase__buyer__email", "purchase__buyer__name", "purchase__mandate__title")
    fields = ("buyer", "mandate", "amount", "reason", "explanation", "status", "history")
    readonly_fields = fields
    actions = ("accept", "refuse")
    accept_label = gettext_lazy("Accept: credit the price back")
    refuse_label = gettext_lazy("Refuse")
    refusal_help = gettext_lazy("The provider reads this reason.")
    refusals = (LeadError,)

    def is_pending(self, obj: CreditRequest) -> bool:
        return obj.status == CreditRequest.Status.PENDING

    def decide_accept(self, request: HttpRequest, obj: CreditRequest) -> str:
        services.accept_credit_request(credit_request=obj, by=_staff(request))
        return gettext("Accepted: %(amount)s credited back to %(buyer)s.") % {
            "amount": self.amount(obj),
            "buyer": obj.purchase.buyer.display_name,
        }

    def decide_refuse(self, request: HttpRequest, obj: CreditRequest, reason: str) -> str:
        services.refuse_credit_request(credit_request=obj, by=_staff(request), reason=reason)
        return gettext("Refused: the provider was told why.")

    @admin.display(description=gettext_lazy("Buyer"))
    def buyer(self, obj: CreditRequest) -> str:
        buyer = obj.purchase.buyer
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:accounts_user_change", args=[buyer.pk]),
            buyer.display_name,
            buyer.email,
        )

    @admin.display(description=gettext_lazy("Mandate"))
    def mandate(self, obj: CreditRequest) -> str:
        mandate = obj.purchase.mandate
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:leads_mandate_change", args=[mandate.pk]),
            mandate.title,
        )

    @admin.display(description=gettext_lazy("Amount"))
    def amount(self, obj: CreditRequest) -> str:
        from marketplace.money import format_money

        return format_money(obj.purchase.price, obj.purchase.currency)

    @admin.display(description=gettext_lazy("History"))
    def history(self, obj: CreditRequest) -> str:
        purchase = obj.purchase
        rows: list[tuple[datetime | None, str]] = [
            (
                purchase.created_at,
                gettext("Lead bought at half price")
                if purchase.half_price
                else gettext("Lead bought"),
            ),
            (
                obj.created_at,
                gettext("Credit requested: %(reason)s") % {"reason": obj.get_reason_display()},
            ),
        ]
        if obj.decided_at is not None:
            rows.append(
                (
                    obj.decided_at,
                    gettext("%(status)s by %(staff)s")
                    % {"status": obj.get_status_display(), "staff": obj.decided_by}
                    + (f": {obj.refusal_reason}" if obj.refusal_reason else ""),
                )
            )
        earlier = (
            CreditRequest.objects.filter(purchase__buyer=purchase.buyer).exclude(pk=obj.pk).count()
        )
        rows.append(
            (
                None,
                gettext("Other credit requests by this provider: %(count)d") % {"count": earlier},
            )
        )
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{}{}</li>",
                ((f"{shown_datetime(when)}: " if when else "", text) for when, text in rows),
            ),
        )

    @admin.action(description=gettext_lazy("Accept: credit the price back"))
    def accept(self, request: HttpRequest, queryset: QuerySet[CreditRequest]) -> None:
        _run(
            request,
            queryset,
            lambda r: services.accept_credit_request(credit_request=r, by=_staff(request)),
            lambda n: ngettext(
                "%(count)d credit request accepted and credited.",
                "%(count)d credit requests accepted and credited.",
                n,
            ),
        )

    @admin.action(description=gettext_lazy("Refuse (with a reason)"))
    def refuse(
        self, request: HttpRequest, queryset: QuerySet[CreditRequest]
    ) -> TemplateResponse | HttpResponseRedirect | None:
        form = RefuseCreditForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            _run(
                request,
                queryset,
                lambda r: services.refuse_credit_request(
                    credit_request=r, by=_staff(request), reason=form.cleaned_data["reason"]
                ),
                lambda n: ngettext(
                    "%(count)d credit request refused.", "%(count)d credit requests refused.", n
                ),
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Refuse credit requests"),
            "form": form,
            "requests": queryset,
            "opts": self.model._meta,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "leads/admin/refuse_credit.html", context)


@admin.register(LeadCriteria)
class LeadCriteriaAdmin(admin.ModelAdmin):
    list_display = (
        "user",
        "is_active",
        "budget_min",
        "budget_max",
        "notify_email",
        "notify_in_app",
    )
    list_filter = ("is_active",)
    search_fields = ("user__email",)
    list_select_related = ("user",)
    filter_horizontal = ("skills",)


@admin.register(LeadPurchase)
class LeadPurchaseAdmin(admin.ModelAdmin):
    list_display = ("mandate", "buyer", "price", "half_price", "created_at", "credited_at")
    list_select_related = ("mandate", "buyer")
    readonly_fields = (
        "mandate",
        "buyer",
        "offer",
        "price",
        "currency",
        "half_price",
        "transaction",
        "credited_at",
        "created_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
