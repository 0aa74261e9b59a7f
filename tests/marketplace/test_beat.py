"""Celery beat runs once however many machines start one: real `celery beat` processes on Redis.

The schedule and a lock live in Redis (RedBeat). Of two beats started together, one takes the
lock and sends every periodic job that is due; the other waits for the lock and sends nothing,
so no job runs twice. What the beats send is read from the broker's queue; then a worker runs
it, and the daily ledger reconciliation has run once.
"""

import ast
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from django.conf import settings
from redbeat.decoder import RedBeatJSONEncoder

from escrow.models import ReconciliationRun
from marketplace.bench_tools import database_url
from tests.marketplace.test_settings import REPO

REDIS_URL = os.environ.get("GUILDHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SCHEDULE = "redbeat::schedule"
BEAT = ("beat", "--loglevel=DEBUG")


def start_celery(log: Path, *command: str, **env: str) -> subprocess.Popen:
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(Path.home()),
        "LANG": "C.UTF-8",
        "CELERY_BROKER_URL": REDIS_URL,
        **env,
    }
    with log.open("wb") as handle:
        return subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            [str(Path(sys.executable).with_name("celery")), "-A", "marketplace", *command],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_for(condition, *, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.2)


def sent(client: redis.Redis) -> Counter:
    """Periodic jobs waiting in the default queue, by (task, arguments)."""
    jobs = Counter()
    for raw in client.lrange("celery", 0, -1):
        headers = json.loads(raw)["headers"]
        jobs[(headers["task"], tuple(ast.literal_eval(headers["argsrepr"])))] += 1
    return jobs


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=30)


@pytest.fixture
def broker():
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def back_date_schedule(client: redis.Redis, log: Path) -> Counter:
    """Let a beat store the schedule, then make every job overdue (a day since its last run, as
    after a deploy that kept beat down); return the jobs a beat must now send, once each."""
    beat = start_celery(log, *BEAT)
    try:
        wait_for(lambda: client.zcard(SCHEDULE) >= len(settings.CELERY_BEAT_SCHEDULE))
    finally:
        stop(beat)
    a_day_ago = datetime.now(UTC) - timedelta(days=8)
    due = Counter()
    for key in client.zrange(SCHEDULE, 0, -1):
        definition = json.loads(client.hget(key, "definition"))
        due[(definition["task"], tuple(definition["args"] or ()))] += 1
        client.hset(key, "meta", json.dumps({"last_run_at": a_day_ago}, cls=RedBeatJSONEncoder))
        client.zadd(SCHEDULE, {key: a_day_ago.timestamp()})
    client.delete("celery")
    return due


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_second_beat_waits_for_the_lock_and_no_periodic_job_runs_twice(broker, tmp_path):
    due = back_date_schedule(broker, tmp_path / "setup.log")
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    first = start_celery(first_log, *BEAT)
    second = start_celery(second_log, *BEAT)
    try:
        wait_for(lambda: b"beat: Acquired lock" in first_log.read_bytes() + second_log.read_bytes())
        wait_for(lambda: sum(sent(broker).values()) >= len(due))
        wait_for(
            lambda: b"beat: Acquiring lock" in first_log.read_bytes() + second_log.read_bytes()
        )
        time.sleep(5)  # the waiting beat's chance to send anything

        logs = [first_log.read_bytes(), second_log.read_bytes()]
        assert first.poll() is None
        assert second.poll() is None  # alive, waiting for the lock
        assert sum(b"beat: Acquired lock" in log for log in logs) == 1
        assert sent(broker) == due  # every overdue job once
        assert len(due) >= len(settings.CELERY_BEAT_SCHEDULE)
    finally:
        stop(first)
        stop(second)

    # What the jobs do happens once: one worker runs the queue; one reconciliation of the ledger.
    worker = start_celery(
        tmp_path / "worker.log", "worker", "--pool=solo", DATABASE_URL=database_url()
    )
    try:
        wait_for(lambda: broker.llen("celery") == 0 and ReconciliationRun.objects.exists())
        time.sleep(3)  # a second reconciliation, were one queued, would run now
    finally:
        stop(worker)
    assert ReconciliationRun.objects.count() == 1
