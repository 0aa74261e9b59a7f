"""Review pages: a contract's reviews (and the form), a public reply, a report, my reviews."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from reviews import selectors, services
from reviews.exceptions import InvalidReview, ReviewError
from reviews.forms import ReplyForm, ReportForm, ReviewForm
from reviews.models import Review

PAGE = "reviews/contract.html"


class AuthedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


def _render(
    request: AuthedRequest, contract: Any, form: ReviewForm | None = None, status: int = 200
) -> HttpResponse:
    state = selectors.contract_reviews(contract=contract, viewer=request.user)
    if form is None and state.can_review:
        form = ReviewForm(role=state.role)
    template = f"{PAGE}#review-panel" if request.htmx else PAGE
    context = {"state": state, "contract": contract, "form": form, "reply_form": ReplyForm()}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_reviews(request: AuthedRequest, pk: int) -> HttpResponse:
    contract = selectors.get_contract_for(user=request.user, pk=pk)
    if request.method == "GET":
        return _render(request, contract)
    role = services.role_in(contract, request.user)
    if not role:
        raise Http404("No such contract.")
    form = ReviewForm(request.POST, role=role)
    if not form.is_valid():
        return _render(request, contract, form, status=422)
    data = form.cleaned_data
    try:
        services.submit_review(
            contract=contract,
            by=request.user,
            rating=data["rating"],
            text=data["text"],
            would_work_again=data["would_work_again"],
            criteria={name: data[name] for name in form.criteria_names},
        )
    except InvalidReview as error:
        form.add_error(None, str(error))
        return _render(request, contract, form, status=422)
    except ReviewError as error:
        messages.error(request, str(error))
        return redirect("reviews:contract", pk=contract.pk)
    messages.success(request, _("Thank you: your review is saved."))
    return redirect("reviews:contract", pk=contract.pk)


def _review_for(request: AuthedRequest, pk: int) -> Review:
    review = get_object_or_404(Review.objects.select_related("contract__project"), pk=pk)
    if not services.role_in(review.contract, request.user):
        raise Http404("No such review.")
    return review


@login_required
@require_POST
def reply(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    form = ReplyForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidReview(str(form.errors["text"][0]))
        services.reply_to_review(review=review, by=request.user, text=form.cleaned_data["text"])
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your reply is published."))
    return redirect("reviews:contract", pk=review.contract_id)


@login_required
@require_POST
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    review = _review_for(request, pk)
    form = ReportForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidReview(str(form.errors["reason"][0]))
        services.report_review(review=review, by=request.user, reason=form.cleaned_data["reason"])
    except ReviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: our staff will look at this review."))
    return redirect("reviews:contract", pk=review.contract_id)


@login_required
@require_GET
def mine(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "to_write": list(selectors.reviews_to_write(user)[:50]),
        "received": selectors.public_reviews(
            user,
            role=Review.Role.CLIENT if user.acting_as_expert else Review.Role.EXPERT,
            limit=50,
        ),
    }
    return render(request, "reviews/mine.html", context)
