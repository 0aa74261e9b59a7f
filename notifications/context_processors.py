"""Template context: the unread count for the bell, counted only if a template uses it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    @cache
    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user=user)

    return {"unread_notifications": count}
