"""Template helpers shared by every app (loaded as a builtin)."""

from functools import cache
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.forms import BoundField
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString

from marketplace.fields import render_field
from marketplace.money import Money, format_money

register = template.Library()


@register.simple_tag
def form_field(field: BoundField, *, hide_label: bool = False, css_class: str = "") -> SafeString:
    """{% form_field form.title %}: components/field.html's markup, written in Python (for pages
    that show many fields on every request, such as the search filters)."""
    return render_field(field, hide_label=hide_label, css_class=css_class)


@register.simple_tag
def url_or_none(name: str, *args: object, **kwargs: object) -> str | None:
    """{% url_or_none "app:name" as u %}{% if u %}…{% endif %}: a link only once its page exists.
    Links without arguments (the header's and footer's) are reversed once per process."""
    if not args and not kwargs:
        return _fixed_url(name, get_script_prefix(), get_urlconf())
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


@register.simple_tag
def fixed_url(name: str) -> str:
    """{% fixed_url "app:name" %}: {% url %} for a page without arguments, reversed once per
    process (the header and footer links are on every page)."""
    found = _fixed_url(name, get_script_prefix(), get_urlconf())
    if found is None:
        raise NoReverseMatch(f"No page is named {name!r}.")
    return found


@cache
def _fixed_url(name: str, prefix: str, urlconf: str | None) -> str | None:
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _forget_fixed_urls(*, setting: str, **_: object) -> None:
    if setting == "ROOT_URLCONF":
        _fixed_url.cache_clear()


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
