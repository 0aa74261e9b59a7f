"""Money events go to people through the notifications app (in-app, then email after commit)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

logger = logging.getLogger(__name__)


def _deliver(**kwargs: Any) -> None:
    try:
        from notifications.services import notify
    except ImportError:  # the notifications app is not wired up in this build
        logger.info("notification %s: %s", kwargs["kind"], kwargs["title"])
        return
    notify(**kwargs)


def tell(
    *,
    user: Any,
    kind: str,
    title: StrOrPromise,
    body: StrOrPromise = "",
    url: str = "",
    target: Any = None,
) -> None:
    _deliver(user=user, kind=kind, title=title, body=body, url=url, target=target)


def alert_staff(*, kind: str, title: StrOrPromise, body: StrOrPromise = "", url: str = "") -> None:
    logger.warning("staff alert %s: %s %s", kind, title, body)
    staff = get_user_model().objects.filter(is_staff=True, is_active=True)
    for user in staff:
        tell(user=user, kind=kind, title=title, body=body, url=url)
