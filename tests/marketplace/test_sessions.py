"""The session stores that read through compiled SQL behave as Django's database stores."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from marketplace.sessions import cached_db, db

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("store", [db.SessionStore, cached_db.SessionStore])
def test_a_saved_session_reads_back_and_an_unknown_key_starts_empty(store):
    saved = store()
    saved["cart"] = "three"
    saved.save()

    assert store(saved.session_key).load() == {"cart": "three"}
    assert db.SessionStore(saved.session_key).load() == {"cart": "three"}  # on a cache miss too

    unknown = store("x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None  # forgotten, as Django's store does: a new key is made


def test_an_expired_session_is_not_read():
    saved = db.SessionStore()
    saved["cart"] = "three"
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    late = db.SessionStore(saved.session_key)
    assert late.load() == {}
    assert late.session_key is None
