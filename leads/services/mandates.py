"""Staff write, publish and withdraw mandates; matched providers are told after commit."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Skill, User
from leads import selectors
from leads.exceptions import InvalidTransition
from leads.models import LeadOffer, Mandate, MandateContact
from leads.services.common import (
    NEW_MANDATE_KIND,
    lead_url,
    lock_mandate,
    record_event,
    require_staff,
)
from marketplace.money import format_money_lazy
from notifications.models import Notification
from notifications.services import notify, render_email

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

# --- mandates (staff) --------------------------------------------------------------------------


def create_mandate(
    *,
    by: User,
    title: str,
    description: str,
    skills: Iterable[Skill],
    price: int,
    contact_name: str,
    budget_min: int | None = None,
    budget_max: int | None = None,
    country: str = "",
    region: str = "",
    city: str = "",
    max_buyers: int | None = None,
    half_price_offered: bool = True,
    contact_company: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    contact_notes: str = "",
) -> Mandate:
    """Staff write a mandate from a prospect's call; it stays a draft until published."""
    require_staff(by)
    skills = list(skills)
    if not skills:
        raise InvalidTransition(_("Pick at least one service."))
    if price <= 0:
        raise InvalidTransition(_("The referral price must be greater than zero."))
    if not (contact_email or contact_phone):
        raise InvalidTransition(_("Give the client's email or phone number."))
    with transaction.atomic():
        mandate = Mandate.objects.create(
            title=title,
            description=description,
            price=price,
            budget_min=budget_min,
            budget_max=budget_max,
            currency=settings.PLATFORM_CURRENCY,
            country=country,
            region=region.strip(),
            city=city.strip(),
            max_buyers=max_buyers or settings.LEAD_MAX_BUYERS,
            half_price_offered=half_price_offered,
            created_by=by,
        )
        mandate.skills.set(skills)
        MandateContact.objects.create(
            mandate=mandate,
            name=contact_name,
            company=contact_company,
            email=contact_email,
            phone=contact_phone,
            notes=contact_notes,
        )
        record_event(mandate=mandate, action="created", actor=by, to_status=mandate.status)
    return mandate


def publish_mandate(*, mandate: Mandate, by: User, now: datetime | None = None) -> list[LeadOffer]:
    """Publish a draft: send it to every matching provider (notified by a task after commit)."""
    require_staff(by)
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_mandate(mandate.pk)
        if locked.status != Mandate.Status.DRAFT:
            raise InvalidTransition(_("Only a draft mandate can be published."))
        locked.status = Mandate.Status.PUBLISHED
        locked.published_at = now
        if locked.half_price_offered:
            locked.half_price_due_at = now + timedelta(days=settings.LEAD_HALF_PRICE_AFTER_DAYS)
        locked.save(update_fields=["status", "published_at", "half_price_due_at"])
        providers = selectors.matching_providers(mandate=locked)
        offers = LeadOffer.objects.bulk_create(
            [LeadOffer(mandate=locked, provider=user) for user in providers]
        )
        record_event(
            mandate=locked,
            action="published",
            actor=by,
            from_status=Mandate.Status.DRAFT,
            to_status=locked.status,
            params={"providers": len(offers)},
        )
        from leads.tasks import send_offer_notifications

        mandate_id = locked.pk
        transaction.on_commit(lambda: send_offer_notifications.delay(mandate_id))
    mandate.refresh_from_db()
    return offers


def withdraw_mandate(*, mandate: Mandate, by: User) -> Mandate:
    """Take a draft or published mandate off the market (buyers keep what they bought)."""
    require_staff(by)
    with transaction.atomic():
        locked = lock_mandate(mandate.pk)
        if Mandate.Status.WITHDRAWN not in Mandate.TRANSITIONS[locked.status]:
            raise InvalidTransition(_("This mandate can no longer be withdrawn."))
        previous = locked.status
        locked.status = Mandate.Status.WITHDRAWN
        locked.save(update_fields=["status"])
        record_event(
            mandate=locked,
            action="withdrawn",
            actor=by,
            from_status=previous,
            to_status="withdrawn",
        )
    mandate.refresh_from_db()
    return locked


def _at_most(count: int) -> str:
    return ngettext(
        "At most %(count)d provider can buy this lead.",
        "At most %(count)d providers can buy this lead.",
        count,
    ) % {"count": count}


_at_most_lazy = lazy(_at_most, str)


def _labels(skills: list[Skill]) -> str:
    return ", ".join(skill.label for skill in skills)


_labels_lazy = lazy(_labels, str)


def _offer_message(mandate: Mandate) -> tuple[StrOrPromise, StrOrPromise]:
    """Title and body of a new-lead notification: the description, never the contact. Both are
    lazy, so each provider reads them in their own language."""
    currency = mandate.currency
    lines: list[StrOrPromise] = [
        format_lazy(
            gettext_lazy("Services: {names}"),
            names=_labels_lazy(list(mandate.skills.all())),
        ),
        format_lazy(gettext_lazy("Area: {area}"), area=mandate.area),
    ]
    low = format_money_lazy(mandate.budget_min, currency) if mandate.budget_min else None
    high = format_money_lazy(mandate.budget_max, currency) if mandate.budget_max else None
    if low and high:
        lines.append(format_lazy(gettext_lazy("Budget: {low} to {high}"), low=low, high=high))
    elif low:
        lines.append(format_lazy(gettext_lazy("Budget: from {low}"), low=low))
    elif high:
        lines.append(format_lazy(gettext_lazy("Budget: up to {high}"), high=high))
    lines.append(
        format_lazy(
            gettext_lazy("Referral price: {price}"),
            price=format_money_lazy(mandate.price, currency),
        )
    )
    if mandate.half_price_offered:
        lines.append(
            format_lazy(
                gettext_lazy(
                    "Half price offered: reserve it and, if the lead is still not complete "
                    "after {days} days, it is yours for {price}."
                ),
                days=settings.LEAD_HALF_PRICE_AFTER_DAYS,
                price=format_money_lazy(mandate.half_price, currency),
            )
        )
    lines.append(_at_most_lazy(mandate.max_buyers))
    lines += ["", mandate.description]
    title = format_lazy(gettext_lazy("New referral lead: {title}"), title=mandate.title)
    return title, format_lazy("\n".join("{}" for _line in lines), *lines)


def send_offer_notifications(*, mandate_id: int) -> int:
    """Tell each matched provider once, by the channels they chose. Returns how many were told."""
    mandate = Mandate.objects.prefetch_related("skills").get(pk=mandate_id)
    if mandate.status != Mandate.Status.PUBLISHED:
        return 0
    title, body = _offer_message(mandate)
    url = lead_url(mandate)
    told = 0
    pending = LeadOffer.objects.filter(mandate=mandate, notified_at__isnull=True).values_list(
        "pk", flat=True
    )
    for offer_id in list(pending):
        claimed = LeadOffer.objects.filter(pk=offer_id, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if not claimed:
            continue
        offer = LeadOffer.objects.select_related("provider__lead_criteria").get(pk=offer_id)
        _tell_provider(offer=offer, title=title, body=body, url=url)
        told += 1
    return told


def _tell_provider(*, offer: LeadOffer, title: StrOrPromise, body: StrOrPromise, url: str) -> None:
    user = offer.provider
    criteria = getattr(user, "lead_criteria", None)
    in_app = criteria.notify_in_app if criteria else True
    by_email = criteria.notify_email if criteria else True
    if in_app:
        # The in-app notification; its email follows the provider's email switch for this kind.
        notify(user=user, kind=NEW_MANDATE_KIND, title=title, body=body, url=url, target=offer)
    elif by_email and user.is_active and user.email:
        with translation.override(user.language_or_default):
            draft = Notification(
                user=user, kind=NEW_MANDATE_KIND, title=str(title), body=str(body), url=url
            )
            subject, text = render_email(notification=draft)
        EmailMessage(subject=subject, body=text, to=[user.email]).send()
