"""A provider's lead criteria: what they want to be sent, and how."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Skill, User
from leads.exceptions import InvalidTransition, NotAllowed
from leads.models import LeadCriteria
from leads.services.common import NEW_MANDATE_KIND
from notifications.services import set_email_preferences

# --- provider criteria -------------------------------------------------------------------------


def save_criteria(
    *,
    user: User,
    skills: Iterable[Skill],
    budget_min: int | None,
    budget_max: int | None,
    countries: list[str],
    regions: list[str],
    cities: list[str],
    notify_email: bool,
    notify_in_app: bool,
    is_active: bool = True,
) -> LeadCriteria:
    """Create or replace a provider's lead criteria; the email switch follows notify_email."""
    if not (user.is_active and user.is_expert):
        raise NotAllowed(_("Only providers receive referral leads."))
    if budget_min is not None and budget_max is not None and budget_max < budget_min:
        raise InvalidTransition(_("The budget's upper end is below its lower end."))
    with transaction.atomic():
        criteria, _unused = LeadCriteria.objects.select_for_update().get_or_create(user=user)
        criteria.is_active = is_active
        criteria.budget_min = budget_min
        criteria.budget_max = budget_max
        criteria.countries = sorted(set(countries))
        criteria.regions = _clean_names(regions)
        criteria.cities = _clean_names(cities)
        criteria.notify_email = notify_email
        criteria.notify_in_app = notify_in_app
        criteria.save()
        criteria.skills.set(list(skills))
        set_email_preferences(user=user, enabled={NEW_MANDATE_KIND: notify_email})
    return criteria


def _clean_names(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        text = " ".join(str(name).split())[:80]
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())
