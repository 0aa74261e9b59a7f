from django.contrib import admin

from accounts.models import ServiceListing
from bookings.models import Booking, BookingEvent, BookingRequest


class BookingEventInline(admin.TabularInline):
    model = BookingEvent
    extra = 0
    can_delete = False
    fields = ("from_label", "to_status", "by", "summary", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("pk", "contract", "client", "expert", "status", "price", "fee", "created_at")
    list_select_related = ("contract__project", "contract__expert", "client", "expert")
    list_filter = ("status",)
    search_fields = ("contract__project__title", "client__email", "expert__email")
    readonly_fields = [field.name for field in Booking._meta.fields]
    inlines = (BookingEventInline,)

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(BookingRequest)
class BookingRequestAdmin(admin.ModelAdmin):
    list_display = ("project", "listing", "created_at")
    list_select_related = ("project", "listing")
    raw_id_fields = ("project", "listing")


@admin.register(ServiceListing)
class ServiceListingAdmin(admin.ModelAdmin):
    list_display = ("title", "expert", "category", "price_from", "is_active", "created_at")
    list_filter = ("is_active", "category")
    search_fields = ("title", "expert__email")
    raw_id_fields = ("expert",)
    filter_horizontal = ("skills",)
