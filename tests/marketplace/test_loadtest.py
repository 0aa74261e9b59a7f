"""The mixed-load test in small: a few simulated people for a few seconds against gunicorn, a
Celery worker, PostgreSQL and Redis; no request fails and the ledger invariants hold after.
(`make loadtest` runs the full one and reports timings; no timing is asserted here.)"""

import os
from collections import Counter

import pytest
import redis

from marketplace import loadtest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("GUILDHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_a_short_mixed_load_runs_without_errors_and_keeps_the_ledger_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(loadtest, "REDIS_URL", REDIS_URL)
    monkeypatch.setattr(loadtest, "BROKER_URL", REDIS_URL)
    redis.Redis.from_url(REDIS_URL).flushdb()
    cast = loadtest.make_cast(0, {"client": 3, "expert": 3, "staff": 1})
    port, processes = loadtest.start_site(tmp_path)
    try:
        loadtest.warm_up(port, cast)
        outcome = loadtest.run_locust(port, cast, 8, 12, tmp_path)
        waiting = loadtest.settle()
    finally:
        loadtest.stop(processes)
        redis.Redis.from_url(REDIS_URL).flushdb()

    failed = Counter(name for name, _, failed in outcome.samples if failed)
    kinds = {name.split(":")[0] for name, _, _ in outcome.samples}
    # Locust's error table (which page answered what) says why a request failed.
    assert failed == Counter(), (tmp_path / "locust-8.log").read_text(encoding="utf-8")[-4000:]
    assert kinds == {"view", "act"}  # people read pages and sent forms
    assert waiting == 0  # every card payment was processed
    assert loadtest.ledger_invariants() == {
        "transactions whose entries do not sum to zero": 0,
        "accounts whose cached balance differs from their entries": 0,
        "wallets below zero": 0,
    }
