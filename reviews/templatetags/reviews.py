"""Reputation panels other apps' pages include: {% load reviews %}{% expert_reputation user %}."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

from reviews import selectors
from reviews.models import Reputation, Review

register = template.Library()


@register.filter
def star_glyphs(value: Any) -> str:
    """★★★★☆ for 4 (rounded half up); empty for no value."""
    if value in (None, ""):
        return ""
    whole = int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole = max(0, min(5, whole))
    return "★" * whole + "☆" * (5 - whole)


@register.inclusion_tag("reviews/_reputation.html")
def expert_reputation(user: Any, *, reviews: int = 5) -> dict[str, Any]:
    """The expert's reputation with its "why this score" inputs and the latest reviews."""
    return {
        "reputation": _reputation(user),
        "reviews": selectors.public_reviews(user, role=Review.Role.CLIENT, limit=reviews),
        "person": user,
    }


@register.inclusion_tag("reviews/_client_reputation.html")
def client_reputation(user: Any) -> dict[str, Any]:
    """What experts see about a client: rating, hire rate, payment verified, projects posted."""
    return {"reputation": _reputation(user), "person": user}


def _reputation(user: Any) -> Reputation | None:
    """The user's row: free when the page selected it with the user, else one query."""
    try:
        return user.reputation  # type: ignore[no-any-return]
    except Reputation.DoesNotExist:
        return None
