"""Pages: Post a Project, project detail, my projects, edit, invite, upgrades, Find a Project,
Find a Freelancer, digest settings. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from escrow.selectors import preferred_source
from marketplace.http import page_number, run_and_report
from projects import selectors, services
from projects.exceptions import ProjectError, ProjectInvalid
from projects.forms import DigestForm, ExpertSearchForm, ProjectForm, SearchForm, UpgradeForm
from projects.models import DigestPreference, Project, ProjectAttachment, ProjectTemplate
from projects.search import (
    ExpertQuery,
    ProjectQuery,
    search_experts,
    search_projects,
    suggested_experts,
)


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxRequest):
    user: User  # login_required guarantees a real user


def _form_errors(form: ProjectForm, error: ProjectInvalid) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


def _attach(project: Project, user: User, form: ProjectForm) -> None:
    for upload in form.cleaned_data.get("attachments") or []:
        services.add_attachment(project=project, by=user, file=upload)


def _buy(request: AuthedRequest, project: Project, form: UpgradeForm) -> HttpResponse | None:
    """Start paying for chosen upgrades; a redirect to the card page, or None when nothing."""
    kinds = form.cleaned_data.get("upgrades") or []
    if not kinds:
        return None
    result = services.buy_upgrades(
        project=project,
        by=request.user,
        kinds=kinds,
        source=form.cleaned_data["source"],
        return_url=project.get_absolute_url(),
        key=form.cleaned_data["purchase_key"],
    )
    if result.paid:
        messages.success(request, _("Upgrades paid from your balance and active now."))
        return None
    return redirect(result.redirect_url)


@login_required
@require_http_methods(["GET", "POST"])
def post_project(request: AuthedRequest) -> HttpResponse:
    templates = ProjectTemplate.objects.filter(is_active=True)
    chosen = None
    if slug := request.GET.get("template"):
        chosen = templates.filter(slug=slug).first()
    if request.method == "POST":
        form = ProjectForm(request.POST, request.FILES)
        upgrade_form = UpgradeForm(request.POST)
        action = request.POST.get("action", "draft")
        if form.is_valid() and upgrade_form.is_valid():
            values = form.values()
            template_id = form.cleaned_data.get("template")
            values["template"] = templates.filter(pk=template_id).first() if template_id else None
            try:
                with transaction.atomic():
                    project = services.create_draft(by=request.user, values=values)
                    _attach(project, request.user, form)
                    if action == "publish":
                        project = services.publish_project(project=project, by=request.user)
            except ProjectInvalid as error:
                _form_errors(form, error)
            except ProjectError as error:
                form.add_error(None, str(error))
            else:
                return _after_save(request, project, action, upgrade_form)
    else:
        initial: dict[str, Any] = {}
        if chosen is not None:
            initial = {
                "template": chosen.pk,
                "title": chosen.shown("title"),
                "description": chosen.shown("description"),
                "category": chosen.category_id,
                "skills": list(chosen.skills.all()),
                "expertise_level": chosen.expertise_level,
                "budget_type": chosen.budget_type,
                # Minor units: the money fields write them the reader's way (2.000,00).
                "budget_min": chosen.budget_min,
                "budget_max": chosen.budget_max,
            }
        form = ProjectForm(initial=initial)
        upgrade_form = _upgrade_form(request.user)
    return render(
        request,
        "projects/post.html",
        {
            "form": form,
            "upgrade_form": upgrade_form,
            "templates": templates,
            "chosen": chosen,
            "prices": _prices(),
            "publish_blocked": selectors.publish_refusal(request.user),
        },
    )


def _upgrade_form(user: User | AnonymousUser) -> UpgradeForm:
    """Upgrades start on the person's preferred payment method (the cheapest upgrade decides
    whether the balance covers it)."""
    cheapest = min(_prices().values())
    return UpgradeForm(initial={"source": preferred_source(user, cheapest)})


def _prices() -> dict[str, int]:
    return {kind: services.upgrade_price(kind) for kind in ("featured", "private", "assist")}


def _after_save(
    request: AuthedRequest, project: Project, action: str, upgrade_form: UpgradeForm
) -> HttpResponse:
    if action == "publish":
        if project.status == Project.Status.PENDING:
            messages.info(request, _("Submitted: our staff review new posts before they go live."))
        else:
            messages.success(request, _("Your project is live."))
        try:
            response = _buy(request, project, upgrade_form)
        except ProjectError as error:
            messages.error(request, _("Upgrades not bought: {error}").format(error=error))
            response = None
        return response or redirect(project)
    if action == "preview":
        return redirect(project)
    messages.success(request, _("Draft saved."))
    return redirect("projects:edit", pk=project.pk)


@require_GET
def project_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    project = selectors.get_project_for(viewer=request.user, pk=pk)
    user = request.user
    is_owner = user.is_authenticated and project.owner_id == user.pk
    manage = is_owner or (user.is_authenticated and user.is_staff)
    if project.is_invited_kind and not manage:
        return redirect("projects:fulfilment", pk=project.pk)
    can_bid, cannot_bid_reason = selectors.can_bid(project, user)
    details = selectors.may_see_details(project, user)
    context: dict[str, Any] = {
        "project": project,
        "details": details,
        "skills": list(project.skills.all()),
        "languages": list(project.languages.all()),
        "attachments": list(project.attachments.all()) if details else [],
        "is_owner": is_owner,
        "manage": manage,
        "can_bid": can_bid,
        "cannot_bid_reason": cannot_bid_reason,
        "invited": selectors.is_invited(project, user) if not manage else False,
    }
    if manage:
        context["invitations"] = list(project.invitations.select_related("expert"))
        context["history"] = list(project.history.select_related("by"))
        context["aliases"] = _aliases_for(project, user)
        context["decision"] = project.moderation.first()
        if project.status in {Project.Status.OPEN, Project.Status.PENDING}:
            context["suggestions"] = suggested_experts(project=project)
            context["collaborators"] = list(
                selectors.previous_collaborators(owner=project.owner, project=project)
            )
        context["upgrade_form"] = _upgrade_form(user)
        context["prices"] = _prices()
        if is_owner and project.status == Project.Status.DRAFT:
            context["publish_blocked"] = selectors.publish_refusal(user)
    return render(request, "projects/detail.html", context)


def _aliases_for(project: Project, viewer: User | AnonymousUser) -> dict[int, str]:
    """A managed project's client sees its expert under the alias in the history."""
    from bids.models import Contract

    if not project.managed or viewer.is_staff:
        return {}
    contract = Contract.objects.select_related("bid", "project").filter(project=project).first()
    if contract is None:
        return {}
    return {contract.expert_id: contract.name_for(contract.expert, viewer=viewer)}


@login_required
@require_http_methods(["GET", "POST"])
def edit_project(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.get_own_project(viewer=request.user, pk=pk)
    attachments = list(project.attachments.all())
    if request.method == "POST":
        form = ProjectForm(request.POST, request.FILES, existing_attachments=len(attachments))
        if form.is_valid():
            action = request.POST.get("action", "save")
            try:
                with transaction.atomic():
                    project = services.update_project(
                        project=project, by=request.user, values=form.values()
                    )
                    _attach(project, request.user, form)
                    if action == "publish" and project.status == Project.Status.DRAFT:
                        project = services.publish_project(project=project, by=request.user)
                    elif action == "resubmit":
                        project = services.resubmit_project(project=project, by=request.user)
            except ProjectInvalid as error:
                _form_errors(form, error)
            except ProjectError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Saved."))
                if action in {"publish", "resubmit", "preview"}:
                    return redirect(project)
                return redirect("projects:edit", pk=project.pk)
    else:
        form = ProjectForm(initial=ProjectForm.initial_from(project))
    return render(
        request,
        "projects/edit.html",
        {
            "form": form,
            "project": project,
            "attachments": attachments,
            "publish_blocked": selectors.publish_refusal(request.user),
        },
    )


def _transition(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    project = selectors.get_own_project(viewer=request.user, pk=pk)
    done = {
        "publish": (services.publish_project, "Submitted."),
        "resubmit": (services.resubmit_project, "Resubmitted for approval."),
        "close": (services.close_project, "Project closed: it no longer takes bids."),
        "cancel": (services.cancel_project, "Project cancelled."),
    }
    service, message = done[action]
    run_and_report(
        request,
        lambda: service(project=project, by=request.user),
        success=message,
        refusals=ProjectError,
    )
    return redirect(project)


@login_required
@require_POST
def publish_project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "publish")


@login_required
@require_POST
def resubmit_project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "resubmit")


@login_required
@require_POST
def close_project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "close")


@login_required
@require_POST
def cancel_project(request: AuthedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "cancel")


@login_required
@require_POST
def accept_nda(request: AuthedRequest, pk: int) -> HttpResponse:
    """An expert accepts the project's NDA from its page; the details open."""
    project = selectors.get_project_for_nda(viewer=request.user, pk=pk)
    run_and_report(
        request,
        lambda: services.accept_nda(
            project=project, by=request.user, ip=request.META.get("REMOTE_ADDR")
        ),
        success=_("NDA accepted: the full description and documents are open to you."),
        refusals=ProjectError,
    )
    back = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(project)


@login_required
@require_POST
def buy_upgrade(request: AuthedRequest, pk: int) -> HttpResponse:
    project = selectors.get_own_project(viewer=request.user, pk=pk)
    form = UpgradeForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["upgrades"]:
        expired = form.errors.get("purchase_key")
        messages.error(
            request, str(expired[0]) if expired else _("Choose an upgrade and how to pay.")
        )
        return redirect(project)
    try:
        response = _buy(request, project, form)
    except ProjectError as error:
        messages.error(request, str(error))
        return redirect(project)
    return response or redirect(project)


@login_required
@require_POST
def invite(request: AuthedRequest) -> HttpResponse:
    """Invite an expert onto one of my projects (from search results or suggestions)."""
    expert_pk, project_pk = request.POST.get("expert", ""), request.POST.get("project", "")
    if not (expert_pk.isdigit() and project_pk.isdigit()):
        raise Http404("No such expert or project.")
    expert = get_object_or_404(User, pk=int(expert_pk), is_expert=True)
    project = selectors.get_own_project(viewer=request.user, pk=int(project_pk))
    try:
        services.invite_expert(project=project, expert=expert, by=request.user)
    except ProjectError as error:
        message, level = str(error), messages.ERROR
    else:
        message, level = (
            f"{expert.display_name} was invited to “{project.title}”.",
            messages.SUCCESS,
        )
    if request.htmx:
        return render(
            request,
            "projects/find_freelancer.html#invite-result",
            {"message": message, "ok": level == messages.SUCCESS, "expert": expert},
        )
    messages.add_message(request, level, message)
    back = request.POST.get("next") or ""
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(project)


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> FileResponse:
    project = selectors.get_project_for(viewer=request.user, pk=pk)
    if not selectors.may_see_details(project, request.user):
        raise Http404("No such document.")
    manage = request.user.is_staff or project.owner_id == request.user.pk
    if (
        project.is_invited_kind
        and not manage
        and selectors.fulfilment_state(project, request.user) not in {"accept", "yours"}
    ):
        raise Http404("No such document.")
    document = get_object_or_404(ProjectAttachment, pk=attachment_pk, project=project)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=document.name)


@login_required
@require_POST
def remove_attachment(request: AuthedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    project = selectors.get_own_project(viewer=request.user, pk=pk)
    document = get_object_or_404(ProjectAttachment, pk=attachment_pk, project=project)
    try:
        services.remove_attachment(attachment=document, by=request.user)
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Removed “{name}”.").format(name=document.name))
    return redirect("projects:edit", pk=project.pk)


@login_required
@require_GET
def my_projects(request: AuthedRequest) -> HttpResponse:
    projects = selectors.my_projects(request.user)
    return render(request, "projects/mine.html", {"projects": projects})


@require_GET
def find_project(request: HtmxRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    query = ProjectQuery(
        q=data.get("q") or "",
        category_id=data.get("category"),
        skill_ids=data.get("skills") or [],
        budget_min=data.get("budget_min_amount"),
        budget_max=data.get("budget_max_amount"),
        language_id=data.get("language"),
        location=data.get("location") or "",
        country=data.get("country") or "",
        posted_within_days=data.get("posted"),
        companies_only=bool(data.get("companies_only")),
        mine=bool(data.get("mine")),
        sort=data.get("sort") or "best",
    )
    page = search_projects(
        query=query, viewer=request.user, page=page_number(request), names=form.taxonomy
    )
    context = {"form": form, "page": page, "query": query}
    template = "projects/find.html#results" if request.htmx else "projects/find.html"
    return render(request, template, context)


@require_GET
def find_freelancer(request: HtmxRequest) -> HttpResponse:
    form = ExpertSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    query = ExpertQuery(
        q=data.get("q") or "",
        skill_ids=data.get("skills") or [],
        min_rating=data.get("min_rating"),
        rate_min=data.get("rate_min_amount"),
        rate_max=data.get("rate_max_amount"),
        language_id=data.get("language"),
        country=data.get("country") or "",
        kind=data.get("kind") or "",
        verified=bool(data.get("verified")),
    )
    page = search_experts(query=query, page=page_number(request), names=form.taxonomy)
    open_projects: list[Project] = []
    if request.user.is_authenticated:
        open_projects = list(
            Project.objects.filter(owner=request.user, status=Project.Status.OPEN)
            .only("pk", "title")
            .order_by("-published_at")
        )
    context = {"form": form, "page": page, "open_projects": open_projects}
    template = (
        "projects/find_freelancer.html#results" if request.htmx else "projects/find_freelancer.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def digest_settings(request: AuthedRequest) -> HttpResponse:
    preference = DigestPreference.objects.filter(user=request.user).first()
    current = preference.frequency if preference else DigestPreference.Frequency.WEEKLY
    form = DigestForm(request.POST or None, initial={"frequency": current})
    if request.method == "POST" and form.is_valid():
        services.set_digest_frequency(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Saved your project email preference."))
        return redirect(reverse("projects:digest_settings"))
    return render(request, "projects/digest.html", {"form": form})
