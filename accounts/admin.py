"""Staff tools for people, profiles, the taxonomy and company verification."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from accounts import services, taxonomy
from accounts.exceptions import AccountsError
from accounts.models import (
    ClientProfile,
    CompanyDocument,
    CompanyProfile,
    CompanyVerificationEvent,
    Experience,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    PortfolioItem,
    Qualification,
    Skill,
    SkillCategory,
    TaxonomyRequest,
    User,
)
from marketplace.admin import DecisionAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("-date_joined",)
    list_display = (
        "email",
        "name",
        "account_type",
        "is_client",
        "is_expert",
        "active_role",
        "is_staff",
        "is_active",
        "date_joined",
    )
    list_filter = ("account_type", "is_client", "is_expert", "is_staff", "is_active")
    search_fields = ("email", "name")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (gettext_lazy("Person"), {"fields": ("name", "account_type")}),
        (gettext_lazy("Roles"), {"fields": ("is_client", "is_expert", "active_role")}),
        (
            gettext_lazy("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (gettext_lazy("Important dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "account_type", "password1", "password2"),
            },
        ),
    )


class SkillInline(admin.TabularInline):
    model = Skill
    extra = 0
    fields = ("name", "name_de", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SkillCategory)
class SkillCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_de", "slug", "position")
    list_editable = ("name_de", "position")
    search_fields = ("name", "name_de")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (SkillInline,)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name", "name_de", "category", "slug")
    list_editable = ("name_de",)
    list_filter = ("category",)
    search_fields = ("name", "name_de", "slug")
    prepopulated_fields = {"slug": ("name",)}
    list_select_related = ("category",)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "name_de", "code")
    list_editable = ("name_de",)
    search_fields = ("name", "name_de", "code")


class ExpertSkillInline(admin.TabularInline):
    model = ExpertSkill
    extra = 0
    autocomplete_fields = ("skill",)


class ExpertLanguageInline(admin.TabularInline):
    model = ExpertLanguage
    extra = 0


class QualificationInline(admin.TabularInline):
    model = Qualification
    extra = 0


class ExperienceInline(admin.StackedInline):
    model = Experience
    extra = 0


class PortfolioItemInline(admin.StackedInline):
    model = PortfolioItem
    extra = 0
    readonly_fields = ("image_thumbnail",)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "headline", "country", "city", "hourly_rate", "remote_ok", "updated_at")
    list_filter = ("country", "remote_ok", "currency")
    search_fields = ("user__email", "user__name", "headline", "bio")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("avatar_thumbnail", "created_at", "updated_at")
    inlines = (
        ExpertSkillInline,
        ExpertLanguageInline,
        QualificationInline,
        ExperienceInline,
        PortfolioItemInline,
    )


@admin.register(ExpertSkill)
class ExpertSkillAdmin(admin.ModelAdmin):
    list_display = ("profile", "skill", "level", "years")
    list_filter = ("level", "skill__category")
    search_fields = ("profile__user__email", "skill__name")
    list_select_related = ("profile__user", "skill")
    raw_id_fields = ("profile",)


@admin.register(ExpertLanguage)
class ExpertLanguageAdmin(admin.ModelAdmin):
    list_display = ("profile", "language", "level")
    list_filter = ("level", "language")
    search_fields = ("profile__user__email", "language__name")
    list_select_related = ("profile__user", "language")
    raw_id_fields = ("profile",)


@admin.register(Qualification)
class QualificationAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "institution", "year", "profile")
    list_filter = ("kind",)
    search_fields = ("title", "institution", "profile__user__email")
    list_select_related = ("profile__user",)
    raw_id_fields = ("profile",)


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ("title", "organisation", "start_year", "end_year", "profile")
    search_fields = ("title", "organisation", "profile__user__email")
    list_select_related = ("profile__user",)
    list_filter = ("end_year",)
    raw_id_fields = ("profile",)


@admin.register(PortfolioItem)
class PortfolioItemAdmin(admin.ModelAdmin):
    list_display = ("title", "profile", "url", "created_at")
    search_fields = ("title", "description", "profile__user__email")
    list_select_related = ("profile__user",)
    list_filter = ("created_at",)
    raw_id_fields = ("profile",)
    readonly_fields = ("image_thumbnail",)


@admin.register(ClientProfile)
class ClientProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "country", "city", "created_at")
    list_filter = ("country",)
    search_fields = ("user__email", "user__name", "display_name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)


class CompanyDocumentInline(admin.TabularInline):
    model = CompanyDocument
    extra = 0
    fields = ("download", "size", "uploaded_at")
    readonly_fields = ("download", "size", "uploaded_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=gettext_lazy("document"))
    def download(self, document: CompanyDocument) -> str:
        return format_html(
            '<a href="{}">{}</a>', document.get_absolute_url(), document.original_name
        )


class VerificationEventInline(admin.TabularInline):
    model = CompanyVerificationEvent
    extra = 0
    fields = ("created_at", "from_status", "to_status", "by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[CompanyVerificationEvent]:
        # Each step is named by its company; the "by" column shows a person.
        return super().get_queryset(request).select_related("company", "by")


def _verified(count: int) -> str:
    return ngettext("Verified %(count)d company.", "Verified %(count)d companies.", count) % {
        "count": count
    }


def _rejected(count: int) -> str:
    return ngettext("Rejected %(count)d company.", "Rejected %(count)d companies.", count) % {
        "count": count
    }


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=gettext_lazy(
            "Sent to each company: say what is missing or wrong and how to fix it."
        ),
    )


@admin.register(CompanyProfile)
class CompanyProfileAdmin(admin.ModelAdmin):
    list_display = (
        "legal_name",
        "user",
        "registration_number",
        "country",
        "verification_status",
        "submitted_at",
        "verified_at",
    )
    list_filter = ("verification_status", "country")
    search_fields = ("legal_name", "registration_number", "user__email", "user__name")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    date_hierarchy = "submitted_at"
    readonly_fields = (
        "verification_status",
        "rejection_reason",
        "submitted_at",
        "verified_at",
        "verified_by",
        "logo_thumbnail",
        "created_at",
        "updated_at",
    )
    inlines = (CompanyDocumentInline, VerificationEventInline)
    actions = ("verify_selected", "reject_selected")

    @admin.action(description=gettext_lazy("Verify selected companies"))
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[CompanyProfile]) -> None:
        done = 0
        for company in queryset:
            try:
                services.verify_company(company=company, by=request.user)  # type: ignore[arg-type]
            except (AccountsError, PermissionDenied) as error:
                self.message_user(request, f"{company}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _verified(done))

    @admin.action(description=gettext_lazy("Reject selected companies"))
    def reject_selected(
        self, request: HttpRequest, queryset: QuerySet[CompanyProfile]
    ) -> HttpResponse | None:
        form = RejectionForm(request.POST if "reason" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for company in queryset:
                try:
                    services.reject_company(
                        company=company,
                        by=request.user,  # type: ignore[arg-type]
                        reason=form.cleaned_data["reason"],
                    )
                except (AccountsError, PermissionDenied) as error:
                    self.message_user(request, f"{company}: {error}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(request, _rejected(done))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject companies"),
            "opts": self.model._meta,
            "companies": queryset,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "accounts/admin/reject_companies.html", context)


@admin.register(CompanyDocument)
class CompanyDocumentAdmin(admin.ModelAdmin):
    list_display = ("original_name", "company", "size", "uploaded_at", "download")
    search_fields = ("original_name", "company__legal_name", "company__user__email")
    list_filter = ("uploaded_at",)
    list_select_related = ("company",)
    raw_id_fields = ("company",)
    readonly_fields = ("company", "file", "original_name", "size", "uploaded_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("download"))
    def download(self, document: CompanyDocument) -> str:
        return format_html('<a href="{}">{}</a>', document.get_absolute_url(), gettext("Download"))


@admin.register(CompanyVerificationEvent)
class CompanyVerificationEventAdmin(admin.ModelAdmin):
    list_display = ("company", "from_status", "to_status", "by", "created_at")
    list_filter = ("to_status", "created_at")
    search_fields = ("company__legal_name", "note")
    list_select_related = ("company", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# TaxonomyRequest.where's tokens, as words in the reader's language.
WHERE = {
    "project": gettext_lazy("project"),
    "listing": gettext_lazy("listing"),
    "profile": gettext_lazy("profile"),
}


@admin.register(TaxonomyRequest)
class TaxonomyRequestAdmin(DecisionAdmin):
    """The queue of requests for a missing skill, category or job type: accept (created and
    put where it was missing) or refuse with a reason, on the request's page."""

    list_display = ("created_at", "kind", "name", "category", "requester", "where", "status")
    list_filter = ("status", "kind")
    search_fields = ("name", "requester__email", "note")
    list_select_related = ("requester", "category")
    fields = (
        "requester",
        "kind",
        "name",
        "category",
        "note",
        "where",
        "project",
        "listing",
        "status",
        "refusal_reason",
        "created_skill",
        "created_category",
        "decided_by",
        "decided_at",
        "created_at",
    )
    readonly_fields = fields
    accept_label = gettext_lazy("Accept: add it and put it in place")
    refusals = (AccountsError,)

    def is_pending(self, obj: TaxonomyRequest) -> bool:
        return obj.status == TaxonomyRequest.Status.PENDING

    def decide_accept(self, request: HttpRequest, obj: TaxonomyRequest) -> str:
        taxonomy.accept_taxonomy_request(request=obj, by=request.user)  # type: ignore[arg-type]
        return gettext("“%(name)s” added; %(requester)s was told.") % {
            "name": obj.name,
            "requester": obj.requester.display_name,
        }

    def decide_refuse(self, request: HttpRequest, obj: TaxonomyRequest, reason: str) -> str:
        taxonomy.refuse_taxonomy_request(request=obj, by=request.user, reason=reason)  # type: ignore[arg-type]
        return gettext("Refused: the requester was told why.")

    @admin.display(description=gettext_lazy("Asked from"))
    def where(self, obj: TaxonomyRequest) -> str:
        return str(WHERE.get(obj.where, obj.where))
