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


# Far past any list's last page; an OFFSET beyond it would only return nothing, slowly.
MAX_PAGE = 10_000
BIGINT_MAX = 2**63 - 1


def page_number(request: HttpRequest, name: str = "page") -> int:
    """The page a list was asked for: 1 for anything that is not a plain number, at most
    MAX_PAGE, so no query parameter can overflow the database's integers."""
    raw = request.GET.get(name, "")
    if not (raw.isascii() and raw.isdigit()):
        return 1
    return min(max(int(raw), 1), MAX_PAGE)


def id_param(request: HttpRequest, name: str) -> int | None:
    """A row id from the query string, or None when it is not one the database could hold."""
    raw = request.GET.get(name, "")
    if not (raw.isascii() and raw.isdigit()) or int(raw) > BIGINT_MAX:
        return None
    return int(raw)
