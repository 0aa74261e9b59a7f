"""Staff view of workspaces: read the timeline; decide disputes on the workspace page."""

from django.contrib import admin

from workspaces.models import Delivery, Dispute, Milestone, Workspace, WorkspaceEvent


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("contract_milestone", "status", "funded_amount", "auto_approve_at")
    readonly_fields = fields
    extra = 0
    can_delete = False


class EventInline(admin.TabularInline):
    model = WorkspaceEvent
    fields = ("created_at", "by", "milestone", "summary", "from_status", "to_status")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("pk", "contract", "status", "qc_reviewer", "created_at", "completed_at")
    list_filter = ("status",)
    search_fields = ("contract__project__title",)
    readonly_fields = (
        "contract",
        "status",
        "conversation",
        "created_at",
        "completed_at",
        "terminated_at",
        "terminated_by",
    )
    raw_id_fields = ("qc_reviewer",)
    inlines = (MilestoneInline, EventInline)

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ("pk", "milestone", "status", "outcome", "respond_by", "created_at")
    list_filter = ("status", "outcome")
    readonly_fields = (
        "milestone",
        "opened_by",
        "reason",
        "respond_by",
        "response",
        "responded_at",
        "status",
        "outcome",
        "payee_amount",
        "decision_note",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("pk", "milestone", "version", "qc_status", "created_at")
    list_filter = ("qc_status",)
    readonly_fields = ("milestone", "version", "note", "by", "qc_status", "qc_by", "qc_at")
