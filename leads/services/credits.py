"""Credit requests: a buyer asks, staff accept (credited once) or refuse with a reason."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from escrow.services import credit_user
from leads.exceptions import (
    AlreadyCredited,
    CreditAlreadyRequested,
    InvalidTransition,
    NotBought,
    ReasonRequired,
)
from leads.models import CreditRequest, LeadPurchase
from leads.services.common import credit_key, lead_url, record_event, require_staff
from marketplace.history import money_params
from marketplace.money import format_money_lazy
from notifications.services import notify

# --- credit requests ---------------------------------------------------------------------------


def request_credit(
    *, purchase: LeadPurchase | None, by: User, reason: str, explanation: str
) -> CreditRequest:
    """A buyer who could not present their services asks for the price back."""
    if purchase is None or purchase.buyer_id != by.pk:
        raise NotBought()
    if reason not in CreditRequest.Reason.values:
        raise ReasonRequired(_("Choose why you could not present your services."))
    if not explanation.strip():
        raise ReasonRequired(_("Explain what happened."))
    with transaction.atomic():
        locked = LeadPurchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.credited_at is not None:
            raise AlreadyCredited()
        if locked.credit_requests.filter(status=CreditRequest.Status.PENDING).exists():
            raise CreditAlreadyRequested()
        credit_request = CreditRequest.objects.create(
            purchase=locked, reason=reason, explanation=explanation.strip()
        )
        record_event(
            mandate=locked.mandate,
            offer=locked.offer,
            actor=by,
            action="credit_requested",
            params={"reason": credit_request.reason},
        )
        admin_url = reverse("admin:leads_creditrequest_change", args=[credit_request.pk])
        for staff in User.objects.filter(is_staff=True, is_active=True):
            notify(
                user=staff,
                kind="leads.credit_requested",
                title=format_lazy(
                    gettext_lazy("Credit requested on lead #{mandate_id}"),
                    mandate_id=locked.mandate_id,
                ),
                body=f"{by.display_name}: {credit_request.get_reason_display()}",
                url=admin_url,
                target=credit_request,
            )
    return credit_request


def _lock_request(credit_request: CreditRequest) -> CreditRequest:
    return (
        CreditRequest.objects.select_for_update()
        .select_related("purchase__mandate", "purchase__buyer")
        .get(pk=credit_request.pk)
    )


def accept_credit_request(*, credit_request: CreditRequest, by: User) -> CreditRequest:
    """Staff accept: the price paid goes back to the buyer's balance, exactly once."""
    require_staff(by)
    with transaction.atomic():
        locked = _lock_request(credit_request)
        if locked.status != CreditRequest.Status.PENDING:
            raise InvalidTransition(_("This credit request has already been decided."))
        purchase = LeadPurchase.objects.select_for_update().get(pk=locked.purchase_id)
        if purchase.credited_at is not None:
            raise AlreadyCredited()
        mandate = locked.purchase.mandate
        txn = credit_user(
            user=locked.purchase.buyer,
            amount=purchase.price,
            kind="credit",
            key=credit_key(purchase_id=purchase.pk),
            memo=f"Credit for referral lead #{mandate.pk}: {mandate.title}",
        )
        now = timezone.now()
        purchase.credited_at = now
        purchase.save(update_fields=["credited_at"])
        locked.status = CreditRequest.Status.ACCEPTED
        locked.decided_by = by
        locked.decided_at = now
        locked.credit_transaction = txn
        locked.save(update_fields=["status", "decided_by", "decided_at", "credit_transaction"])
        record_event(
            mandate=mandate,
            offer=purchase.offer,
            actor=by,
            action="credit_accepted",
            params=money_params(purchase.price, purchase.currency),
        )
        notify(
            user=locked.purchase.buyer,
            kind="leads.credit_decided",
            title=format_lazy(gettext_lazy("Credit accepted: {title}"), title=mandate.title),
            body=format_lazy(
                gettext_lazy("{amount} was credited to your balance."),
                amount=format_money_lazy(purchase.price, purchase.currency),
            ),
            url=lead_url(mandate),
            target=locked,
        )
    return locked


def refuse_credit_request(*, credit_request: CreditRequest, by: User, reason: str) -> CreditRequest:
    """Staff refuse, saying why; nothing moves."""
    require_staff(by)
    reason = reason.strip()
    if not reason:
        raise ReasonRequired(_("Say why the credit is refused."))
    with transaction.atomic():
        locked = _lock_request(credit_request)
        if locked.status != CreditRequest.Status.PENDING:
            raise InvalidTransition(_("This credit request has already been decided."))
        mandate = locked.purchase.mandate
        locked.status = CreditRequest.Status.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.refusal_reason = reason[:2000]
        locked.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        record_event(
            mandate=mandate,
            offer=locked.purchase.offer,
            actor=by,
            action="credit_refused",
            detail=reason,
        )
        notify(
            user=locked.purchase.buyer,
            kind="leads.credit_decided",
            title=format_lazy(gettext_lazy("Credit refused: {title}"), title=mandate.title),
            body=format_lazy(gettext_lazy("Reason: {reason}"), reason=reason),
            url=lead_url(mandate),
            target=locked,
        )
    return locked
