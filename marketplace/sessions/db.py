"""Django's database session store, reading through compiled SQL (see marketplace.sessions)."""

from django.contrib.sessions.backends import db

from marketplace.sessions import CompiledRead


class SessionStore(CompiledRead, db.SessionStore):
    pass
