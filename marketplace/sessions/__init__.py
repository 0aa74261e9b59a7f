"""Session stores that read a session through SQL compiled once per process.

Every signed-in request reads its session; Django's stores build and compile the same
one-row select each time, which costs several times the select itself. These stores keep
Django's behaviour (an unknown or expired key starts an empty session) and differ only there.
SESSION_ENGINE names marketplace.sessions.db or marketplace.sessions.cached_db.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from marketplace.sql import ShapedQueries

_READ = ShapedQueries(limit=1)


def _unexpired(values: dict[str, Any]) -> QuerySet[Any]:
    sessions = Session.objects.filter(session_key=values["key"], expire_date__gt=values["now"])
    return sessions.values_list("session_data", "expire_date", named=True)


class CompiledRead:
    """The `_get_session_from_db` of Django's database store, on compiled SQL: the row's
    session_data and expire_date (what load() reads), or None with the key forgotten."""

    session_key: str | None
    _session_key: str | None

    def _get_session_from_db(self) -> Any:
        if self.session_key is not None:
            found = _READ.rows(
                "session", {"key": self.session_key, "now": timezone.now()}, _unexpired
            )
            if found:
                return found[0]
        self._session_key = None
        return None
