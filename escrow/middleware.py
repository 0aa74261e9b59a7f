"""Without a broker (the embedded default runs tasks eagerly, after commit, in the request) a
crash between an event's commit and its processing leaves a paid card unprocessed, and no beat
runs to sweep it. The next request catches up, at most once per interval (a cache key, so the
check is one cache call most of the time; a restarted process starts with an empty local cache,
so its first request checks too)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

CATCH_UP_KEY = "escrow:gateway-events-catch-up"


class PendingGatewayEventsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        interval = settings.GATEWAY_EVENTS_CATCH_UP_SECONDS
        if settings.CELERY_TASK_ALWAYS_EAGER and interval and cache.add(CATCH_UP_KEY, 1, interval):
            from escrow.services.payments import process_pending_events

            process_pending_events()
        return self.get_response(request)
