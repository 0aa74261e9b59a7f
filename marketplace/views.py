"""Site-wide pages: home, dashboard, health check and the styled error pages."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

logger = logging.getLogger(__name__)


@require_safe  # HEAD too: uptime checks use it
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "marketplace/home.html")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The client's or the expert's dashboard (by the active role), in a bounded query count."""
    from escrow.selectors import wallet_balance
    from marketplace import dashboard as panels

    user = request.user
    context = {"wallet": wallet_balance(user)}
    if user.acting_as_expert:  # type: ignore[union-attr]
        context.update(panels.expert_dashboard(user))
    else:
        context.update(panels.client_dashboard(user))
    return render(request, "marketplace/dashboard.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; point them at the SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database (and the broker, when one is configured) answers; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        logger.exception("health check: database unreachable")
        checks["database"] = "unavailable"
    if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        try:
            client = redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1)
            client.ping()
            checks["broker"] = "ok"
        except redis.RedisError:
            logger.exception("health check: broker unreachable")
            checks["broker"] = "unavailable"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
