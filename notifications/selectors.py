"""Reads of the notifications app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from marketplace.sql import CompiledQuery
from notifications.kinds import KINDS, STAFF_KINDS, group_for, label_for
from notifications.models import EmailPreference, Notification

if TYPE_CHECKING:
    from accounts.models import User

UNREAD_CAP = 100  # the bell shows "99+" past this; counting stops there


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (only the unread ones if asked)."""
    notifications = Notification.objects.filter(user=user)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def get_notification_for(*, user: User, pk: int) -> Notification:
    """One of the user's own notifications; anyone else's is a 404."""
    return get_object_or_404(Notification, pk=pk, user=user)


def unread_count(*, user: User) -> int:
    """Unread notifications, counted up to UNREAD_CAP (one indexed query)."""
    if not user.is_authenticated:
        return 0
    ((count,),) = _UNREAD.rows(user.pk)
    return int(count)


# Asked on every signed-in page (the bell): compiled once.
_UNREAD = CompiledQuery(
    lambda user_id: (
        Notification.objects.filter(user=user_id, read_at__isnull=True)
        .order_by()
        .values_list("pk")[:UNREAD_CAP]
    ),
    wrap="SELECT COUNT(*) FROM ({}) AS unread",
)


def preference_rows(*, user: User) -> list[dict[str, object]]:
    """The kinds on the preferences page with the user's switch, grouped and sorted by label.

    Lists the registered kinds plus any other kind the user has already received; staff alerts
    only for staff.
    """
    received = set(Notification.objects.filter(user=user).values_list("kind", flat=True).distinct())
    switched_off = set(
        EmailPreference.objects.filter(user=user, email_enabled=False).values_list(
            "kind", flat=True
        )
    )
    kinds = set(KINDS) | received
    if not user.is_staff:
        kinds -= STAFF_KINDS - received
    rows: list[dict[str, object]] = [
        {
            "kind": kind,
            "label": label_for(kind),
            "group": group_for(kind),
            "email_enabled": kind not in switched_off,
        }
        for kind in kinds
    ]
    rows.sort(key=lambda row: (str(row["group"]) == "Other", str(row["group"]), str(row["label"])))
    return rows
