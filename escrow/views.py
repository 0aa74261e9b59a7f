"""Money pages: balance, statement (and CSV), receipts, top up, withdraw, the demo card page and
the Stripe webhook. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator

import stripe
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from escrow import memos, purposes, selectors
from escrow.exceptions import MoneyActionError
from escrow.forms import (
    AmountForm,
    DemoCardForm,
    PaymentPreferenceForm,
    StatementFilterForm,
    TopUpForm,
)
from escrow.gateways.stripe import verify_webhook
from escrow.models import Checkout, ConnectedAccount, PaymentPreference, Payout, Purchase
from escrow.services.demo import submit_demo_card
from escrow.services.payments import (
    checkout_from_return_token,
    record_gateway_event,
    return_token,
    sentence,
    start_top_up,
)
from escrow.services.payouts import request_payout, start_payout_setup
from escrow.services.preferences import set_payment_preference
from marketplace.http import id_param
from marketplace.money import to_decimal_string

logger = logging.getLogger(__name__)


class AuthedRequest(HttpRequest):
    """What login_required + django-htmx guarantee (for the type checker)."""

    user: User
    htmx: HtmxDetails


@login_required
@require_GET
def balance(request: AuthedRequest) -> HttpResponse:
    summary = selectors.wallet_balance(request.user)
    recent = selectors.statement_page(request.user, selectors.StatementFilters(), size=8)
    payouts = Payout.objects.filter(user=request.user).order_by("-id")[:5]
    return render(
        request,
        "escrow/balance.html",
        {"summary": summary, "recent": recent.entries, "payouts": payouts},
    )


def _filters(request: AuthedRequest) -> tuple[StatementFilterForm, selectors.StatementFilters]:
    form = StatementFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, selectors.StatementFilters(
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    return form, selectors.StatementFilters()


@login_required
@require_GET
def statement(request: AuthedRequest) -> HttpResponse:
    form, filters = _filters(request)
    before = id_param(request, "before")
    page = selectors.statement_page(request.user, filters, before=before)
    query = request.GET.copy()
    query.pop("before", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.htmx and before:
        return render(request, "escrow/statement.html#statement-rows", context)
    return render(request, "escrow/statement.html", context)


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_GET
def statement_csv(request: AuthedRequest) -> StreamingHttpResponse:
    _form, filters = _filters(request)
    _account, entries = selectors.statement_queryset(request.user, filters)
    writer = csv.writer(_Echo())
    # The rows are written after the view returns, outside the request's language: keep it.
    # Words follow the reader's language; dates and amounts stay machine-readable (ISO, 1234.50).
    language = get_language()

    def rows() -> Iterator[str]:
        with translation.override(language):
            yield writer.writerow(
                [
                    _("date"),
                    _("type"),
                    _("description"),
                    _("amount"),
                    pgettext("statement column", "balance after"),
                    _("currency"),
                ]
            )
            for entry in entries.iterator(chunk_size=2000):
                yield writer.writerow(
                    [
                        entry.created_at.isoformat(),
                        entry.transaction.get_kind_display(),
                        memos.translated(purposes.humanize(entry.transaction.memo)),
                        to_decimal_string(entry.amount),
                        to_decimal_string(entry.balance_after),
                        entry.currency,
                    ]
                )

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="guildhall-statement.csv"'
    return response


@login_required
@require_GET
def receipts(request: AuthedRequest) -> HttpResponse:
    checkouts = selectors.with_labels(
        list(selectors.receipts_for(request.user)[:50]), lambda c: c.description
    )
    purchases = selectors.purchases_for(request.user)[:50]
    return render(request, "escrow/receipts.html", {"checkouts": checkouts, "purchases": purchases})


@login_required
@require_GET
def receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    checkout = get_object_or_404(
        Checkout.objects.select_related("purchase", "held"), pk=pk, user=request.user
    )
    selectors.with_labels([checkout], lambda c: c.description)
    return render(request, "escrow/receipt.html", {"checkout": checkout})


@login_required
@require_GET
def purchase_receipt(request: AuthedRequest, pk: int) -> HttpResponse:
    purchase = get_object_or_404(Purchase, pk=pk, user=request.user, status=Purchase.Status.PAID)
    return render(request, "escrow/purchase_receipt.html", {"purchase": purchase})


@login_required
@require_http_methods(["GET", "POST"])
def top_up(request: AuthedRequest) -> HttpResponse:
    form = TopUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = start_top_up(
                user=request.user,
                amount=form.cleaned_data["amount"],
                key=form.cleaned_data["key"],
                return_url=reverse("escrow:balance"),
            )
        except MoneyActionError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect(started.redirect_url)
    return render(request, "escrow/top_up.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthedRequest) -> HttpResponse:
    summary = selectors.wallet_balance(request.user)
    form = AmountForm(request.POST or None, minimum=settings.PAYOUT_MIN)
    if request.method == "POST" and form.is_valid():
        try:
            request_payout(user=request.user, amount=form.cleaned_data["amount"])
        except MoneyActionError as exc:
            form.add_error("amount", str(exc))
        else:
            messages.success(request, _("Withdrawal requested. We'll let you know when it's sent."))
            return redirect("escrow:balance")
    return render(
        request,
        "escrow/withdraw.html",
        {
            "form": form,
            "summary": summary,
            "payout_min": settings.PAYOUT_MIN,
            "needs_setup": settings.PAYMENT_GATEWAY == "stripe"
            and not ConnectedAccount.objects.filter(
                user=request.user, payouts_enabled=True
            ).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def payout_setup(request: AuthedRequest) -> HttpResponse:
    """Stripe sends the expert back here when an onboarding link expires (GET) or they start."""
    try:
        url = start_payout_setup(user=request.user)
    except MoneyActionError as exc:
        messages.error(request, str(exc))
        return redirect("escrow:withdraw")
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def demo_checkout(request: AuthedRequest, token: str) -> HttpResponse:
    checkout = get_object_or_404(Checkout, token=token, gateway="demo")
    if checkout.user_id != request.user.pk:
        raise Http404
    form = DemoCardForm(request.POST or None)
    if request.method == "POST" and checkout.status == Checkout.Status.OPEN and form.is_valid():
        try:
            submit_demo_card(
                checkout=checkout, user=request.user, card_number=form.cleaned_data["card_number"]
            )
        except MoneyActionError as exc:
            messages.error(request, str(exc))
        return redirect(f"{reverse('escrow:checkout_return')}?t={return_token(checkout)}")
    selectors.with_labels([checkout], lambda c: c.description)
    return render(request, "escrow/demo_checkout.html", {"checkout": checkout, "form": form})


@login_required
@require_GET
def checkout_return(request: AuthedRequest) -> HttpResponse:
    try:
        checkout = checkout_from_return_token(request.GET.get("t", ""))
    except MoneyActionError as exc:
        return render(request, "escrow/checkout_return.html", {"error": str(exc)}, status=400)
    if checkout.user_id != request.user.pk:
        raise Http404
    checkout.refresh_from_db()
    selectors.with_labels([checkout], lambda c: c.description)
    return render(
        request,
        "escrow/checkout_return.html",
        {
            "checkout": checkout,
            "cancelled": request.GET.get("cancelled") == "1",
            "failure": sentence(checkout.failure_reason),
        },
    )


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify the signature on the raw body, store the event once, process it after commit."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        return HttpResponseBadRequest("webhooks are not configured")
    try:
        event = verify_webhook(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except (ValueError, stripe.SignatureVerificationError):
        logger.warning("stripe webhook refused: bad payload or signature")
        return HttpResponseBadRequest("invalid signature")
    record_gateway_event(
        gateway="stripe", event_id=str(event["id"]), type=str(event["type"]), payload=event
    )
    return HttpResponse(status=200)


@login_required
@require_http_methods(["GET", "POST"])
def payment_method(request: AuthedRequest) -> HttpResponse:
    """The preferred payment method every payment form starts on."""
    current = (
        PaymentPreference.objects.filter(user=request.user).values_list("method", flat=True).first()
        or PaymentPreference.Method.BALANCE_FIRST
    )
    form = PaymentPreferenceForm(request.POST or None, initial={"method": current})
    if request.method == "POST" and form.is_valid():
        set_payment_preference(user=request.user, method=form.cleaned_data["method"])
        messages.success(request, _("Saved: your payments start on this method."))
        return redirect("escrow:payment_method")
    return render(request, "escrow/payment_method.html", {"form": form})
