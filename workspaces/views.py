"""Workspace pages: the workspace (milestones, files, chat, timeline), the payment screen, the
actions of the milestone cycle, disputes and termination. Thin: form → one service → redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from escrow.fees import quote_fee
from escrow.selectors import preferred_source, wallet_balance
from messaging.exceptions import MessagingError
from messaging.forms import MessageForm
from messaging.services import mark_read
from projects.exceptions import NdaRequired
from workspaces import selectors, services
from workspaces.exceptions import WorkspaceError
from workspaces.forms import (
    CommentsForm,
    DeliverForm,
    DisputeForm,
    FileForm,
    PayForm,
    QCReviewerForm,
    ResolveForm,
    RespondForm,
    RevisionForm,
    TerminateForm,
)
from workspaces.models import Delivery, Dispute, Milestone, Workspace

PAGE = "workspaces/detail.html"
SOFT_NOTICE = (
    "We hid contact details in this message. Keeping the conversation here keeps a record both "
    "sides can rely on if anything goes wrong."
)


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


def _aliases(workspace: Workspace, viewer: User) -> dict[int, str]:
    """Managed projects: the client, the expert (and a second expert reviewing) know each
    other only by alias; staff see names."""
    contract = workspace.contract
    if not contract.is_anonymous or viewer.is_staff:
        return {}
    return {
        person.pk: contract.name_for(person, viewer=viewer)
        for person in (contract.client, contract.expert)
    }


def _context(request: AuthedRequest, workspace: Workspace, role: str) -> dict[str, Any]:
    milestones = selectors.milestones_of(workspace, role=role)
    return {
        "aliases": _aliases(workspace, request.user),
        "workspace": workspace,
        "contract": workspace.contract,
        "project": workspace.contract.project,
        "role": role,
        "milestones": milestones,
        "next_action": selectors.next_action(workspace, role, milestones),
        "events": selectors.timeline(workspace),
        "files": selectors.shared_files(workspace)[:50],
        "chat": selectors.chat_messages(workspace),
        "message_form": MessageForm(),
        "file_form": FileForm(),
        "deliver_form": DeliverForm(),
        "revision_form": RevisionForm(),
        "dispute_form": DisputeForm(),
        "respond_form": RespondForm(),
        "resolve_form": ResolveForm(),
        "comments_form": CommentsForm(),
        "poll_seconds": settings.MESSAGE_POLL_SECONDS,
        "max_upload": settings.WORKSPACE_MAX_UPLOAD,
        "is_open": workspace.status
        not in {Workspace.Status.COMPLETED, Workspace.Status.TERMINATED},
    }


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    workspaces = selectors.workspaces_for(request.user).order_by("-created_at")[:100]
    return render(request, "workspaces/index.html", {"workspaces": workspaces})


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    except NdaRequired as gate:
        # The second expert reviewing an NDA project accepts the NDA before anything shows.
        return render(request, "workspaces/nda.html", {"project": gate.project, "pk": pk})
    context = _context(request, workspace, role)
    context["unread"] = selectors.unread_count(workspace, request.user)
    if workspace.conversation is not None:
        mark_read(conversation=workspace.conversation, by=request.user)
    return render(request, PAGE, context)


def _back(request: AuthedRequest, workspace: Workspace, role: str, anchor: str = "") -> Any:
    if request.htmx:
        return render(request, f"{PAGE}#workspace-main", _context(request, workspace, role))
    return redirect(workspace.get_absolute_url() + anchor)


def _act(
    request: AuthedRequest, pk: int, mid: int, action: Callable[[Milestone], str]
) -> HttpResponse:
    milestone, role = selectors.get_milestone_for(user=request.user, workspace_pk=pk, pk=mid)
    try:
        done = action(milestone)
    except WorkspaceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    return _back(request, workspace, role, f"#milestone-{mid}")


def _form_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return "Please correct the form."


def _with_form(
    request: AuthedRequest,
    pk: int,
    mid: int,
    form: Any,
    action: Callable[[Milestone, dict[str, Any]], str],
) -> HttpResponse:
    if not form.is_valid():
        selectors.get_milestone_for(user=request.user, workspace_pk=pk, pk=mid)
        messages.error(request, _form_error(form))
        workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
        return _back(request, workspace, role, f"#milestone-{mid}")
    return _act(request, pk, mid, lambda m: action(m, form.cleaned_data))


@login_required
@require_POST
def request_start(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone) -> str:
        services.request_start(milestone=m, by=request.user)
        return _(
            "The client was asked to fund “%(title)s”. Start work once it is funded: we will "
            "tell you."
        ) % {"title": m.title}

    return _act(request, pk, mid, act)


@login_required
@require_http_methods(["GET", "POST"])
def start(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    """The payment screen: pay the milestone into held funds from the balance or by card."""
    milestone, role = selectors.get_milestone_for(user=request.user, workspace_pk=pk, pk=mid)
    form = PayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.start_milestone(
                milestone=milestone,
                by=request.user,
                source=form.cleaned_data["source"],
                return_url=milestone.workspace.get_absolute_url(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            if not result.paid:
                if request.htmx:
                    return HttpResponseClientRedirect(result.redirect_url)
                return redirect(result.redirect_url)
            messages.success(
                request, _("“{title}” is funded and in progress.").format(title=milestone.title)
            )
            return redirect(milestone.workspace.get_absolute_url() + f"#milestone-{mid}")
    return _pay_page(request, milestone, role, form, amount=milestone.amount, what="start")


def _pay_page(
    request: AuthedRequest,
    milestone: Milestone,
    role: str,
    form: PayForm,
    *,
    amount: int,
    what: str,
) -> HttpResponse:
    if role != "client":
        raise Http404("Only the client pays.")
    quote = quote_fee(amount=amount, currency=milestone.workspace.contract.currency)
    context = {
        "workspace": milestone.workspace,
        "milestone": milestone,
        "form": form,
        "amount": amount,
        "quote": quote,
        "what": what,
        "wallet": wallet_balance(request.user),
        "default_source": preferred_source(request.user, amount),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "workspaces/pay.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def pay_revision(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    milestone, role = selectors.get_milestone_for(user=request.user, workspace_pk=pk, pk=mid)
    due = milestone.revisions.filter(fee_status="due").order_by("-pk").first()
    if due is None:
        messages.info(request, _("No revision fee is due."))
        return redirect(milestone.workspace.get_absolute_url())
    form = PayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.pay_revision_fee(
                milestone=milestone,
                by=request.user,
                source=form.cleaned_data["source"],
                return_url=milestone.workspace.get_absolute_url(),
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            if not result.paid:
                return redirect(result.redirect_url)
            messages.success(request, _("The revision fee is paid; the expert can start."))
            return redirect(milestone.workspace.get_absolute_url() + f"#milestone-{mid}")
    return _pay_page(request, milestone, role, form, amount=due.fee, what="revision")


@login_required
@require_POST
def deliver(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        delivery = services.deliver_milestone(
            milestone=m, by=request.user, note=data["note"], files=data["attachments"]
        )
        if delivery.qc_status == Delivery.QC.PENDING:
            return _("Delivered to quality control. The client is told once it is approved.")
        return _("Delivered. The client has been told and can now review it.")

    return _with_form(request, pk, mid, DeliverForm(request.POST, request.FILES), act)


@login_required
@require_POST
def complete(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone) -> str:
        services.complete_milestone(milestone=m, by=request.user)
        return "Marked as completed: the payment was released to the expert."

    return _act(request, pk, mid, act)


@login_required
@require_POST
def revision(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        made = services.request_revision(
            milestone=m,
            by=request.user,
            comments=data["comments"],
            out_of_scope=data["out_of_scope"],
        )
        if made.fee:
            return "Revision requested. Pay the revision fee so the expert can start."
        return "Revision requested. The expert has been told."

    return _with_form(request, pk, mid, RevisionForm(request.POST), act)


@login_required
@require_POST
def withdraw_revision(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone) -> str:
        services.withdraw_revision(milestone=m, by=request.user)
        return "Revision request withdrawn: the delivery stands."

    return _act(request, pk, mid, act)


@login_required
@require_POST
def qc_approve(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        services.approve_delivery(milestone=m, by=request.user, note=data["comments"])
        return "Approved: the client can now see the delivery."

    return _with_form(request, pk, mid, CommentsForm(request.POST), act)


@login_required
@require_POST
def qc_changes(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        services.request_qc_changes(milestone=m, by=request.user, comments=data["comments"])
        return "Sent back to the expert with your comments."

    return _with_form(request, pk, mid, CommentsForm(request.POST), act)


@login_required
@require_POST
def dispute(request: AuthedRequest, pk: int, mid: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        services.open_dispute(
            milestone=m, by=request.user, reason=data["reason"], files=data["attachments"]
        )
        return "Dispute opened. The other side and staff have been told."

    return _with_form(request, pk, mid, DisputeForm(request.POST, request.FILES), act)


def _dispute_of(m: Milestone, did: int) -> Dispute:
    found = m.disputes.filter(pk=did).first()
    if found is None:
        raise Http404("No such dispute.")
    return found


@login_required
@require_POST
def dispute_respond(request: AuthedRequest, pk: int, mid: int, did: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        services.respond_to_dispute(
            dispute=_dispute_of(m, did), by=request.user, response=data["response"]
        )
        return "Your response was added."

    return _with_form(request, pk, mid, RespondForm(request.POST), act)


@login_required
@require_POST
def dispute_decide(request: AuthedRequest, pk: int, mid: int, did: int) -> HttpResponse:
    def act(m: Milestone, data: dict[str, Any]) -> str:
        services.resolve_dispute(
            dispute=_dispute_of(m, did),
            by=request.user,
            outcome=data["outcome"],
            payee_amount=data["payee_amount"],
            note=data["note"],
        )
        return "The dispute is decided."

    return _with_form(request, pk, mid, ResolveForm(request.POST), act)


@login_required
@require_http_methods(["GET", "POST"])
def terminate(request: AuthedRequest, pk: int) -> HttpResponse:
    workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    form = TerminateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.terminate_contract(
                workspace=workspace, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkspaceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The contract has ended."))
            return redirect(workspace.get_absolute_url())
    milestones = selectors.milestones_of(workspace, role=role)
    context = {"workspace": workspace, "form": form, "milestones": milestones, "role": role}
    return render(request, "workspaces/terminate.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def assign_qc(request: AuthedRequest, pk: int) -> HttpResponse:
    workspace, _role = selectors.get_workspace_for(user=request.user, pk=pk)
    form = QCReviewerForm(request.POST)
    if form.is_valid():
        email = form.cleaned_data["email"]
        reviewer = User.objects.filter(email__iexact=email).first() if email else None
        try:
            if email and reviewer is None:
                raise WorkspaceError(_("No one has that email address."))
            services.assign_qc_reviewer(workspace=workspace, by=request.user, reviewer=reviewer)
        except WorkspaceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("QC reviewer saved."))
    return redirect(workspace.get_absolute_url())


# --- files and chat ------------------------------------------------------------------------


@login_required
@require_POST
def file_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    workspace, _role = selectors.get_workspace_for(user=request.user, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_error(form))
    else:
        try:
            item = services.upload_file(
                workspace=workspace, by=request.user, upload=form.cleaned_data["file"]
            )
        except WorkspaceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("“{name}” shared (version {version}).").format(
                    name=item.name, version=item.version
                ),
            )
    return redirect(workspace.get_absolute_url() + "#files")


@login_required
@require_GET
def file_download(request: AuthedRequest, pk: int, fid: int) -> HttpResponseBase:
    item = selectors.get_file_for(user=request.user, workspace_pk=pk, pk=fid)
    prefix = settings.WORKSPACE_X_ACCEL_REDIRECT
    response: HttpResponseBase
    if prefix:
        response = HttpResponse()
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + item.file.name
        response["Content-Type"] = "application/octet-stream"
        response["Content-Disposition"] = content_disposition_header(True, item.name)
    else:
        response = FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _chat_context(request: AuthedRequest, workspace: Workspace, role: str) -> dict[str, Any]:
    return {
        "workspace": workspace,
        "role": role,
        "chat": selectors.chat_messages(workspace),
        "message_form": MessageForm(),
        "poll_seconds": settings.MESSAGE_POLL_SECONDS,
        "chat_only": True,
    }


@login_required
@require_GET
def chat(request: AuthedRequest, pk: int) -> HttpResponse:
    """The chat log (polled by htmx for new messages)."""
    workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    if workspace.conversation is not None:
        mark_read(conversation=workspace.conversation, by=request.user)
    if not request.htmx:
        return redirect(workspace.get_absolute_url() + "#chat")
    return render(request, f"{PAGE}#chat-log", _chat_context(request, workspace, role))


@login_required
@require_POST
def chat_send(request: AuthedRequest, pk: int) -> HttpResponse:
    workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            sent = services.post_message(
                workspace=workspace,
                by=request.user,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
            )
        except (WorkspaceError, MessagingError) as error:
            messages.error(request, str(error))
        else:
            if sent.flagged:
                messages.info(request, SOFT_NOTICE)
    else:
        messages.error(request, _form_error(form))
    if request.htmx:
        return render(request, f"{PAGE}#chat", _chat_context(request, workspace, role))
    return redirect(workspace.get_absolute_url() + "#chat")


@login_required
@require_POST
def video_call(request: AuthedRequest, pk: int) -> HttpResponse:
    workspace, role = selectors.get_workspace_for(user=request.user, pk=pk)
    try:
        services.start_video_call(workspace=workspace, by=request.user)
    except WorkspaceError as error:
        messages.error(request, str(error))
    if request.htmx:
        return render(request, f"{PAGE}#chat", _chat_context(request, workspace, role))
    return redirect(workspace.get_absolute_url() + "#chat")
