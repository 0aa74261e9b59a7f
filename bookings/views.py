"""Thin views: parse the form, call one service or selector, render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from bids.models import Bid
from bookings import selectors, services
from bookings.exceptions import BookingError, ListingInvalid
from bookings.forms import (
    BookingRequestForm,
    CatalogueForm,
    ChangesForm,
    FeePaymentForm,
    ListingForm,
)
from bookings.models import Booking
from escrow.exceptions import MoneyActionError
from escrow.fees import quote_fee
from escrow.selectors import preferred_source
from marketplace.http import page_number


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


def _add_errors(form: Any, exc: ListingInvalid) -> None:
    for field, message in exc.errors.items():
        form.add_error(field if field in form.fields else None, message)


@require_GET
def catalogue(request: HtmxRequest) -> HttpResponse:
    form = CatalogueForm(request.GET or None)
    query, category = "", ""
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        chosen = form.cleaned_data["category"]
        category = chosen.slug if chosen else ""
    page = selectors.catalogue(query=query, category=category, page=page_number(request))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"form": form, "page": page, "params": params.urlencode()}
    template = "bookings/catalogue.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
def listing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.get_listing(pk=pk, viewer=request.user)  # type: ignore[arg-type]
    return render(request, "bookings/listing_detail.html", {"listing": listing})


@login_required
@require_GET
def my_listings(request: HttpRequest) -> HttpResponse:
    listings = selectors.listings_of(request.user, include_inactive=True)  # type: ignore[arg-type]
    return render(request, "bookings/my_listings.html", {"listings": listings})


@login_required
@require_http_methods(["GET", "POST"])
def create_listing(request: HttpRequest) -> HttpResponse:
    form = ListingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.create_listing(
                by=request.user,  # type: ignore[arg-type]
                values=form.values(),
                images=form.cleaned_data["images"],
            )
        except ListingInvalid as exc:
            _add_errors(form, exc)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your service is published."))
            return redirect(listing)
    return render(request, "bookings/listing_form.html", {"form": form, "listing": None})


@login_required
@require_http_methods(["GET", "POST"])
def edit_listing(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.get_own_listing(pk=pk, user=request.user)  # type: ignore[arg-type]
    form = ListingForm(request.POST or None, request.FILES or None, listing=listing)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.update_listing(
                listing=listing,
                by=request.user,  # type: ignore[arg-type]
                values=form.values(),
                images=form.cleaned_data["images"],
                remove_images=form.removed_image_ids(),
            )
        except ListingInvalid as exc:
            _add_errors(form, exc)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your service is saved."))
            return redirect(listing)
    return render(request, "bookings/listing_form.html", {"form": form, "listing": listing})


@login_required
@require_http_methods(["GET", "POST"])
def request_booking(request: HttpRequest, pk: int) -> HttpResponse:
    listing = selectors.get_listing(pk=pk, viewer=request.user)  # type: ignore[arg-type]
    form = BookingRequestForm(request.POST or None, initial={"budget": listing.price_from})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.request_booking(
                listing=listing,
                by=request.user,  # type: ignore[arg-type]
                description=form.cleaned_data["description"],
                budget=form.cleaned_data["budget"],
                deadline=form.cleaned_data["deadline"],
            )
        except ListingInvalid as exc:
            _add_errors(form, exc)
        except BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Booking requested: {display_name} is invited to offer.").format(
                    display_name=listing.expert.display_name
                ),
            )
            return redirect("bookings:request_detail", pk=project.pk)
    return render(request, "bookings/request_form.html", {"form": form, "listing": listing})


@login_required
@require_GET
def my_bookings(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "bookings": list(selectors.bookings_for(user)[:100]),  # type: ignore[arg-type]
        "requests": list(selectors.open_requests_of(user)[:100]),  # type: ignore[arg-type]
    }
    return render(request, "bookings/mine.html", context)


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.get_request_for(user=request.user, pk=pk)  # type: ignore[arg-type]
    booking = selectors.booking_of_project(project)
    if booking is not None:
        return redirect(booking)
    context = {
        "project": project,
        "request_row": selectors.listing_of_request(project),
        "offers": [
            (bid, quote_fee(amount=bid.amount, fee_kind=services.FEE_KIND, currency=bid.currency))
            for bid in selectors.offers_on(project)
        ],
    }
    return render(request, "bookings/request_detail.html", context)


@login_required
@require_POST
def accept_offer(request: HttpRequest, pk: int) -> HttpResponse:
    bid = get_object_or_404(Bid, pk=pk)
    try:
        booking = services.accept_offer(bid=bid, by=request.user)  # type: ignore[arg-type]
    except BookingError as exc:
        messages.error(request, str(exc))
        return redirect("bookings:request_detail", pk=bid.project_id)
    messages.success(request, _("Booking made. Pay the platform fee so the work can start."))
    return redirect("bookings:pay", pk=booking.pk)


def _role(booking: Booking, user: Any) -> str:
    if user.pk == booking.client_id:
        return "client"
    if user.pk == booking.expert_id:
        return "expert"
    return "staff"


@login_required
@require_GET
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for(user=request.user, pk=pk)  # type: ignore[arg-type]
    context = {
        "booking": booking,
        "role": _role(booking, request.user),
        "events": list(booking.events.select_related("by")),
        "changes_form": ChangesForm(),
    }
    return render(request, "bookings/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def pay_fee(request: HttpRequest, pk: int) -> HttpResponse:
    booking = selectors.get_booking_for(user=request.user, pk=pk)  # type: ignore[arg-type]
    if booking.client_id != request.user.pk:
        messages.error(request, _("Only the client pays the platform fee."))
        return redirect(booking)
    if booking.status != Booking.Status.AWAITING_FEE:
        messages.info(request, _("The platform fee for this booking is paid."))
        return redirect(booking)
    form = FeePaymentForm(
        request.POST or None, initial={"source": preferred_source(request.user, booking.fee)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.pay_booking_fee(
                booking=booking,
                by=request.user,  # type: ignore[arg-type]
                source=form.cleaned_data["source"],
                return_url=booking.get_absolute_url(),
            )
        except (BookingError, MoneyActionError) as exc:
            messages.error(request, str(exc))
        else:
            if not result.paid:
                return redirect(result.redirect_url)
            messages.success(request, _("Platform fee paid: the expert can start."))
            return redirect(booking)
    quote = quote_fee(amount=booking.price, fee_kind=services.FEE_KIND, currency=booking.currency)
    context = {"booking": booking, "form": form, "quote": quote}
    return render(request, "bookings/pay.html", context)


def _act(request: HttpRequest, pk: int, action: Any, success: str, **kwargs: Any) -> HttpResponse:
    booking = selectors.get_booking_for(user=request.user, pk=pk)  # type: ignore[arg-type]
    try:
        action(booking=booking, by=request.user, **kwargs)
    except BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect(reverse("bookings:detail", args=[pk]))


@login_required
@require_POST
def mark_done(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.mark_done, "Marked as done: the client is asked to confirm.")


@login_required
@require_POST
def request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    form = ChangesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what should change."))
        return redirect(reverse("bookings:detail", args=[pk]))
    return _act(
        request,
        pk,
        services.request_changes,
        "Changes requested: the expert is told.",
        note=form.cleaned_data["note"],
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.confirm_completion, "Booking completed. Thank you!")
