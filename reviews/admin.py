"""Staff moderation: reports upheld (review hidden) or dismissed, reviews hidden or shown again.

Every action calls the reviews services, so reputation aggregates follow."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy, ngettext

from reviews import services
from reviews.exceptions import ReviewError
from reviews.models import Reputation, Review, ReviewPeriod, ReviewReport


def _run(request: HttpRequest, queryset: QuerySet[Any], action: Callable[[Any], Any]) -> None:
    done = 0
    for obj in queryset:
        try:
            action(obj)
            done += 1
        except ReviewError as error:
            messages.error(request, f"{obj}: {error}")
    if done:
        messages.success(
            request,
            ngettext("%(count)d updated.", "%(count)d updated.", done) % {"count": done},
        )


class ReportInline(admin.TabularInline):
    model = ReviewReport
    fields = ("created_at", "by", "reason", "status", "decided_by", "decided_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReviewReport]:
        # A report is named by who made it and the review's author.
        return super().get_queryset(request).select_related("by", "review__author", "decided_by")


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("pk", "contract", "author", "subject", "rating", "published_at", "hidden")
    list_select_related = ("contract__project", "contract__expert", "author", "subject")
    list_filter = ("author_role", "hidden", "rating")
    search_fields = ("author__email", "subject__email", "contract__project__title", "text")
    readonly_fields = (
        "contract",
        "author",
        "subject",
        "author_role",
        "rating",
        "quality",
        "communication",
        "timeliness",
        "value",
        "clarity",
        "responsiveness",
        "payment_promptness",
        "text",
        "would_work_again",
        "created_at",
        "published_at",
        "reply",
        "replied_at",
        "hidden",
    )
    fields = (*readonly_fields, "moderation_note")
    inlines = (ReportInline,)
    actions = ("hide", "show")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Hide the selected reviews"))
    def hide(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        user = request.user
        _run(
            request,
            queryset,
            lambda r: services.set_review_hidden(review=r, by=user, hidden=True),  # type: ignore[arg-type]
        )

    @admin.action(description=gettext_lazy("Show the selected reviews again"))
    def show(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        user = request.user
        _run(
            request,
            queryset,
            lambda r: services.set_review_hidden(review=r, by=user, hidden=False),  # type: ignore[arg-type]
        )


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "review", "by", "status", "created_at")
    # A review is named by its author and project.
    list_select_related = ("review__author", "review__contract__project", "by")
    list_filter = ("status",)
    readonly_fields = ("review", "by", "reason", "status", "decided_by", "decided_at", "created_at")
    actions = ("uphold", "dismiss")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=gettext_lazy("Uphold: hide the reviewed text"))
    def uphold(self, request: HttpRequest, queryset: QuerySet[ReviewReport]) -> None:
        user = request.user
        _run(
            request,
            queryset,
            lambda r: services.decide_report(report=r, by=user, hide=True),  # type: ignore[arg-type]
        )

    @admin.action(description=gettext_lazy("Dismiss: keep the review"))
    def dismiss(self, request: HttpRequest, queryset: QuerySet[ReviewReport]) -> None:
        user = request.user
        _run(
            request,
            queryset,
            lambda r: services.decide_report(report=r, by=user, hide=False),  # type: ignore[arg-type]
        )


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    list_display = ("contract", "opened_at", "closes_at", "published_at")
    list_select_related = ("contract__project", "contract__expert")  # a contract's name
    readonly_fields = (
        "contract",
        "opened_at",
        "closes_at",
        "published_at",
        "reminded_3_at",
        "reminded_10_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Reputation)
class ReputationAdmin(admin.ModelAdmin):
    list_display = ("user", "rating_avg", "rating_count", "completed_projects", "reliability")
    list_select_related = ("user",)
    search_fields = ("user__email",)
    readonly_fields = tuple(f.name for f in Reputation._meta.fields)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
