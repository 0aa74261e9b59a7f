"""Staff workflows: moderation (approve, reject with a reason, ask for clarification), assist
tasks, templates. Every action calls the same services the site uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy, ngettext

from accounts.models import User
from projects import services
from projects.exceptions import ProjectError
from projects.models import (
    AssistRequest,
    DigestPreference,
    ExtraFeeRequest,
    Invitation,
    ModerationDecision,
    Project,
    ProjectAttachment,
    ProjectStatusChange,
    ProjectTemplate,
    ProjectUpgrade,
)


def _staff(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - the admin site requires a staff login
    return request.user


class ReasonForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label=gettext_lazy("Message to the client")
    )


def _run(
    request: HttpRequest,
    queryset: QuerySet[Project],
    action: Callable[[Project], Any],
    done: Callable[[int], str],
) -> None:
    """`action` on each project; `done(count)` says how many succeeded."""
    ok = 0
    for project in queryset:
        try:
            action(project)
            ok += 1
        except ProjectError as error:
            messages.error(request, f"{project}: {error}")
    if ok:
        messages.success(request, done(ok) % {"count": ok})


def _with_note(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Project],
    *,
    title: str,
    action_name: str,
    service: Callable[..., Any],
    keyword: str,
    done: Callable[[int], str],
) -> HttpResponse | None:
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        note = form.cleaned_data["note"]
        _run(
            request,
            queryset,
            lambda project: service(project=project, by=_staff(request), **{keyword: note}),
            done,
        )
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "projects": queryset,
        "form": form,
        "action_name": action_name,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "projects/admin/moderate.html", context)


class AttachmentInline(admin.TabularInline):
    model = ProjectAttachment
    extra = 0
    fields = ("name", "size", "uploaded_by", "created_at")
    readonly_fields = fields
    can_delete = False


class HistoryInline(admin.TabularInline):
    model = ProjectStatusChange
    extra = 0
    fields = ("created_at", "by", "from_status", "to_status", "summary")
    readonly_fields = fields
    can_delete = False


class ModerationInline(admin.TabularInline):
    model = ModerationDecision
    extra = 0
    fields = ("created_at", "by", "decision", "note")
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ModerationDecision]:
        # A decision is named by its project.
        return super().get_queryset(request).select_related("project", "by")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "category", "kind", "status", "visibility", "published_at")
    list_filter = (
        "status",
        "kind",
        "visibility",
        "category",
        "restricted_to_businesses",
        "managed",
    )
    search_fields = ("title", "owner__email")
    raw_id_fields = ("owner",)
    filter_horizontal = ("skills", "languages")
    # Invited kinds are set up on the staff page (projects:fulfilment_new), which invites experts.
    readonly_fields = ("status", "kind", "published_at", "bid_count", "created_at", "updated_at")
    inlines = (ModerationInline, HistoryInline, AttachmentInline)
    actions = ("approve", "reject", "ask_for_clarification")

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # Staff edits (e.g. an Assist) keep the stored search vector current.
        services.refresh_search_vector(form.instance)

    @admin.action(description=gettext_lazy("Approve selected projects"))
    def approve(self, request: HttpRequest, queryset: QuerySet[Project]) -> None:
        _run(
            request,
            queryset,
            lambda project: services.approve_project(project=project, by=_staff(request)),
            lambda n: ngettext("Approved %(count)d project.", "Approved %(count)d projects.", n),
        )

    @admin.action(description=gettext_lazy("Reject selected projects (with a reason)"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Project]) -> HttpResponse | None:
        return _with_note(
            self,
            request,
            queryset,
            title=gettext("Reject projects"),
            action_name="reject",
            service=services.reject_project,
            keyword="reason",
            done=lambda n: ngettext(
                "Rejected %(count)d project.", "Rejected %(count)d projects.", n
            ),
        )

    @admin.action(description=gettext_lazy("Ask for clarification"))
    def ask_for_clarification(
        self, request: HttpRequest, queryset: QuerySet[Project]
    ) -> HttpResponse | None:
        return _with_note(
            self,
            request,
            queryset,
            title=gettext("Ask for clarification"),
            action_name="ask_for_clarification",
            service=services.request_clarification,
            keyword="note",
            done=lambda n: ngettext(
                "Asked for clarification on %(count)d project.",
                "Asked for clarification on %(count)d projects.",
                n,
            ),
        )


@admin.register(AssistRequest)
class AssistRequestAdmin(admin.ModelAdmin):
    list_display = ("project", "status", "created_at", "completed_at")
    list_select_related = ("project",)
    list_filter = ("status",)
    raw_id_fields = ("project", "upgrade", "completed_by")
    readonly_fields = ("status", "completed_at", "completed_by", "created_at")
    actions = ("mark_done",)

    @admin.action(description=gettext_lazy("Mark done and tell the client"))
    def mark_done(self, request: HttpRequest, queryset: QuerySet[AssistRequest]) -> None:
        for assist in queryset:
            try:
                services.complete_assist(assist=assist, by=_staff(request))
            except ProjectError as error:
                messages.error(request, f"{assist}: {error}")
            else:
                messages.success(
                    request, gettext("%(assist)s: done; the client was told.") % {"assist": assist}
                )


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "is_active", "position")
    list_editable = ("is_active", "position")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("skills",)


@admin.register(ProjectUpgrade)
class ProjectUpgradeAdmin(admin.ModelAdmin):
    list_display = ("project", "kind", "status", "amount", "created_at", "paid_at")
    list_select_related = ("project",)
    list_filter = ("kind", "status")
    raw_id_fields = ("project", "bought_by")
    readonly_fields = ("status", "amount", "currency", "purchase_ref", "paid_at", "created_at")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("project", "expert", "invited_by", "created_at")
    list_select_related = ("project", "expert", "invited_by")
    raw_id_fields = ("project", "expert", "invited_by")


@admin.register(DigestPreference)
class DigestPreferenceAdmin(admin.ModelAdmin):
    list_select_related = ("user",)  # a preference is named by its person


@admin.register(ExtraFeeRequest)
class ExtraFeeRequestAdmin(admin.ModelAdmin):
    """Read-only record: staff decide on the project's invitation page (one service credits)."""

    list_display = ("project", "expert", "amount", "status", "created_at", "decided_at")
    list_select_related = ("project", "expert")
    list_filter = ("status",)
    raw_id_fields = ("project", "expert", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
