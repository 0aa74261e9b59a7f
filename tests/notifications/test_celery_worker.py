"""A real Celery worker (a thread, on Redis) sends the email that notify queued on commit."""

import os
import threading
import time
import uuid

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections, transaction
from kombu import pools

from marketplace.celery import app
from notifications import tasks  # noqa: F401  (registers the task with the app)
from notifications.models import Notification
from notifications.services import notify
from tests.notifications.factories import UserFactory

REDIS_URL = os.environ.get("GUILDHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CONFIG_KEYS = (
    "broker_url",
    "broker_write_url",
    "task_always_eager",
    "result_backend",
    "task_ignore_result",
    "task_default_queue",
)


def reset_producer_pool() -> None:
    """Forget pooled connections and cached queues: the next publish follows the current conf."""
    pools.reset()  # closes kombu's global pools and empties their registry
    app._pool = None
    app.__dict__.pop("amqp", None)  # its producer pool and queue declarations, built once


@pytest.fixture
def celery_on_redis():
    """Point the app at the test Redis, on a queue of its own, with eager mode off.

    Its own queue: a worker on a shared broker would otherwise run (and be blamed for) tasks that
    other processes left there. Everything is put back afterwards.
    """
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    client.ping()
    queue = f"guildhall-test-{uuid.uuid4().hex}"
    saved = {key: app.conf[key] for key in CONFIG_KEYS}
    app.conf.update(
        broker_url=REDIS_URL,
        broker_write_url=REDIS_URL,
        task_always_eager=False,
        result_backend=None,
        task_ignore_result=True,
        task_default_queue=queue,
    )
    reset_producer_pool()

    ran_in_worker_thread: list[str] = []

    def close_worker_connections(sender=None, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            ran_in_worker_thread.append(sender.name)
        connections.close_all()  # the worker thread's own connection to the test database

    task_postrun.connect(close_worker_connections, weak=False)
    try:
        yield ran_in_worker_thread
    finally:
        task_postrun.disconnect(close_worker_connections)
        app.conf.update(saved)
        reset_producer_pool()
        client.delete(queue, *client.keys(f"*{queue}*"))
        client.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_email_after_commit(celery_on_redis):
    # Someone else's task waiting on the shared broker's default queue is none of this worker's.
    foreign = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    theirs = f"not a task of this test {uuid.uuid4().hex}".encode()
    foreign.lpush("celery", theirs)
    user = UserFactory(email="worker-test@example.com")
    with start_worker(app, perform_ping_check=False, shutdown_timeout=20):
        with transaction.atomic():
            notification = notify(
                user=user, kind="escrow.released", title="Milestone funds were released"
            )
        deadline = time.monotonic() + 20
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["worker-test@example.com"]]
    assert mail.outbox[0].subject == "[Guildhall] Milestone funds were released"
    assert Notification.objects.get(pk=notification.pk).emailed_at is not None
    assert celery_on_redis == ["notifications.tasks.send_notification_email"]
    assert foreign.lrem("celery", 0, theirs) == 1  # still waiting for its own worker
    foreign.close()
