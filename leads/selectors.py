"""Reads of referral leads: matching, a provider's inbox, a lead as its viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from accounts.models import User
from leads.models import (
    CreditRequest,
    LeadCriteria,
    LeadOffer,
    LeadPurchase,
    Mandate,
    MandateContact,
)

INBOX_FILTERS: dict[str, StrOrPromise] = {
    "new": gettext_lazy("New"),
    "reserved": gettext_lazy("Reserved at half price"),
    "bought": gettext_lazy("Bought"),
    "refused": gettext_lazy("Refused"),
    "all": gettext_lazy("All"),
}
INBOX_PAGE_SIZE = 50


def _norm(value: str) -> str:
    return " ".join(value.split()).casefold()


def criteria_match(criteria: LeadCriteria, mandate: Mandate, skill_ids: set[int]) -> bool:
    """One provider's criteria against a mandate (skills given as ids, already loaded).

    Services: at least one of the mandate's services is offered (criteria without services get
    nothing). Budget: the two ranges overlap; an open end or an unknown budget matches. Areas: a
    mandate with no place matches everyone; otherwise the provider covers its country, its region
    or its city, or left every area blank (anywhere).
    """
    if not criteria.is_active:
        return False
    offered = {skill.pk for skill in criteria.skills.all()}
    if not offered & skill_ids:
        return False
    low = mandate.budget_min if mandate.budget_min is not None else mandate.budget_max
    high = mandate.budget_max if mandate.budget_max is not None else mandate.budget_min
    if high is not None and criteria.budget_min is not None and high < criteria.budget_min:
        return False
    if low is not None and criteria.budget_max is not None and low > criteria.budget_max:
        return False
    return _area_match(criteria, mandate)


def _area_match(criteria: LeadCriteria, mandate: Mandate) -> bool:
    if not (criteria.countries or criteria.regions or criteria.cities):
        return True
    if not (mandate.country or mandate.region or mandate.city):
        return True
    if mandate.country and mandate.country in criteria.countries:
        return True
    if mandate.region and _norm(mandate.region) in {_norm(r) for r in criteria.regions}:
        return True
    return bool(mandate.city and _norm(mandate.city) in {_norm(c) for c in criteria.cities})


def matching_providers(*, mandate: Mandate) -> list[User]:
    """Active providers whose criteria match the mandate (staff and the author excluded)."""
    skill_ids = set(mandate.skills.values_list("pk", flat=True))
    if not skill_ids:
        return []
    candidates = (
        LeadCriteria.objects.filter(
            is_active=True,
            user__is_active=True,
            user__is_expert=True,
            skills__in=skill_ids,
        )
        .exclude(user_id=mandate.created_by_id)
        .distinct()
        .select_related("user")
        .prefetch_related("skills")
        .order_by("user_id")
    )
    return [c.user for c in candidates if criteria_match(c, mandate, skill_ids)]


def inbox_for(
    *, user: User, status: str = "new", skill_id: int | None = None
) -> QuerySet[LeadOffer]:
    """The provider's offers for one tab of the inbox, newest first, with what the rows show."""
    offers = LeadOffer.objects.filter(provider=user).exclude(mandate__status=Mandate.Status.DRAFT)
    if status != "all" and status in INBOX_FILTERS:
        if status == "reserved":
            offers = offers.filter(status__in=[LeadOffer.Status.RESERVED, LeadOffer.Status.LAPSED])
        else:
            offers = offers.filter(status=status)
    if skill_id:
        offers = offers.filter(mandate__skills=skill_id)
    return offers.select_related("mandate").order_by("-sent_at", "-id")[:INBOX_PAGE_SIZE]


def inbox_counts(*, user: User) -> dict[str, int]:
    rows = (
        LeadOffer.objects.filter(provider=user)
        .exclude(mandate__status=Mandate.Status.DRAFT)
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    return {
        "new": counts.get("new", 0),
        "reserved": counts.get("reserved", 0) + counts.get("lapsed", 0),
        "bought": counts.get("bought", 0),
        "refused": counts.get("refused", 0),
        "all": sum(counts.values()),
    }


@dataclass(frozen=True, slots=True)
class LeadView:
    """A lead as one provider sees it: contact only when they bought it."""

    mandate: Mandate
    offer: LeadOffer
    purchase: LeadPurchase | None
    contact: MandateContact | None
    credit_requests: list[CreditRequest]

    @property
    def open_credit_request(self) -> CreditRequest | None:
        for request in self.credit_requests:
            if request.status != CreditRequest.Status.REFUSED:
                return request
        return None


def get_lead_for(*, user: User, mandate_id: int) -> LeadView:
    """The provider's offer on a published mandate; 404 for anyone it was not sent to."""
    offer = (
        LeadOffer.objects.filter(provider=user, mandate_id=mandate_id)
        .exclude(mandate__status=Mandate.Status.DRAFT)
        .select_related("mandate")
        .first()
    )
    if offer is None:
        raise Http404("No such lead.")
    purchase = LeadPurchase.objects.filter(offer=offer).first()
    contact = contact_for(viewer=user, mandate=offer.mandate, purchase=purchase)
    requests = list(purchase.credit_requests.order_by("-created_at")) if purchase else []
    return LeadView(
        mandate=offer.mandate,
        offer=offer,
        purchase=purchase,
        contact=contact,
        credit_requests=requests,
    )


def contact_for(
    *, viewer: Any, mandate: Mandate, purchase: LeadPurchase | None = None
) -> MandateContact | None:
    """The client's contact details, for staff and for a buyer of this mandate only."""
    allowed = bool(getattr(viewer, "is_staff", False)) or (
        purchase is not None
        and purchase.mandate_id == mandate.pk
        and purchase.buyer_id == getattr(viewer, "pk", None)
    )
    if not allowed:
        return None
    return MandateContact.objects.filter(mandate=mandate).first()


def staff_mandates(*, status: str = "") -> QuerySet[Mandate]:
    mandates = Mandate.objects.select_related("created_by").annotate(
        offers_sent=Count("offers", distinct=True),
        reservations=Count("offers", filter=Q(offers__status="reserved"), distinct=True),
    )
    if status in Mandate.Status.values:
        mandates = mandates.filter(status=status)
    return mandates.order_by("-id")[:200]


def pending_credit_requests() -> QuerySet[CreditRequest]:
    return CreditRequest.objects.filter(status=CreditRequest.Status.PENDING).select_related(
        "purchase__mandate", "purchase__buyer"
    )
