"""Accounts pages: role switch, profile editing, public profiles, private documents."""

import mimetypes
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Model
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language, get_language
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts import selectors, services, taxonomy
from accounts.exceptions import AccountsError
from accounts.forms import (
    BaseLanguageFormSet,
    BaseSkillFormSet,
    ClientProfileForm,
    CompanyDocumentForm,
    CompanyProfileForm,
    ExperienceForm,
    ExpertBasicsForm,
    ImageUploadForm,
    LanguageForm,
    LanguageFormSet,
    PortfolioItemForm,
    QualificationForm,
    SkillFormSet,
    TaxonomyRequestForm,
)
from accounts.models import (
    ClientProfile,
    CompanyDocument,
    CompanyProfile,
    Experience,
    ExpertProfile,
    PortfolioItem,
    Qualification,
    ServiceListing,
    TaxonomyRequest,
    User,
)


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


PUBLIC_MEDIA_FOLDERS = {"avatars", "portfolio", "logos", "thumbnails"}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - login_required guarantees it
    return request.user


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _add_errors(form: BaseForm, error: Exception) -> None:
    """A service refusal shown on the form: field errors beside fields, the rest on top."""
    if isinstance(error, ValidationError):
        form.add_error(None, error)
    else:
        form.add_error(None, str(error))


# --- roles ------------------------------------------------------------------------------------


@login_required
@require_POST
def switch_role(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role not in User.Role.values:
        messages.error(request, _("Choose hiring or working."))
        return redirect("dashboard")
    user = _user(request)
    taking_new_role = not (user.is_client if role == User.Role.CLIENT else user.is_expert)
    services.switch_role(user=user, role=role)
    if taking_new_role and role == User.Role.EXPERT:
        messages.success(request, _("You can now work as an expert. Complete your profile to bid."))
        return redirect("accounts:expert_edit")
    label = "hiring" if role == User.Role.CLIENT else "working"
    messages.success(request, _("You are now {label}.").format(label=label))
    return redirect(_next_or(request, reverse("dashboard")))


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The header's switcher: Django's set_language (the cookie), and the account when signed in."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and check_for_language(language):
        services.set_language(user=_user(request), language=language)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def language_settings(request: HttpRequest) -> HttpResponse:
    """The account page's language choice (saved on the account, used for emails too)."""
    user = _user(request)
    form = LanguageForm(request.POST or None, initial={"language": user.language or get_language()})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        services.set_language(user=user, language=language)
        translation.activate(language)
        messages.success(request, _("Your language is saved."))
        return redirect("accounts:language")  # signed in, the saved language applies
    return render(request, "account/language.html", {"form": form, "manage_tab": "language"})


@login_required
@require_GET
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.acting_as_expert and user.is_expert:
        return redirect("accounts:expert_edit")
    if user.is_company:
        return redirect("accounts:company_edit")
    if not user.has_profile:  # a staff-only account: nothing public to edit, only the account
        return redirect("account_email")
    if user.is_client:
        return redirect("accounts:client_edit")
    return redirect("accounts:expert_edit")


# --- expert profile ---------------------------------------------------------------------------


def _expert_profile(request: HttpRequest) -> ExpertProfile:
    user = _user(request)
    if not user.is_expert:
        raise Http404("Turn on working as an expert first.")
    services.ensure_profiles(user=user)
    return ExpertProfile.objects.select_related("user").get(user=user)


def _render_expert_edit(request: HttpRequest, profile: ExpertProfile, **bound: Any) -> HttpResponse:
    skill_choices = selectors.grouped_skill_choices()
    language_choices = selectors.language_choices()
    skills = list(profile.skills.select_related("skill"))
    languages = list(profile.languages.select_related("language"))
    context = {
        "profile": profile,
        "basics_form": ExpertBasicsForm(instance=profile),
        "skills_formset": SkillFormSet(
            prefix="skills",
            initial=[{"skill": s.skill_id, "level": s.level, "years": s.years} for s in skills],
            form_kwargs={"skill_choices": skill_choices},
        ),
        "languages_formset": LanguageFormSet(
            prefix="languages",
            initial=[{"language": x.language_id, "level": x.level} for x in languages],
            form_kwargs={"language_choices": language_choices},
        ),
        "qualification_form": QualificationForm(prefix="qualification"),
        "experience_form": ExperienceForm(prefix="experience"),
        "portfolio_form": PortfolioItemForm(prefix="portfolio"),
        "avatar_form": ImageUploadForm(prefix="avatar"),
        "qualifications": profile.qualifications.all(),
        "experiences": profile.experiences.all(),
        "portfolio": profile.portfolio.all(),
        "tab": "expert",
        **bound,
    }
    return render(request, "accounts/expert_edit.html", context)


@login_required
@require_GET
def expert_edit(request: HttpRequest) -> HttpResponse:
    return _render_expert_edit(request, _expert_profile(request))


def _saved(request: HttpRequest, text: str, anchor: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(reverse("accounts:expert_edit") + f"#{anchor}")


@login_required
@require_POST
def expert_basics(request: HttpRequest) -> HttpResponse:
    profile = _expert_profile(request)
    form = ExpertBasicsForm(request.POST, instance=profile)
    if form.is_valid():
        try:
            services.update_expert_profile(
                profile=profile, by=_user(request), changes=form.cleaned_data
            )
        except (AccountsError, ValidationError) as error:
            _add_errors(form, error)
        else:
            return _saved(request, "Your profile details are saved.", "basics")
    return _render_expert_edit(request, profile, basics_form=form)


@login_required
@require_POST
def expert_skills(request: HttpRequest) -> HttpResponse:
    profile = _expert_profile(request)
    formset: BaseSkillFormSet = SkillFormSet(  # type: ignore[assignment]
        request.POST,
        prefix="skills",
        form_kwargs={"skill_choices": selectors.grouped_skill_choices()},
    )
    if formset.is_valid():
        choices = [
            services.SkillChoice(skill=skill, level=level, years=years or 0)
            for skill, level, years in formset.choices()
        ]
        try:
            services.set_expert_skills(profile=profile, by=_user(request), skills=choices)
        except (AccountsError, ValidationError) as error:
            formset.add_non_form_error(_message(error))
        else:
            return _saved(request, "Your skills are saved.", "skills")
    return _render_expert_edit(request, profile, skills_formset=formset)


@login_required
@require_POST
def expert_languages(request: HttpRequest) -> HttpResponse:
    profile = _expert_profile(request)
    formset: BaseLanguageFormSet = LanguageFormSet(  # type: ignore[assignment]
        request.POST,
        prefix="languages",
        form_kwargs={"language_choices": selectors.language_choices()},
    )
    if formset.is_valid():
        choices = [
            services.LanguageChoice(language=language, level=level)
            for language, level in formset.choices()
        ]
        try:
            services.set_expert_languages(profile=profile, by=_user(request), languages=choices)
        except (AccountsError, ValidationError) as error:
            formset.add_non_form_error(_message(error))
        else:
            return _saved(request, "Your languages are saved.", "languages")
    return _render_expert_edit(request, profile, languages_formset=formset)


@login_required
@require_POST
def expert_avatar(request: HttpRequest) -> HttpResponse:
    profile = _expert_profile(request)
    form = ImageUploadForm(request.POST, request.FILES, prefix="avatar")
    if form.is_valid():
        try:
            services.set_avatar(
                profile=profile, by=_user(request), image=form.cleaned_data["image"]
            )
        except (AccountsError, ValidationError) as error:
            form.add_error("image", error if isinstance(error, ValidationError) else str(error))
        else:
            return _saved(request, "Your photo is updated.", "photo")
    return _render_expert_edit(request, profile, avatar_form=form)


def _add_entry(
    request: HttpRequest,
    *,
    form_class: type[BaseForm],
    prefix: str,
    add: Callable[..., Any],
    saved: str,
    anchor: str,
) -> HttpResponse:
    """Add one qualification, experience or portfolio entry; errors go back beside the fields."""
    profile = _expert_profile(request)
    form = form_class(request.POST, request.FILES, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        try:
            add(profile=profile, by=_user(request), **data)
        except (AccountsError, ValidationError) as error:
            _add_errors(form, error)
        else:
            return _saved(request, saved.format(title=data["title"]), anchor)
    return _render_expert_edit(request, profile, **{f"{prefix}_form": form})


@login_required
@require_POST
def qualification_add(request: HttpRequest) -> HttpResponse:
    return _add_entry(
        request,
        form_class=QualificationForm,
        prefix="qualification",
        add=services.add_qualification,
        saved="Added “{title}”.",
        anchor="qualifications",
    )


@login_required
@require_POST
def experience_add(request: HttpRequest) -> HttpResponse:
    return _add_entry(
        request,
        form_class=ExperienceForm,
        prefix="experience",
        add=services.add_experience,
        saved="Added “{title}”.",
        anchor="experience",
    )


@login_required
@require_POST
def portfolio_add(request: HttpRequest) -> HttpResponse:
    return _add_entry(
        request,
        form_class=PortfolioItemForm,
        prefix="portfolio",
        add=services.add_portfolio_item,
        saved="Added “{title}” to your portfolio.",
        anchor="portfolio",
    )


def _owned(model: type[Model], request: HttpRequest, pk: int) -> Any:
    """A row of the signed-in expert's own profile, else 404."""
    return get_object_or_404(model, pk=pk, profile__user=_user(request))


@login_required
@require_POST
def qualification_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row: Qualification = _owned(Qualification, request, pk)
    services.remove_qualification(qualification=row, by=_user(request))
    return _saved(request, f"Removed “{row.title}”.", "qualifications")


@login_required
@require_POST
def experience_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row: Experience = _owned(Experience, request, pk)
    services.remove_experience(experience=row, by=_user(request))
    return _saved(request, f"Removed “{row.title}”.", "experience")


@login_required
@require_POST
def portfolio_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row: PortfolioItem = _owned(PortfolioItem, request, pk)
    services.remove_portfolio_item(item=row, by=_user(request))
    return _saved(request, f"Removed “{row.title}” from your portfolio.", "portfolio")


@require_GET
def skill_search(request: HtmxHttpRequest) -> HttpResponse:
    """The skill picker's options for a search (an htmx fragment; a plain page without JS)."""
    query = request.GET.get("q", "")
    field = request.GET.get("field", "skill")
    if not field.replace("-", "").replace("_", "").isalnum() or len(field) > 40:
        field = "skill"
    skills = selectors.search_skills(query=query)
    context = {"query": query, "field": field, "choices": selectors.grouped_skill_choices(skills)}
    template = "accounts/skill_search.html"
    return render(request, f"{template}#skill-options" if request.htmx else template, context)


# --- client and company -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def client_edit(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_client:
        raise Http404("Turn on hiring first.")
    services.ensure_profiles(user=user)
    profile = ClientProfile.objects.select_related("user").get(user=user)
    form = ClientProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client_profile(profile=profile, by=user, changes=form.cleaned_data)
        except (AccountsError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Your client profile is saved."))
            return redirect("accounts:client_edit")
    return render(
        request, "accounts/client_edit.html", {"form": form, "profile": profile, "tab": "client"}
    )


def _company(request: HttpRequest) -> CompanyProfile:
    user = _user(request)
    if not user.is_company:
        raise Http404("This is not a company account.")
    services.ensure_profiles(user=user)
    return CompanyProfile.objects.select_related("user").get(user=user)


def _render_company_edit(
    request: HttpRequest, company: CompanyProfile, **bound: Any
) -> HttpResponse:
    context = {
        "company": company,
        "form": CompanyProfileForm(instance=company),
        "logo_form": ImageUploadForm(prefix="logo"),
        "document_form": CompanyDocumentForm(prefix="document"),
        "documents": company.documents.all(),
        "tab": "company",
        **bound,
    }
    return render(request, "accounts/company_edit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def company_edit(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    if request.method == "GET":
        return _render_company_edit(request, company)
    form = CompanyProfileForm(request.POST, instance=company)
    if form.is_valid():
        try:
            services.update_company_profile(
                company=company, by=_user(request), changes=form.cleaned_data
            )
        except (AccountsError, ValidationError) as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Company details saved."))
            return redirect("accounts:company_edit")
    return _render_company_edit(request, company, form=form)


@login_required
@require_POST
def company_logo(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    form = ImageUploadForm(request.POST, request.FILES, prefix="logo")
    if form.is_valid():
        try:
            services.set_company_logo(
                company=company, by=_user(request), image=form.cleaned_data["image"]
            )
        except (AccountsError, ValidationError) as error:
            form.add_error("image", error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Logo updated."))
            return redirect("accounts:company_edit")
    return _render_company_edit(request, company, logo_form=form)


@login_required
@require_POST
def company_document_add(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    form = CompanyDocumentForm(request.POST, request.FILES, prefix="document")
    if form.is_valid():
        try:
            document = services.add_company_document(
                company=company, by=_user(request), upload=form.cleaned_data["file"]
            )
        except (AccountsError, ValidationError) as error:
            form.add_error("file", error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(
                request,
                _("Uploaded “{original_name}”.").format(original_name=document.original_name),
            )
            return redirect(reverse("accounts:company_edit") + "#documents")
    return _render_company_edit(request, company, document_form=form)


@login_required
@require_POST
def company_document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(CompanyDocument, pk=pk, company__user=_user(request))
    try:
        services.remove_company_document(document=document, by=_user(request))
    except AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Removed “{original_name}”.").format(original_name=document.original_name)
        )
    return redirect(reverse("accounts:company_edit") + "#documents")


@login_required
@require_POST
def company_submit(request: HttpRequest) -> HttpResponse:
    company = _company(request)
    try:
        services.submit_company_for_verification(company=company, by=_user(request))
    except AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Submitted. Staff will review your documents and let you know the outcome.")
        )
    return redirect(reverse("accounts:company_edit") + "#verification")


# --- public pages and files -------------------------------------------------------------------


@require_GET
def expert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    profile = selectors.public_expert_profile(pk=pk)
    company = selectors.company_of(profile.user) if profile.user.is_company else None
    return render(
        request,
        "accounts/expert_detail.html",
        {"profile": profile, "expert": profile.user, "company": company},
    )


@require_GET
def company_detail(request: HttpRequest, pk: int) -> HttpResponse:
    company = selectors.public_company_profile(pk=pk)
    try:
        expert_profile = company.user.expert_profile if company.user.is_expert else None
    except ExpertProfile.DoesNotExist:
        expert_profile = None
    return render(
        request,
        "accounts/company_detail.html",
        {"company": company, "expert_profile": expert_profile},
    )


@login_required
@require_GET
def company_document(request: HttpRequest, pk: int) -> FileResponse:
    """A registration document, for its company and staff only (404 for everyone else)."""
    document = selectors.document_for(user=_user(request), pk=pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def public_media(request: HttpRequest, path: str) -> FileResponse:
    """Avatars, logos and portfolio images from the default storage (never private files)."""
    parts = PurePosixPath(path).parts
    if not parts or parts[0] not in PUBLIC_MEDIA_FOLDERS or ".." in parts:
        raise Http404("No such file.")
    content_type, _unused = mimetypes.guess_type(path)
    if content_type not in {"image/jpeg", "image/png", "image/webp", "image/gif"}:
        raise Http404("No such file.")
    if not default_storage.exists(path):
        raise Http404("No such file.")
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def taxonomy_request(request: HttpRequest) -> HttpResponse:
    """Ask for a missing skill, category or job type, from the profile, a post or a listing
    (?project=<id> or ?listing=<id> says where to put it once added)."""
    user = _user(request)
    source = request.POST if request.method == "POST" else request.GET
    project_id = _int_or_none(source.get("project"))
    listing = None
    if listing_id := _int_or_none(source.get("listing")):
        listing = get_object_or_404(ServiceListing, pk=listing_id, expert=user)
    initial = {"kind": source.get("kind") or TaxonomyRequest.Kind.SKILL}
    form = TaxonomyRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            taxonomy.request_taxonomy_item(
                by=user,
                kind=data["kind"],
                name=data["name"],
                category=data["category"],
                note=data["note"],
                project_id=project_id,
                listing=listing,
            )
        except taxonomy.TaxonomyRequestInvalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(
                request,
                _(
                    "Sent: our staff will add “{item}” or tell you why not. You will get a "
                    "notification either way."
                ).format(item=data["name"]),
            )
            return redirect(taxonomy_back_url(project_id, listing))
    mine = TaxonomyRequest.objects.filter(requester=user).select_related("category")[:20]
    return render(
        request,
        "accounts/taxonomy_request.html",
        {
            "form": form,
            "project_id": project_id,
            "listing": listing,
            "mine": mine,
            "back_url": taxonomy_back_url(project_id, listing),
        },
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def taxonomy_back_url(project_id: int | None, listing: ServiceListing | None) -> str:
    if project_id:
        return reverse("projects:edit", args=[project_id])
    if listing is not None:
        return reverse("bookings:listing_edit", args=[listing.pk])
    return reverse("accounts:expert_edit") + "#skills"
