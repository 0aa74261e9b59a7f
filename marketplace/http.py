"""Small helpers for views: the web layer only (services never import this)."""

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest


def run_and_report(
    request: HttpRequest,
    action: Callable[[], object],
    *,
    success: str,
    refusals: type[Exception] | tuple[type[Exception], ...],
) -> bool:
    """Run one service call; its refusal becomes an error message, success a success message."""
    try:
        action()
    except refusals as error:
        messages.error(request, str(error))
        return False
    messages.success(request, success)
    return True


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the one TRUSTED_PROXY_COUNT proxies in front of us saw.

    Each trusted proxy appends the address it received from to X-Forwarded-For, so the entry
    TRUSTED_PROXY_COUNT places from the end is the first one a visitor cannot forge. With no
    trusted proxy (or a header that does not parse) the socket's own address is the answer.
    Both allauth's rate limits and django-axes read the address through here.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        hops = forwarded.split(",")
        candidate = _valid_ip(hops[-count] if len(hops) >= count else hops[0])
        if candidate:
            return candidate
    return remote


def login_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account a login names, for django-axes: the admin form sends it as "username" and
    allauth as "email"; case is folded so one account is one key however it is typed."""
    source = credentials if credentials else getattr(request, "POST", {})
    for field in ("username", "email", "login"):
        value = source.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip().casefold()
    return None
