"""Two web nodes that share nothing but PostgreSQL, Redis and an S3-compatible store.

Two gunicorn instances on their own ports, each in its own working directory with its own
static files and its own (unused) media folder, a Celery worker in a third, and a local S3
server (moto). People use them the way a load balancer would send them: every step on the
other node from the last one.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from escrow.selectors import wallet_balance
from marketplace.bench_tools import database_url, free_port, wait_for_port
from tests import s3
from tests.marketplace.test_settings import REPO
from tests.workspaces.factories import make_workspace, milestone_at
from workspaces.models import Milestone, WorkspaceFile

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("GUILDHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
PASSWORD = "two-nodes-password"
BIN = Path(sys.executable).parent


@dataclass
class Machine:
    """One process with its own working directory, as on its own machine."""

    folder: Path
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def local_files(self) -> list[Path]:
        return [path for path in (self.folder / "media").rglob("*") if path.is_file()]


def _env(endpoint: str, buckets: tuple[str, str], folder: Path) -> dict[str, str]:
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(folder),
        "LANG": "C.UTF-8",
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "SECRET_KEY": "two-nodes-" + "s" * 60,  # the same on every machine
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "MEDIA_ROOT": str(folder / "media"),
        "STATIC_ROOT": str(folder / "static"),
        "PAYMENT_GATEWAY": "demo",
        "LOG_LEVEL": "WARNING",
        **s3.storage_env(endpoint, *buckets),
    }


def _start(machine: Machine, argv: list[str], env: dict[str, str]) -> None:
    log = (machine.folder / "process.log").open("wb")
    machine.process = subprocess.Popen(  # noqa: S603 - our own binaries, fixed arguments
        argv,
        cwd=machine.folder,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _stop(machine: Machine) -> None:
    if machine.process is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(machine.process.pid, signal.SIGTERM)
    machine.process.wait(timeout=30)


@pytest.fixture
def cluster(s3_endpoint, tmp_path):
    """Two web nodes and a worker; yields (node_a, node_b, worker, private bucket)."""
    buckets = s3.make_buckets(s3_endpoint)
    broker = redis.Redis.from_url(REDIS_URL)
    broker.flushdb()
    machines = [Machine(tmp_path / name) for name in ("web-a", "web-b", "worker")]
    try:
        for machine in machines:
            machine.folder.mkdir()
            env = _env(s3_endpoint, buckets, machine.folder)
            if machine.folder.name == "worker":
                argv = [str(BIN / "celery"), "-A", "marketplace", "worker", "--pool=solo"]
                _start(machine, [*argv, "--loglevel=WARNING"], env)
                continue
            subprocess.run(  # noqa: S603 - each node collects its own static files
                [sys.executable, str(REPO / "manage.py"), "collectstatic", "--noinput", "-v0"],
                cwd=machine.folder,
                env=env,
                check=True,
                timeout=300,
            )
            machine.port = free_port()
            argv = [str(BIN / "gunicorn"), "marketplace.wsgi", "--workers", "1"]
            _start(machine, [*argv, "--bind", f"127.0.0.1:{machine.port}"], env)
        for machine in machines[:2]:
            wait_for_port(machine.port, process=machine.process, seconds=120)
        yield machines[0], machines[1], machines[2], buckets[1]
    finally:
        for machine in machines:
            _stop(machine)
        broker.flushdb()
        broker.close()


@dataclass
class Person:
    """A browser: one cookie jar, whichever node answers."""

    email: str
    session: requests.Session = field(default_factory=requests.Session)

    def get(self, node: Machine, path: str) -> requests.Response:
        response = self.session.get(node.url + path, timeout=60, allow_redirects=False)
        assert response.status_code in {200, 302}, (node.url, path, response.status_code)
        return response

    def post(self, node: Machine, path: str, data: dict, files=None) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.session.cookies["csrftoken"], **data}
        response = self.session.post(
            node.url + path, data=data, files=files, timeout=60, allow_redirects=False
        )
        assert response.status_code == 302, (node.url, path, response.status_code)
        return response

    def sign_in(self, node: Machine) -> None:
        self.get(node, "/account/login/")
        self.post(node, "/account/login/", {"login": self.email, "password": PASSWORD})


def _path(response: requests.Response) -> str:
    return re.sub(r"^https?://[^/]+", "", response.headers["Location"])


def _wait_for_text(person: Person, node: Machine, path: str, text: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = person.get(node, path).text
        if text in page:
            return page
        time.sleep(0.5)
    raise AssertionError(f"{text!r} never appeared on {path}")


def test_two_nodes_serve_one_journey_with_files_on_s3_and_nothing_shared_on_disk(
    cluster, s3_endpoint
):
    node_a, node_b, worker, private_bucket = cluster
    workspace = make_workspace(30_000)
    milestone = milestone_at(workspace, Milestone.Status.START_REQUESTED)
    for user in (workspace.contract.client, workspace.contract.expert):
        # The nodes run the real hasher, not the tests' fast one.
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-nodes-salt")
        user.save(update_fields=["password"])
    client = Person(workspace.contract.client.email)
    expert = Person(workspace.contract.expert.email)
    milestone_path = f"/workspaces/{workspace.pk}/milestones/{milestone.pk}/"

    # The client signs in on A, tops up on B, pays the demo card on A, sees the balance on B.
    client.sign_in(node_a)
    # The payment form's key is signed on A and accepted on B (one SECRET_KEY).
    form = client.get(node_a, "/money/top-up/").text
    key = re.search(r'name="key" value="([^"]+)"', form).group(1)
    checkout = _path(client.post(node_b, "/money/top-up/", {"amount": "500.00", "key": key}))
    client.get(node_a, checkout)
    client.post(node_a, checkout, {"card_number": "4242424242424242"})
    _wait_for_text(client, node_b, "/money/", "500.00")
    # ... and funds the milestone from that balance on A.
    client.post(node_a, milestone_path + "start/", {"source": "balance"})

    # The expert signs in on A, delivers a file on B, downloads it back on A; the client on B.
    deliverable = os.urandom(64 * 1024)
    expert.sign_in(node_a)
    expert.post(
        node_b,
        milestone_path + "deliver/",
        {"note": "The drawings."},
        files={"attachments": ("drawings.bin", deliverable, "application/octet-stream")},
    )
    item = WorkspaceFile.objects.get(workspace=workspace)
    on_a = expert.get(node_a, item.get_absolute_url())
    on_b = client.get(node_b, item.get_absolute_url())

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DELIVERED
    assert wallet_balance(workspace.contract.client).available == 50_000 - 30_000
    assert on_a.content == on_b.content == deliverable
    assert on_a.headers["Content-Disposition"] == 'attachment; filename="drawings.bin"'
    assert s3.keys(s3_endpoint, private_bucket) == [item.file.name]
    assert node_a.local_files() == node_b.local_files() == worker.local_files() == []
    # Each node serves the static files it collected itself.
    for node in (node_a, node_b):
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', client.get(node, "/").text)
        assert stylesheet
        assert client.get(node, stylesheet.group(1)).status_code == 200
