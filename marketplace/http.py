"""Small helpers for views: the web layer only (services never import this)."""

from collections.abc import Callable

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
