"""A provider accepts, reserves at half price or refuses; the half-price job."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from escrow.exceptions import InsufficientFunds
from escrow.selectors import wallet_balance
from escrow.services import debit_user
from leads.exceptions import (
    AlreadyBought,
    HalfPriceUnavailable,
    InsufficientBalance,
    InvalidTransition,
    MandateClosed,
    MandateFull,
    NotAllowed,
)
from leads.models import LeadOffer, LeadPurchase, Mandate, lead_event_params_text
from leads.services.common import lead_url, lock_mandate, purchase_key, record_event
from marketplace.history import money_params
from marketplace.money import format_money_lazy
from notifications.services import notify

# --- a provider's decisions --------------------------------------------------------------------


def _lock_offer(*, mandate: Mandate, user: User) -> LeadOffer:
    offer = LeadOffer.objects.select_for_update().filter(mandate=mandate, provider=user).first()
    if offer is None:
        raise NotAllowed(_("This lead was not sent to you."))
    return offer


def _check_open(mandate: Mandate) -> None:
    if mandate.status == Mandate.Status.COMPLETE or mandate.is_complete:
        raise MandateFull()
    if mandate.status != Mandate.Status.PUBLISHED:
        raise MandateClosed()


def _buy(
    *, mandate: Mandate, offer: LeadOffer, user: User, price: int, half_price: bool
) -> LeadPurchase:
    """Debit, record the purchase and take a place; call with mandate and offer locked."""
    try:
        txn = debit_user(
            user=user,
            amount=price,
            kind="purchase",
            key=purchase_key(mandate_id=mandate.pk, user_id=user.pk),
            memo=f"Referral lead #{mandate.pk}: {mandate.title}"
            + (" (half price)" if half_price else ""),
        )
    except InsufficientFunds:
        raise InsufficientBalance(needed=price, available=wallet_balance(user).available) from None
    purchase = LeadPurchase.objects.create(
        mandate=mandate,
        buyer=user,
        offer=offer,
        price=price,
        currency=mandate.currency,
        half_price=half_price,
        transaction=txn,
    )
    Mandate.objects.filter(pk=mandate.pk).update(buyers_count=F("buyers_count") + 1)
    mandate.refresh_from_db(fields=["buyers_count"])
    previous = offer.status
    offer.status = LeadOffer.Status.BOUGHT
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    record_event(
        mandate=mandate,
        offer=offer,
        actor=user,
        action="bought_half_price" if half_price else "bought",
        from_status=previous,
        to_status=offer.status,
        params=money_params(price, mandate.currency),
    )
    if mandate.is_complete:
        mandate.status = Mandate.Status.COMPLETE
        mandate.completed_at = timezone.now()
        mandate.save(update_fields=["status", "completed_at"])
        record_event(
            mandate=mandate,
            action="complete",
            from_status=Mandate.Status.PUBLISHED,
            to_status=mandate.status,
        )
    return purchase


def accept_offer(*, mandate_id: int, by: User) -> LeadPurchase:
    """Buy a lead at full price: the balance is debited and the contact revealed."""
    with transaction.atomic():
        mandate = lock_mandate(mandate_id)
        offer = _lock_offer(mandate=mandate, user=by)
        if offer.status == LeadOffer.Status.BOUGHT:
            raise AlreadyBought()
        _check_open(mandate)
        return _buy(mandate=mandate, offer=offer, user=by, price=mandate.price, half_price=False)


def reserve_offer(*, mandate_id: int, by: User, now: datetime | None = None) -> LeadOffer:
    """Accept at half price: a reservation awarded by the job if the lead is still open later."""
    now = now or timezone.now()
    with transaction.atomic():
        mandate = lock_mandate(mandate_id)
        offer = _lock_offer(mandate=mandate, user=by)
        if offer.status == LeadOffer.Status.BOUGHT:
            raise AlreadyBought()
        if offer.status == LeadOffer.Status.RESERVED:
            raise InvalidTransition(_("You have already reserved this lead at half price."))
        _check_open(mandate)
        due = mandate.half_price_due_at
        if not mandate.half_price_offered or due is None or due <= now:
            raise HalfPriceUnavailable()
        if LeadOffer.Status.RESERVED not in LeadOffer.TRANSITIONS[offer.status]:
            raise InvalidTransition()
        previous = offer.status
        offer.status = LeadOffer.Status.RESERVED
        offer.reserved_at = now
        offer.lapse_params, offer.lapse_reason = {}, ""
        offer.save(update_fields=["status", "reserved_at", "lapse_params", "lapse_reason"])
        record_event(
            mandate=mandate,
            offer=offer,
            actor=by,
            action="reserved",
            from_status=previous,
            to_status=offer.status,
        )
    return offer


def refuse_offer(*, mandate_id: int, by: User, reason: str = "") -> LeadOffer:
    """Say no to a lead (or drop a half-price reservation), with an optional reason."""
    with transaction.atomic():
        mandate = lock_mandate(mandate_id)
        offer = _lock_offer(mandate=mandate, user=by)
        if offer.status == LeadOffer.Status.BOUGHT:
            raise AlreadyBought(_("You bought this lead; ask for a credit instead of refusing it."))
        if LeadOffer.Status.REFUSED not in LeadOffer.TRANSITIONS[offer.status]:
            raise InvalidTransition(_("You have already refused this lead."))
        previous = offer.status
        offer.status = LeadOffer.Status.REFUSED
        offer.refusal_reason = reason.strip()[:500]
        offer.decided_at = timezone.now()
        offer.save(update_fields=["status", "refusal_reason", "decided_at"])
        record_event(
            mandate=mandate,
            offer=offer,
            actor=by,
            action="refused",
            from_status=previous,
            to_status=offer.status,
            detail=offer.refusal_reason,
        )
    return offer


# --- the half-price job ------------------------------------------------------------------------


def award_half_price_for(*, mandate_id: int, now: datetime | None = None) -> int:
    """Settle one mandate's reservations once: award in reservation order while places remain;
    a full or closed mandate, or a balance too low now, lapses the rest. Returns awards made."""
    now = now or timezone.now()
    awarded = 0
    with transaction.atomic():
        mandate = lock_mandate(mandate_id)
        due = mandate.half_price_due_at
        if mandate.half_price_settled_at is not None or due is None or due > now:
            return 0
        reservations = list(
            LeadOffer.objects.select_for_update()
            .filter(mandate=mandate, status=LeadOffer.Status.RESERVED)
            .select_related("provider")
            .order_by("reserved_at", "id")
        )
        url = lead_url(mandate)
        for offer in reservations:
            if mandate.status != Mandate.Status.PUBLISHED or mandate.is_complete:
                _lapse(offer=offer, mandate=mandate, params={"why": "complete"})
                continue
            price = mandate.half_price
            try:
                with transaction.atomic():
                    _buy(
                        mandate=mandate,
                        offer=offer,
                        user=offer.provider,
                        price=price,
                        half_price=True,
                    )
            except InsufficientBalance:
                offer.refresh_from_db()
                _lapse(
                    offer=offer,
                    mandate=mandate,
                    params={"why": "balance", **money_params(price, mandate.currency)},
                )
                continue
            awarded += 1
            notify(
                user=offer.provider,
                kind="leads.half_price_awarded",
                title=format_lazy(
                    gettext_lazy("Lead awarded at half price: {title}"), title=mandate.title
                ),
                body=format_lazy(
                    gettext_lazy(
                        "{amount} was taken from your balance. The client's contact details are "
                        "on the lead's page."
                    ),
                    amount=format_money_lazy(price, mandate.currency),
                ),
                url=url,
                target=offer,
            )
        mandate.half_price_settled_at = now
        mandate.save(update_fields=["half_price_settled_at"])
    return awarded


def _lapse(*, offer: LeadOffer, mandate: Mandate, params: dict[str, Any]) -> None:
    """The offer, the history row and the notification keep the reason's code and amount
    (`params`); each is written in its reader's language when shown."""
    offer.status = LeadOffer.Status.LAPSED
    offer.lapse_params, offer.lapse_reason = params, ""
    offer.decided_at = timezone.now()
    offer.save(update_fields=["status", "lapse_params", "lapse_reason", "decided_at"])
    record_event(
        mandate=mandate,
        offer=offer,
        action="reservation_lapsed",
        from_status=LeadOffer.Status.RESERVED,
        to_status=offer.status,
        params=params,
    )
    notify(
        user=offer.provider,
        kind="leads.reservation_lapsed",
        title=format_lazy(
            gettext_lazy("Half-price reservation lapsed: {title}"), title=mandate.title
        ),
        body=format_lazy(
            gettext_lazy("{reason} Nothing was taken from your balance."),
            reason=lazy(lead_event_params_text, str)(params),
        ),
        url=lead_url(mandate),
        target=offer,
    )


def award_half_price_reservations(*, now: datetime | None = None) -> int:
    """The periodic job: settle every mandate whose half-price date has passed."""
    now = now or timezone.now()
    due = Mandate.objects.filter(
        half_price_offered=True,
        half_price_due_at__lte=now,
        half_price_settled_at__isnull=True,
    ).values_list("pk", flat=True)
    return sum(award_half_price_for(mandate_id=pk, now=now) for pk in list(due))
