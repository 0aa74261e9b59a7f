"""Writes of the notifications app: notify someone, mark read, email preferences, the email itself.

``notify`` is the one entry point other apps use::

    from notifications.services import notify
    notify(user=client, kind="bids.received", url=project_url,
           title=format_lazy(_("New bid on {title}"), title=project.title))
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import Http404
from django.template.loader import select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.exceptions import UnknownKindError
from notifications.kinds import KINDS
from notifications.models import EmailPreference, Notification

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

    from accounts.models import User
else:
    StrOrPromise = str

logger = logging.getLogger(__name__)


def email_enabled_for(*, user: User, kind: str) -> bool:
    """Email is on unless the person switched this kind off."""
    return not EmailPreference.objects.filter(user=user, kind=kind, email_enabled=False).exists()


def notify(
    *,
    user: User,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    target: Any = None,
) -> Notification:
    """Store an in-app notification and, after the commit, email it (unless switched off).

    Pass ``title`` and ``body`` as lazy strings (gettext_lazy, format_lazy): they are rendered
    here in the recipient's language and stored as text.
    """
    with translation.override(user.language_or_default):
        title, body = str(title), str(body)
    fields: dict[str, Any] = {}
    if target is not None:
        fields["target_type"] = ContentType.objects.get_for_model(target)
        fields["target_id"] = target.pk
    with transaction.atomic():
        notification = Notification.objects.create(
            user=user,
            kind=kind,
            title=str(title)[:200],
            body=str(body),
            url=url[:500],
            **fields,
        )
        if user.is_active and user.email and email_enabled_for(user=user, kind=kind):
            from notifications.tasks import send_notification_email  # tasks import services

            notification_id = notification.pk
            transaction.on_commit(lambda: send_notification_email.delay(notification_id))
    return notification


def mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of the user's notifications read; True when it was unread. Others' give 404."""
    if notification.user_id != user.pk:
        raise Http404("No such notification.")
    with transaction.atomic():
        now = timezone.now()
        changed = Notification.objects.filter(
            pk=notification.pk, user=user, read_at__isnull=True
        ).update(read_at=now)
    if changed:
        notification.read_at = now
    return bool(changed)


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    with transaction.atomic():
        return Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def set_email_preferences(*, user: User, enabled: dict[str, bool]) -> int:
    """Save the per-kind email switches; returns how many changed. Unknown kinds are refused."""
    unknown = sorted(set(enabled) - set(KINDS) - _kinds_received(user=user))
    if unknown:
        raise UnknownKindError(
            _("Unknown notification kinds: {join}").format(join=", ".join(unknown))
        )
    changed = 0
    with transaction.atomic():
        current = {
            pref.kind: pref
            for pref in EmailPreference.objects.select_for_update().filter(
                user=user, kind__in=list(enabled)
            )
        }
        for kind, on in enabled.items():
            pref = current.get(kind)
            if pref is None:
                if on:
                    continue  # no row already means "on"
                EmailPreference.objects.create(user=user, kind=kind, email_enabled=False)
                changed += 1
            elif pref.email_enabled != on:
                pref.email_enabled = on
                pref.save(update_fields=["email_enabled", "updated_at"])
                changed += 1
    return changed


def _kinds_received(*, user: User) -> set[str]:
    return set(Notification.objects.filter(user=user).values_list("kind", flat=True).distinct())


def absolute_url(path: str) -> str:
    """A link for an email: paths on this site get settings.SITE_URL in front."""
    if not path:
        return ""
    if path.startswith(("http://", "https://")):
        return path
    return settings.SITE_URL + ("" if path.startswith("/") else "/") + path


def render_email(*, notification: Notification) -> tuple[str, str]:
    """(subject, body) from notifications/email/<kind>.txt or the default template.

    The template's first line is the subject; the rest (after a blank line) is the body.
    """
    context = {
        "notification": notification,
        "user": notification.user,
        "url": absolute_url(notification.url),
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "preferences_url": absolute_url(reverse("notifications:preferences")),
    }
    template = select_template(
        [f"notifications/email/{notification.kind}.txt", "notifications/email/default.txt"]
    )
    with translation.override(notification.user.language_or_default):
        text = template.render(context).lstrip("\n")
    first_line, _unused, rest = text.partition("\n")
    subject = " ".join(first_line.split()) or notification.title
    return f"[{settings.SITE_NAME}] {subject}", rest.strip("\n") + "\n"


def send_notification_email(*, notification_id: int) -> bool:
    """Send a notification's email at most once; True when this call sent it.

    A conditional UPDATE claims the email (emailed_at from NULL to now) before sending, so a
    redelivered task finds it claimed and does nothing. If sending raises, the claim is given
    back so a retry can send it.
    """
    claimed_at = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=claimed_at
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    user = notification.user
    if not (user.is_active and user.email) or not email_enabled_for(
        user=user, kind=notification.kind
    ):
        logger.info("notification %s: email skipped (switched off or no address)", notification_id)
        return False  # stays claimed, so it is never sent later either
    try:
        subject, body = render_email(notification=notification)
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception:
        Notification.objects.filter(pk=notification_id, emailed_at=claimed_at).update(
            emailed_at=None
        )
        raise
    return True
