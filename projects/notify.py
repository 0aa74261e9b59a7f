"""Project events reach people through the notifications app (in-app, then email after commit)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

logger = logging.getLogger(__name__)


def tell(
    *,
    user: Any,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    target: Any = None,
) -> None:
    try:
        from notifications.services import notify
    except ImportError:  # the notifications app is not wired up in this build
        logger.info("notification %s for user %s: %s", kind, getattr(user, "pk", None), title)
        return
    notify(user=user, kind=kind, title=title, body=body, url=url, target=target)


def tell_staff(
    *,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    target: Any = None,
) -> None:
    for user in get_user_model().objects.filter(is_staff=True, is_active=True):
        tell(user=user, kind=kind, title=title, body=body, url=url, target=target)
