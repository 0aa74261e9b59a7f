from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from bids.models import (
    Bid,
    BidAttachment,
    BidEvent,
    BidMilestone,
    Contract,
    ContractChange,
    ContractMilestone,
    OfferRevision,
)


class BidMilestoneInline(admin.TabularInline):
    model = BidMilestone
    extra = 0
    readonly_fields = ("title", "amount", "due_in_days", "position")
    can_delete = False


class BidAttachmentInline(admin.TabularInline):
    model = BidAttachment
    extra = 0
    readonly_fields = ("name", "size", "created_at")
    exclude = ("file",)
    can_delete = False


class BidEventInline(admin.TabularInline):
    model = BidEvent
    extra = 0
    fields = ("by", "from_status", "to_status", "summary", "created_at")
    readonly_fields = fields
    can_delete = False


@admin.register(Bid)
class BidAdmin(admin.ModelAdmin):
    """Read-mostly: status changes go through the bid pages (services), never this form."""

    list_display = ("pk", "project", "expert", "amount", "days", "status", "created_at")
    list_filter = ("status", "shortlisted")
    search_fields = ("project__title", "expert__email", "expert__name")
    raw_id_fields = ("project", "expert")
    readonly_fields = (
        "project",
        "expert",
        "number",
        "amount",
        "currency",
        "days",
        "status",
        "decline_reason",
        "created_at",
    )
    inlines = (BidMilestoneInline, BidAttachmentInline, BidEventInline)


class ContractMilestoneInline(admin.TabularInline):
    model = ContractMilestone
    extra = 0
    readonly_fields = ("title", "default_wording", "amount", "due_in_days", "position")
    can_delete = False


class ContractChangeInline(admin.TabularInline):
    model = ContractChange
    extra = 0
    readonly_fields = ("by", "shown_summary", "created_at")
    exclude = ("plan", "lines", "summary")
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContractChange]:
        # Each row is named by its contract's project; the "by" column shows a person.
        return super().get_queryset(request).select_related("contract__project", "by")


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("project", "client", "expert", "amount", "created_at")
    list_select_related = ("project", "client", "expert")
    search_fields = ("project__title", "client__email", "expert__email")
    readonly_fields = (
        "project",
        "bid",
        "client",
        "expert",
        "amount",
        "currency",
        "days",
        "scope",
        "proposal",
        "terms_accepted_at",
        "accepted_ip",
        "nda_required",
        "nda_accepted_at",
        "created_at",
    )
    inlines = (ContractMilestoneInline, ContractChangeInline)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(OfferRevision)
class OfferRevisionAdmin(admin.ModelAdmin):
    list_display = ("bid", "amount", "days", "status", "client_accepted_at", "expert_accepted_at")
    list_select_related = ("bid__expert", "bid__project")  # a bid is named by both
    list_filter = ("status",)
    readonly_fields = ("bid", "by", "client_accepted_at", "expert_accepted_at", "created_at")
