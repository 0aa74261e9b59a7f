"""{% expert_listings user as listings %}: the expert's active services, for the public profile."""

from __future__ import annotations

from django import template

from accounts.models import ServiceListing, User
from bookings.selectors import listings_of

register = template.Library()


@register.simple_tag
def expert_listings(expert: User) -> list[ServiceListing]:
    return listings_of(expert)
