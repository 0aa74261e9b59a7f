"""Staff view of workspaces: read the timeline; decide disputes on the workspace page."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from workspaces.models import Delivery, Dispute, Milestone, Workspace, WorkspaceEvent

# What names a milestone ("“Project” · title"): its contract milestone and its project.
MILESTONE_NAME = ("contract_milestone", "workspace__contract__project")


class MilestoneInline(admin.TabularInline):
    model = Milestone
    fields = ("contract_milestone", "status", "funded_amount", "auto_approve_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Milestone]:
        return super().get_queryset(request).select_related(*MILESTONE_NAME)


class EventInline(admin.TabularInline):
    model = WorkspaceEvent
    fields = ("created_at", "by", "milestone", "summary", "from_label", "to_label")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkspaceEvent]:
        named = (f"milestone__{path}" for path in MILESTONE_NAME)
        return super().get_queryset(request).select_related("by", *named)


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("pk", "contract", "status", "qc_reviewer", "created_at", "completed_at")
    list_filter = ("status",)
    list_select_related = ("contract__project", "contract__expert", "qc_reviewer")
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
    list_select_related = tuple(f"milestone__{path}" for path in MILESTONE_NAME)
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
    list_select_related = tuple(f"milestone__{path}" for path in MILESTONE_NAME)
    readonly_fields = ("milestone", "version", "note", "by", "qc_status", "qc_by", "qc_at")
