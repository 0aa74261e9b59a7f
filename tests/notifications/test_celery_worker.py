"""A real Celery worker (a thread, on Redis) sends the email that notify queued on commit."""

import os
import threading
import time

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
CONFIG_KEYS = ("broker_url", "task_always_eager", "result_backend", "task_ignore_result")


def reset_producer_pool() -> None:
    """Forget pooled broker connections so the next publish uses the current broker_url."""
    pools.reset()  # closes kombu's global pools and empties their registry
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


@pytest.fixture
def celery_on_redis():
    """Point the app at Redis with eager mode off; put everything back afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    client.ping()
    client.flushdb()
    saved = {key: app.conf[key] for key in CONFIG_KEYS}
    app.conf.update(
        broker_url=REDIS_URL, task_always_eager=False, result_backend=None, task_ignore_result=True
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
        client.flushdb()
        client.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_email_after_commit(celery_on_redis):
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
