"""Pages for invited fulfilment: staff set-up, the invited expert's project page and Accept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from projects import selectors
from projects.exceptions import ProjectError, ProjectInvalid, ProjectTaken
from projects.fulfilment_forms import (
    AcceptForm,
    ExtraFeeForm,
    FeeDecisionForm,
    InvitedProjectForm,
    InviteMoreForm,
)
from projects.models import ExtraFeeRequest, Project
from projects.services import add_attachment
from projects.services.fulfilment import (
    accept_invitation,
    create_invited_project,
    decide_extra_fee,
    invite_to_fulfilment,
    request_extra_fee,
)
from projects.views import AuthedRequest

TEMPLATE = "projects/fulfilment.html"
# Who reads an invited project's instructions and source documents: staff and its client, an
# invited expert while it is open, and the expert who took it (the others lose access).
OPEN_TO = frozenset({"manage", "accept", "yours"})


def _invited_project(pk: int, viewer: User) -> Project:
    """The invited project, or the same 404 as a missing one for anyone it was not shown to:
    a 403 would confirm that the id exists (and its page would name the private project)."""
    project = get_object_or_404(
        Project.objects.select_related("owner", "category").filter(kind__in=Project.INVITED_KINDS),
        pk=pk,
    )
    involved = viewer.is_staff or project.owner_id == viewer.pk
    if not involved and selectors.fulfilment_state(project, viewer) == "not_invited":
        raise Http404
    return project


def _page(
    request: AuthedRequest,
    project: Project,
    form: AcceptForm | None = None,
    status: int = 200,
    invite_form: InviteMoreForm | None = None,
    fee_form: ExtraFeeForm | None = None,
) -> HttpResponse:
    state = selectors.fulfilment_state(project, request.user)
    if request.user.is_staff or project.owner_id == request.user.pk:
        state = "manage"
    context = {
        "project": project,
        "state": state,
        "form": form or AcceptForm(nda_required=project.nda_required),
        "skills": list(project.skills.all()),
        "attachments": list(project.attachments.all()) if state in OPEN_TO else [],
        "contract": getattr(project, "contract", None) if state in {"yours", "manage"} else None,
    }
    if state in {"yours", "manage"}:
        context["fee_requests"] = list(project.fee_requests.select_related("expert"))
        context["fee_form"] = fee_form or ExtraFeeForm()
    if state == "manage":
        context["invitations"] = list(project.invitations.select_related("expert"))
        context["invite_form"] = invite_form or InviteMoreForm()
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_http_methods(["GET"])
def fulfilment(request: AuthedRequest, pk: int) -> HttpResponse:
    """The invited expert's view: details, reward and Accept, or a clear "already taken"."""
    return _page(request, _invited_project(pk, request.user))


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    project = _invited_project(pk, request.user)
    form = AcceptForm(request.POST, nda_required=project.nda_required)
    if not form.is_valid():
        return _page(request, project, form, status=400)
    try:
        contract = accept_invitation(
            project=project,
            by=request.user,
            accept_nda=form.cleaned_data.get("accept_nda", False),
            ip=request.META.get("REMOTE_ADDR"),
        )
    except ProjectTaken as error:
        messages.error(request, str(error))
        return redirect("projects:fulfilment", pk=project.pk)
    except ProjectError as error:
        messages.error(request, str(error))
        project.refresh_from_db()
        return _page(request, project, form, status=409)
    messages.success(request, _("The project is yours: start now and upload your work here."))
    return redirect("workspaces:detail", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: AuthedRequest) -> HttpResponse:
    """Staff set up a Speedy, Contest or Booking and invite experts in one step."""
    if not request.user.is_staff:
        raise PermissionDenied
    form = InvitedProjectForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                project = _set_up(request, data, form)
                invited = invite_to_fulfilment(
                    project=project, experts=data["expert_emails"], by=request.user
                )
        except ProjectInvalid as error:
            for name, message in error.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except ProjectError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("{kind} set up; {len} expert(s) invited.").format(
                    kind=project.get_kind_display(), len=len(invited)
                ),
            )
            return redirect("projects:fulfilment", pk=project.pk)
    return render(request, "projects/fulfilment_new.html", {"form": form})


def _set_up(request: AuthedRequest, data: dict[str, Any], form: InvitedProjectForm) -> Project:
    """The project and its source documents, in the caller's transaction."""
    project = create_invited_project(
        by=request.user,
        client=data["client_email"],
        kind=data["kind"],
        reward=data["reward"],
        values=form.values(),
        proofread_offer=data.get("proofread_offer", ""),
    )
    for upload in data.get("documents") or []:
        add_attachment(project=project, by=request.user, file=upload)
    return project


@login_required
@require_POST
def invite_more(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff invite more experts to an open Speedy, Contest or Booking."""
    if not request.user.is_staff:
        raise PermissionDenied
    project = _invited_project(pk, request.user)
    form = InviteMoreForm(request.POST)
    if not form.is_valid():
        return _page(request, project, invite_form=form, status=400)
    try:
        invited = invite_to_fulfilment(
            project=project, experts=form.cleaned_data["expert_emails"], by=request.user
        )
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("{len} expert(s) invited.").format(len=len(invited)))
    return redirect("projects:fulfilment", pk=project.pk)


@login_required
@require_POST
def ask_fee(request: AuthedRequest, pk: int) -> HttpResponse:
    """The expert asks for a fee for work outside the original instructions."""
    project = _invited_project(pk, request.user)
    form = ExtraFeeForm(request.POST)
    if not form.is_valid():
        return _page(request, project, fee_form=form, status=400)
    try:
        request_extra_fee(
            project=project,
            by=request.user,
            amount=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
        )
    except ProjectInvalid as error:
        for name, message in error.errors.items():
            form.add_error(name if name in form.fields else None, message)
        return _page(request, project, fee_form=form, status=400)
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Fee request sent: our staff will decide and tell you."))
    return redirect("projects:fulfilment", pk=project.pk)


@login_required
@require_POST
def decide_fee(request: AuthedRequest, pk: int, fee_pk: int) -> HttpResponse:
    """Staff approve or refuse an expert's fee request."""
    fee = get_object_or_404(ExtraFeeRequest, pk=fee_pk, project_id=pk)
    form = FeeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or refuse the fee."))
        return redirect("projects:fulfilment", pk=pk)
    try:
        decide_extra_fee(
            request=fee,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except ProjectError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Fee request decided; the expert has been told."))
    return redirect("projects:fulfilment", pk=pk)
