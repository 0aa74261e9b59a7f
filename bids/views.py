"""Bid pages: place and edit a bid, the client's list and comparison, the bid page with award,
confirm and decline, the contract page, and the managed-project negotiation steps."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.exceptions import AccountsError
from accounts.models import User
from bids import selectors, services
from bids.exceptions import BidError, BidInvalid
from bids.forms import (
    BidForm,
    ConfirmForm,
    NoteForm,
    OfferForm,
    RejectForm,
    milestone_formset,
    milestones_initial,
)
from bids.models import CLIENT_ALIAS, Bid, BidAttachment, OfferRevision
from marketplace.http import run_and_report
from marketplace.money import to_decimal_string
from messaging.selectors import conversation_by_key
from projects import selectors as project_selectors
from projects.models import Project


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


def _apply_errors(form: BidForm, error: BidInvalid) -> str:
    """Field errors onto the form; the milestone-plan message is returned for its table."""
    plan = ""
    for name, message in error.errors.items():
        if name == "milestones":
            plan = message
        else:
            form.add_error(name if name in form.fields else None, message)
    return plan


def _rows_from(formset: Any) -> list[dict[str, Any]]:
    return [
        {
            "order": number,
            "id": step.id,
            "title": step.title,
            "description": step.description,
            "amount": to_decimal_string(step.amount) if step.amount else "",
            "due_in_days": step.due_in_days,
        }
        for number, step in enumerate(formset.inputs(), start=1)
    ]


def _bid_form_page(
    request: AuthedRequest, project: Project, bid: Bid | None = None
) -> HttpResponse:
    """Place (bid=None) or edit a bid: one form, a milestone table, and the skills prompt."""
    plan_error = ""
    if request.method == "POST":
        form = BidForm(request.POST, request.FILES)
        formset = milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            if "more_rows" in request.POST:
                formset = milestone_formset(initial=_rows_from(formset), rows=3)
            else:
                values = {
                    "by": request.user,
                    "amount": form.cleaned_data["amount"],
                    "days": form.cleaned_data["days"],
                    "proposal": form.cleaned_data["proposal"],
                    "milestones": formset.inputs(),
                    "files": form.files_list(),
                }
                try:
                    if bid is None:
                        saved = services.place_bid(project=project, **values)
                        messages.success(request, _("Your bid was sent to the client."))
                    else:
                        saved = services.update_bid(bid=bid, **values)
                        messages.success(request, _("Your bid was updated."))
                except BidInvalid as error:
                    plan_error = _apply_errors(form, error)
                except BidError as error:
                    form.add_error(None, str(error))
                else:
                    return redirect(saved)
        elif formset.non_form_errors():
            plan_error = " ".join(str(e) for e in formset.non_form_errors())
    elif bid is not None:
        form = BidForm(initial=BidForm.initial_from(bid))
        formset = milestone_formset(initial=milestones_initial(bid.milestones.all()))
    else:
        form = BidForm()
        formset = milestone_formset()
    refusal = selectors.bid_refusal(project, request.user) if bid is None else None
    context = {
        "project": project,
        "bid": bid,
        "form": form,
        "formset": formset,
        "plan_error": plan_error,
        "refusal": refusal,
        "missing_skills": selectors.missing_skills(project, request.user),
    }
    return render(request, "bids/bid_form.html", context, status=400 if plan_error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def place_bid(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = project_selectors.get_project_for(viewer=request.user, pk=project_pk)
    existing = selectors.live_bid_of(project, request.user)
    if existing is not None:
        messages.info(request, _("You already bid on this project; here is your bid."))
        return redirect(existing)
    return _bid_form_page(request, project)


@login_required
@require_http_methods(["GET", "POST"])
def edit_bid(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    if bid.expert_id != request.user.pk:
        messages.error(request, _("Only the expert who placed this bid can edit it."))
        return redirect(bid)
    return _bid_form_page(request, bid.project, bid)


@login_required
@require_POST
def add_skills(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = project_selectors.get_project_for(viewer=request.user, pk=project_pk)
    try:
        added = services.add_missing_skills(project=project, by=request.user)
    except (BidError, AccountsError) as error:
        messages.error(request, str(error))
    else:
        if added:
            messages.success(
                request, _("Added to your profile: {join}.").format(join=", ".join(map(str, added)))
            )
    return redirect("bids:place", project_pk=project.pk)


@login_required
@require_GET
def project_bids(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = selectors.get_client_project(user=request.user, pk=project_pk)
    order = request.GET.get("order", "best")
    if order not in selectors.ORDERS:
        order = "best"
    show_hidden = request.GET.get("hidden") == "1"
    bids = selectors.bids_for_client(project, order=order, show_hidden=show_hidden)
    context = {
        "project": project,
        "bids": bids,
        "order": order,
        "orders": selectors.ORDERS,
        "show_hidden": show_hidden,
        "contract_url": selectors.contract_url(project),
    }
    return render(request, "bids/project_bids.html", context)


def _card(request: AuthedRequest, bid: Bid) -> HttpResponse:
    """The bid's card on the client's list (htmx), or back to the list."""
    project = bid.project
    if not request.htmx:
        return redirect("bids:project_bids", project_pk=project.pk)
    scored = selectors.scored_bids(project, [bid.pk])[0]
    context = {"project": project, "bid": scored, "contract_url": selectors.contract_url(project)}
    return render(request, "bids/project_bids.html#bid-card", context)


@login_required
@require_POST
def shortlist(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    try:
        services.set_shortlisted(
            bid=bid, by=request.user, shortlisted=request.POST.get("shortlisted") == "1"
        )
    except BidError as error:
        messages.error(request, str(error))
    return _card(request, bid)


@login_required
@require_POST
def hide(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    try:
        services.set_hidden(bid=bid, by=request.user, hidden=request.POST.get("hidden") == "1")
    except BidError as error:
        messages.error(request, str(error))
    return _card(request, bid)


@login_required
@require_GET
def compare(request: AuthedRequest, project_pk: int) -> HttpResponse:
    project = selectors.get_client_project(user=request.user, pk=project_pk)
    try:
        pks = [int(pk) for pk in request.GET.getlist("bid")]
    except ValueError:
        pks = []
    if not 2 <= len(set(pks)) <= 3:
        messages.error(request, _("Choose two or three bids to compare."))
        return redirect("bids:project_bids", project_pk=project.pk)
    bids = selectors.scored_bids(project, pks)
    bids.sort(key=lambda b: pks.index(b.pk))
    return render(request, "bids/compare.html", {"project": project, "bids": bids})


@login_required
@require_GET
def bid_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.get_bid_for(user=request.user, pk=pk))


def _detail_page(
    request: AuthedRequest,
    bid: Bid,
    *,
    reject_form: RejectForm | None = None,
    note_form: NoteForm | None = None,
) -> HttpResponse:
    """The bid page; a refused note or reason comes back bound, with its error summary (400)."""
    project = bid.project
    user = request.user
    is_client = project.owner_id == user.pk
    scored = selectors.scored_bids(project, [bid.pk])[0]
    context: dict[str, Any] = {
        "bid": scored,
        "project": project,
        "is_client": is_client,
        "is_expert": bid.expert_id == user.pk,
        "is_staff": user.is_staff,
        "shown_name": scored.shown_name if bid.expert_id != user.pk else _("You"),  # type: ignore[attr-defined]
        "events": list(bid.events.select_related("by")),
        "revision": bid.revisions.filter(status=OfferRevision.Status.PENDING).first(),
        "contract_url": selectors.contract_url(project),
        "reject_form": reject_form or RejectForm(),
        "note_form": note_form or NoteForm(),
    }
    invalid = reject_form is not None or note_form is not None
    return render(request, "bids/detail.html", context, status=400 if invalid else 200)


def _act(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    done = {
        "withdraw": (services.withdraw_bid, _("Your bid was withdrawn.")),
        "award": (services.award_bid, _("Awarded: the expert is asked to confirm.")),
        "withdraw_award": (services.withdraw_award, _("The award was withdrawn.")),
    }
    service, message = done[action]
    run_and_report(
        request, lambda: service(bid=bid, by=request.user), success=message, refusals=BidError
    )
    return redirect(bid)


@login_required
@require_POST
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "withdraw")


@login_required
@require_POST
def award(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "award")


@login_required
@require_POST
def withdraw_award(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "withdraw_award")


@login_required
@require_POST
def reject(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, bid, reject_form=form)
    try:
        services.reject_award(bid=bid, by=request.user, reason=form.cleaned_data["reason"])
    except BidError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You declined the award; the client was told."))
    return redirect(bid)


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    project = bid.project
    data = request.POST if request.method == "POST" else None
    form = ConfirmForm(data, nda_required=project.nda_required)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.confirm_award(
                bid=bid,
                by=request.user,
                accept_terms=form.cleaned_data["accept_terms"],
                accept_nda=form.cleaned_data.get("accept_nda", False),
                ip=request.META.get("REMOTE_ADDR"),
            )
        except BidError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Confirmed: the contract is made."))
            return redirect(contract)
    context = {
        "bid": bid,
        "project": project,
        "form": form,
        "milestones": list(bid.milestones.all()),
        # A managed project's expert knows the client only as "Client".
        "client_name": CLIENT_ALIAS if project.managed else project.owner.display_name,
    }
    return render(request, "bids/confirm.html", context)


@login_required
@require_GET
def conversation(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    chat = conversation_by_key(f"bid:{bid.pk}") or services.open_bid_conversation(bid)
    return redirect(chat)


@login_required
@require_POST
def negotiate(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, bid, note_form=form)
    try:
        chat = services.request_negotiation(
            bid=bid, by=request.user, message=form.cleaned_data["message"]
        )
    except BidError as error:
        messages.error(request, str(error))
        return redirect(bid)
    messages.success(request, _("Sent to our staff: they will negotiate with the expert."))
    return redirect(chat)


@login_required
@require_POST
def relay(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    form = NoteForm(request.POST)
    form.fields["message"].error_messages["required"] = _("Write the message for the expert.")
    if not form.is_valid():
        return _detail_page(request, bid, note_form=form)
    try:
        chat = services.relay_to_expert(
            bid=bid, by=request.user, message=form.cleaned_data["message"]
        )
    except BidError as error:
        messages.error(request, str(error))
        return redirect(bid)
    return redirect(chat)


@login_required
@require_http_methods(["GET", "POST"])
def revise(request: AuthedRequest, pk: int) -> HttpResponse:
    bid = selectors.get_bid_for(user=request.user, pk=pk)
    plan_error = ""
    if request.method == "POST":
        form = OfferForm(request.POST)
        formset = milestone_formset(request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                services.revise_offer(
                    bid=bid,
                    by=request.user,
                    amount=form.cleaned_data["amount"],
                    days=form.cleaned_data["days"],
                    milestones=formset.inputs(),
                    note=form.cleaned_data["note"],
                )
            except BidInvalid as error:
                plan_error = error.errors.pop("milestones", "")
                for name, message in error.errors.items():
                    form.add_error(name if name in form.fields else None, message)
            except BidError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Revised offer sent to both parties."))
                return redirect(bid)
    else:
        form = OfferForm(initial={"amount": to_decimal_string(bid.amount), "days": bid.days})
        formset = milestone_formset(initial=milestones_initial(bid.milestones.all()))
    context = {"bid": bid, "form": form, "formset": formset, "plan_error": plan_error}
    return render(request, "bids/revise.html", context)


@login_required
@require_POST
def accept_offer(request: AuthedRequest, pk: int) -> HttpResponse:
    revision = get_object_or_404(OfferRevision, pk=pk)
    bid = selectors.get_bid_for(user=request.user, pk=revision.bid_id)
    try:
        revision = services.accept_offer(revision=revision, by=request.user)
    except BidError as error:
        messages.error(request, str(error))
    else:
        if revision.status == OfferRevision.Status.ACCEPTED:
            messages.success(
                request, _("Both parties accepted: the bid now has the revised terms.")
            )
        else:
            messages.success(request, _("Accepted; waiting for the other party."))
    return redirect(bid)


@login_required
@require_GET
def attachment(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(BidAttachment, pk=pk)
    selectors.get_bid_for(user=request.user, pk=item.bid_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_GET
def my_bids(request: AuthedRequest) -> HttpResponse:
    return render(request, "bids/mine.html", {"bids": list(selectors.my_bids(request.user)[:200])})


@login_required
@require_GET
def contract(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = selectors.get_contract_for(user=request.user, pk=pk)
    chat = conversation_by_key(f"bid:{deal.bid_id}")
    context = {
        "contract": deal,
        "project": deal.project,
        "milestones": list(deal.milestones.all()),
        "changes": list(deal.changes.select_related("by")[:20]),
        "is_expert": deal.expert_id == request.user.pk,
        "conversation_url": chat.get_absolute_url() if chat else "",
        "expert_name": deal.name_for(deal.expert, viewer=request.user),
    }
    return render(request, "bids/contract.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def contract_milestones(request: AuthedRequest, pk: int) -> HttpResponse:
    deal = selectors.get_contract_for(user=request.user, pk=pk)
    if deal.expert_id != request.user.pk:
        messages.error(request, _("Only the expert changes the milestone plan."))
        return redirect(deal)
    plan_error = ""
    if request.method == "POST":
        formset = milestone_formset(request.POST)
        if formset.is_valid():
            if "more_rows" in request.POST:
                formset = milestone_formset(initial=_rows_from(formset), rows=2)
            else:
                try:
                    services.replan_milestones(
                        contract=deal, by=request.user, milestones=formset.inputs()
                    )
                except BidError as error:
                    plan_error = (
                        error.errors.get("milestones", str(error))
                        if isinstance(error, BidInvalid)
                        else str(error)
                    )
                else:
                    messages.success(request, _("Milestones saved; the client was told."))
                    return redirect(deal)
        else:
            plan_error = (
                " ".join(str(e) for e in formset.non_form_errors()) or "Check the milestones below."
            )
    else:
        formset = milestone_formset(initial=milestones_initial(deal.milestones.all()), rows=1)
    context = {
        "contract": deal,
        "formset": formset,
        "plan_error": plan_error,
        "cancel_url": reverse("bids:contract", args=[deal.pk]),
    }
    return render(request, "bids/milestones.html", context, status=400 if plan_error else 200)
