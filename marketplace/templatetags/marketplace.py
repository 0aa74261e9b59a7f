"""Template helpers shared by every app (loaded as a builtin)."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from marketplace.money import Money, format_money

register = template.Library()


@register.simple_tag
def url_or_none(name: str, *args: object, **kwargs: object) -> str | None:
    """{% url_or_none "app:name" as u %}{% if u %}…{% endif %}: a link only once its page exists."""
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


@register.simple_tag
def skill_categories() -> list[Any]:
    """{% skill_categories as categories %}: taxonomy categories with their skills (2 queries)."""
    from accounts.models import SkillCategory

    return list(SkillCategory.objects.prefetch_related("skills"))


@register.filter(name="money")
def money_filter(amount: int | Money | None, currency: str | None = None) -> str:
    """{{ amount|money }} or {{ amount|money:currency }} -> "€1,234.50" (minor units in)."""
    if amount is None or amount == "":
        return ""
    if isinstance(amount, Money):
        return format_money(amount.amount, amount.currency)
    return format_money(int(amount), currency or settings.PLATFORM_CURRENCY)
