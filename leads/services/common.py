"""Helpers shared by the lead services: money keys, permission, history rows, locks."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from leads.exceptions import NotAllowed
from leads.models import LeadEvent, LeadOffer, Mandate

NEW_MANDATE_KIND = "leads.new_mandate"


def purchase_key(*, mandate_id: int, user_id: int) -> str:
    return f"lead:{mandate_id}:buyer:{user_id}"


def credit_key(*, purchase_id: int) -> str:
    return f"lead-credit:{purchase_id}"


def require_staff(user: Any) -> None:
    if not (getattr(user, "is_active", False) and getattr(user, "is_staff", False)):
        raise NotAllowed(_("Only staff can do that."))


def record_event(
    *,
    mandate: Mandate,
    action: str,
    actor: Any = None,
    offer: LeadOffer | None = None,
    from_status: str = "",
    to_status: str = "",
    params: dict[str, Any] | None = None,
    detail: str = "",
) -> None:
    """One history row: `params` for what the event carries, `detail` for what a person typed."""
    LeadEvent.objects.create(
        mandate=mandate,
        offer=offer,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        params=params or {},
        detail=detail[:300],
    )


def lead_url(mandate: Mandate) -> str:
    return reverse("leads:detail", kwargs={"pk": mandate.pk})


def lock_mandate(mandate_id: int) -> Mandate:
    return Mandate.objects.select_for_update().get(pk=mandate_id)
