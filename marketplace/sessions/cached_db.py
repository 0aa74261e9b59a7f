"""Django's cached database session store, reading through compiled SQL on a cache miss (see
marketplace.sessions)."""

from django.contrib.sessions.backends import cached_db

from marketplace.sessions import CompiledRead


class SessionStore(CompiledRead, cached_db.SessionStore):
    pass
