"""Pages of referral leads: a provider's inbox, a lead, criteria; staff pages for mandates.

Thin: parse the form, call one service or selector, render. Each POST redirects (PRG) except
when the balance is too low: the lead's page is shown again with a link to top up.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import Skill, User
from escrow.selectors import wallet_balance
from leads import selectors, services
from leads.exceptions import InsufficientBalance, LeadError
from leads.forms import CreditRequestForm, CriteriaForm, InboxFilterForm, MandateForm, RefuseForm
from leads.models import LeadCriteria, LeadEvent, LeadOffer, Mandate
from leads.selectors import INBOX_FILTERS


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User  # login_required guarantees a real user


def _require_provider(request: AuthedRequest) -> None:
    if not request.user.is_expert:
        raise PermissionDenied(_("Referral leads are for providers."))


def _require_staff(request: AuthedRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied(_("Staff only."))


# --- providers ---------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    _require_provider(request)
    status = request.GET.get("status", "new")
    if status not in INBOX_FILTERS:
        status = "new"
    offered = Skill.objects.filter(
        pk__in=LeadCriteria.skills.through.objects.filter(leadcriteria__user=request.user).values(
            "skill_id"
        )
    )
    filters = InboxFilterForm(request.GET or None, offered=offered)
    skill = filters.cleaned_data.get("skill") if filters.is_valid() else None
    counts = selectors.inbox_counts(user=request.user)
    context = {
        "status": status,
        "tabs": [(key, label, counts[key]) for key, label in INBOX_FILTERS.items()],
        "filters": filters,
        "skill_id": skill.pk if skill else "",
        "offers": selectors.inbox_for(
            user=request.user, status=status, skill_id=skill.pk if skill else None
        ),
        "has_criteria": LeadCriteria.objects.filter(user=request.user).exists(),
    }
    template = "leads/inbox.html#lead-list" if request.htmx else "leads/inbox.html"
    return render(request, template, context)


def _render_lead(
    request: AuthedRequest, pk: int, *, funds_error: InsufficientBalance | None = None, **forms
) -> HttpResponse:
    lead = selectors.get_lead_for(user=request.user, mandate_id=pk)
    context = {
        "lead": lead,
        "mandate": lead.mandate,
        "balance": wallet_balance(request.user).available,
        "refuse_form": forms.get("refuse_form") or RefuseForm(),
        "credit_form": forms.get("credit_form") or CreditRequestForm(),
        "funds_error": funds_error,
        "top_up_url": reverse("escrow:top_up"),
        "half_price_open": lead.offer.status != LeadOffer.Status.RESERVED
        and lead.mandate.half_price_offered
        and lead.mandate.half_price_due_at is not None
        and lead.mandate.half_price_due_at > timezone.now(),
    }
    return render(request, "leads/detail.html", context)


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_provider(request)
    return _render_lead(request, pk)


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_provider(request)
    try:
        services.accept_offer(mandate_id=pk, by=request.user)
    except InsufficientBalance as error:
        return _render_lead(request, pk, funds_error=error)
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Lead bought: the client's contact details are below."))
    return redirect("leads:detail", pk=pk)


@login_required
@require_POST
def reserve(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_provider(request)
    try:
        services.reserve_offer(mandate_id=pk, by=request.user)
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _(
                "Reserved at half price. If the lead is still not complete when the offer ends, "
                "it is yours and your balance is charged then."
            ),
        )
    return redirect("leads:detail", pk=pk)


@login_required
@require_POST
def refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_provider(request)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render_lead(request, pk, refuse_form=form)
    try:
        services.refuse_offer(mandate_id=pk, by=request.user, reason=form.cleaned_data["reason"])
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("Lead refused."))
    return redirect("leads:detail", pk=pk)


@login_required
@require_POST
def request_credit(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_provider(request)
    lead = selectors.get_lead_for(user=request.user, mandate_id=pk)
    form = CreditRequestForm(request.POST)
    if not form.is_valid():
        return _render_lead(request, pk, credit_form=form)
    try:
        services.request_credit(
            purchase=lead.purchase,
            by=request.user,
            reason=form.cleaned_data["reason"],
            explanation=form.cleaned_data["explanation"],
        )
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Credit request sent. Our team will decide and let you know."))
    return redirect("leads:detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: AuthedRequest) -> HttpResponse:
    _require_provider(request)
    current = LeadCriteria.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = CriteriaForm(request.POST)
        if form.is_valid():
            try:
                services.save_criteria(user=request.user, **form.cleaned_data)
            except LeadError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Lead criteria saved."))
                return redirect("leads:criteria")
    else:
        form = CriteriaForm(initial=CriteriaForm.initial_for(current))
    return render(request, "leads/criteria.html", {"form": form, "criteria": current})


# --- staff -------------------------------------------------------------------------------------


@login_required
@require_GET
def staff_list(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    status = request.GET.get("status", "")
    context = {
        "mandates": selectors.staff_mandates(status=status),
        "status": status,
        "statuses": Mandate.Status.choices,
        "pending_credits": selectors.pending_credit_requests().count(),
    }
    return render(request, "leads/staff_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_new(request: AuthedRequest) -> HttpResponse:
    _require_staff(request)
    form = MandateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mandate = services.create_mandate(by=request.user, **form.cleaned_data)
            if request.POST.get("action") == "publish":
                offers = services.publish_mandate(mandate=mandate, by=request.user)
                messages.success(
                    request,
                    _("Mandate published and sent to {len} provider(s).").format(len=len(offers)),
                )
            else:
                messages.success(request, _("Mandate saved as a draft."))
        except LeadError as error:
            form.add_error(None, str(error))
        else:
            return redirect("leads:staff_detail", pk=mandate.pk)
    return render(request, "leads/staff_new.html", {"form": form})


@login_required
@require_GET
def staff_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    mandate = get_object_or_404(
        Mandate.objects.select_related("created_by").prefetch_related("skills"), pk=pk
    )
    context = {
        "mandate": mandate,
        "contact": selectors.contact_for(viewer=request.user, mandate=mandate),
        "offers": mandate.offers.select_related("provider").order_by("provider__email"),
        "purchases": mandate.purchases.select_related("buyer").prefetch_related("credit_requests"),
        "events": LeadEvent.objects.filter(mandate=mandate).select_related("actor"),
    }
    return render(request, "leads/staff_detail.html", context)


@login_required
@require_POST
def staff_publish(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    mandate = get_object_or_404(Mandate, pk=pk)
    try:
        offers = services.publish_mandate(mandate=mandate, by=request.user)
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Mandate published and sent to {len} provider(s).").format(len=len(offers))
        )
    return redirect("leads:staff_detail", pk=pk)


@login_required
@require_POST
def staff_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    _require_staff(request)
    mandate = get_object_or_404(Mandate, pk=pk)
    try:
        services.withdraw_mandate(mandate=mandate, by=request.user)
    except LeadError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Mandate withdrawn."))
    return redirect("leads:staff_detail", pk=pk)
