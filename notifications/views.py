"""Notification pages: the list, the bell fragment, open (mark read and go), email preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails

from accounts.models import User
from notifications import selectors, services
from notifications.exceptions import NotificationError
from notifications.forms import EmailPreferencesForm


class AuthedHtmxRequest(HttpRequest):
    """What these views see behind login_required and django-htmx's middleware."""

    user: User
    htmx: HtmxDetails


PER_PAGE = 20
LIST_TEMPLATE = "notifications/list.html"
STOP_POLLING = 286


@login_required
@require_GET
def notification_list(request: AuthedHtmxRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notifications_for(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PER_PAGE).get_page(request.GET.get("page"))
    template = f"{LIST_TEMPLATE}#notifications" if request.htmx else LIST_TEMPLATE
    return render(request, template, {"page_obj": page, "unread_only": unread_only})


@require_GET
def bell(request: AuthedHtmxRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        # Logged out in another tab: 286 tells htmx to stop polling (no login page in the header).
        return HttpResponse(status=STOP_POLLING)
    count = selectors.unread_count(user=request.user)
    return render(request, "components/header.html#bell", {"unread_notifications": count})


@login_required
@require_POST
def read_all(request: AuthedHtmxRequest) -> HttpResponse:
    changed = services.mark_all_read(user=request.user)
    unread_only = request.POST.get("show") == "unread"
    if request.htmx:
        notifications = selectors.notifications_for(user=request.user, unread_only=unread_only)
        page = Paginator(notifications, PER_PAGE).get_page(1)
        context = {"page_obj": page, "unread_only": unread_only}
        response = render(request, f"{LIST_TEMPLATE}#notifications", context)
        return trigger_client_event(response, "notifications-changed")
    if changed:
        messages.success(request, _("All notifications are marked as read."))
    list_url = reverse("notifications:list")
    return redirect(f"{list_url}?show=unread" if unread_only else list_url)


@login_required
@require_POST
def open_notification(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    notification = selectors.get_notification_for(user=request.user, pk=pk)
    services.mark_read(user=request.user, notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedHtmxRequest) -> HttpResponse:
    rows = selectors.preference_rows(user=request.user)
    form = EmailPreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_email_preferences(user=request.user, enabled=form.enabled())
        except NotificationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your email preferences are saved."))
            return redirect(reverse("notifications:preferences"))
    return render(request, "notifications/preferences.html", {"form": form})
