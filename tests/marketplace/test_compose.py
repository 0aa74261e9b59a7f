"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

The file is parsed and held to the settings; then the web service's own command and healthcheck
are run here, in production mode, against the local PostgreSQL and Redis.
"""

import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection

from tests.marketplace.test_settings import REPO, production_env, settings_variables

APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_defines_the_scaled_out_shape(compose):
    assert set(compose["services"]) == {
        "migrate",
        "web",
        "nginx",
        "worker",
        "beat",
        "postgres",
        "redis",
        "minio",
        "buckets",
    }


def test_two_web_replicas_serve_with_gunicorn_once_migrations_ran(compose):
    web = compose["services"]["web"]
    migrate = compose["services"]["migrate"]

    assert web["deploy"]["replicas"] == 2
    assert web["command"].startswith("gunicorn marketplace.wsgi --bind 0.0.0.0:8000")
    assert "migrate" not in web["command"]  # replicas never migrate side by side
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "ports" not in web  # only the load balancer is published


def test_nginx_balances_every_web_replica_and_buffers_uploads_and_downloads(compose):
    nginx = compose["services"]["nginx"]
    config = compose["configs"][nginx["configs"][0]["source"]]["content"]

    assert nginx["ports"] == ["8000:8000"]
    assert nginx["configs"][0]["target"] == "/etc/nginx/conf.d/default.conf"
    assert nginx["depends_on"]["web"]["condition"] == "service_healthy"
    assert "server web:8000 resolve;" in config  # every replica, found again when scaled
    assert "proxy_pass http://guildhall;" in config
    assert "X-Forwarded-Proto $$http_x_forwarded_proto" in config  # from the TLS proxy
    limit = int(re.search(r"client_max_body_size (\d+)m;", config).group(1))
    assert limit * 1024 * 1024 > 100 * 1024 * 1024  # the largest deliverable fits


def test_media_lives_in_the_s3_store_in_two_private_buckets(compose):
    env = compose["services"]["web"]["environment"]
    buckets = compose["services"]["buckets"]

    assert env["MEDIA_STORAGE"] == "s3"
    assert env["S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["S3_BUCKET"] != env["S3_PRIVATE_BUCKET"]
    for bucket in (env["S3_BUCKET"], env["S3_PRIVATE_BUCKET"]):
        assert f"store/{bucket}" in buckets["entrypoint"]
    assert "anonymous" not in buckets["entrypoint"]  # neither bucket is public
    assert "MEDIA_ROOT" not in env
    assert "media" not in compose["volumes"]  # no web machine keeps uploads
    assert compose["services"]["web"]["depends_on"]["buckets"]["condition"] == (
        "service_completed_successfully"
    )


def test_worker_and_one_beat_run_celery(compose):
    worker = compose["services"]["worker"]["command"]
    beat = compose["services"]["beat"]

    assert worker.startswith("celery -A marketplace worker")
    assert beat["command"].startswith("celery -A marketplace beat")
    assert beat["deploy"]["replicas"] == 1
    assert "--beat" not in worker  # one beat only: its own service


def test_data_services_are_postgres_16_and_redis_7_with_healthchecks(compose):
    postgres = compose["services"]["postgres"]
    redis = compose["services"]["redis"]

    assert postgres["image"] == "postgres:16"
    assert redis["image"] == "redis:7"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert "ping" in redis["healthcheck"]["test"]


def test_app_services_share_one_production_environment(compose):
    environments = [compose["services"][name]["environment"] for name in APP_SERVICES]

    assert all(environment == environments[0] for environment in environments)
    for name in APP_SERVICES:  # the rest of .env, when there is one
        assert compose["services"][name]["env_file"] == [{"path": ".env", "required": False}]
    env = environments[0]
    assert env["DJANGO_ENV"] == "production"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["DATABASE_URL"].endswith("@postgres:5432/guildhall")
    assert env["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    assert env["PAYMENT_GATEWAY"] == "stripe"
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "EMAIL_URL", "REDIS_URL"):
        assert env[name]


def test_every_compose_environment_variable_is_one_settings_reads(compose):
    read = settings_variables()

    for name in APP_SERVICES:
        unknown = set(compose["services"][name]["environment"]) - read
        assert unknown == set(), f"{name} sets variables settings.py never reads"


# What a person puts in .env before `docker compose up` (the variables compose insists on).
OPERATOR_VALUES = {
    "SECRET_KEY": "k" + "0123456789abcdefghijklmnopqrstuvwxyz" * 2,
    "ALLOWED_HOSTS": "guildhall.example",
    "SITE_URL": "https://guildhall.example",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.guildhall.example:587",
    "STRIPE_SECRET_KEY": "sk_live_guildhall",
    "STRIPE_WEBHOOK_SECRET": "whsec_guildhall",
}
INTERPOLATION = re.compile(r"\$\{(\w+)(?:(:[-?])([^}]*))?\}")


def interpolate(value: str, supplied: dict[str, str], required: set[str]) -> str:
    """Compose's ${NAME}, ${NAME:-default} and ${NAME:?message}, as `docker compose` does it."""

    def replace(match: re.Match[str]) -> str:
        name, operator, argument = match.groups()
        if operator == ":?":
            required.add(name)
        if supplied.get(name):
            return supplied[name]
        if operator == ":-":
            return argument
        raise KeyError(name)

    return INTERPOLATION.sub(replace, str(value))


def test_compose_environment_starts_production_settings_once_the_operator_fills_env(compose):
    required: set[str] = set()
    environment = {
        name: interpolate(value, OPERATOR_VALUES, required)
        for name, value in compose["services"]["web"]["environment"].items()
    }
    code = (
        "import json, marketplace.settings as s; print(json.dumps({'debug': s.DEBUG, "
        "'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL}))"
    )

    result = subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, "-c", code],
        cwd=REPO,
        env={"PATH": os.environ["PATH"], "HOME": str(Path.home()), **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert required == set(OPERATOR_VALUES)  # compose refuses to start without each of them
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "debug": False,
        "engine": "django.db.backends.postgresql",
        "broker": "redis://redis:6379/0",
    }


def test_web_healthcheck_probes_healthz_and_the_others_wait_for_it(compose):
    web = compose["services"]["web"]

    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert compose["services"]["migrate"]["depends_on"]["postgres"]["condition"] == (
        "service_healthy"
    )
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("worker", "beat"):
        # The worker and beat start once a web replica is healthy (migrations ran).
        assert compose["services"][name]["depends_on"]["web"]["condition"] == "service_healthy"


def test_dockerfile_installs_the_lock_with_hashes_and_collects_static():
    lines = [
        line.strip()
        for line in (REPO / "Dockerfile").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    text = "\n".join(lines)

    assert lines[0] == "FROM python:3.13-slim"
    assert "COPY requirements.lock ./" in lines
    assert "pip install --require-hashes --no-deps -r requirements.lock" in text
    assert "manage.py collectstatic --noinput" in text
    assert text.index("--require-hashes") < text.index("COPY . .") < text.index("collectstatic")
    assert "USER guildhall" in lines  # the app does not run as root


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (REPO / ".dockerignore").read_text().split()

    for entry in (".env", ".venv", ".git", "db.sqlite3", "media"):
        assert entry in ignored


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthcheck(command: list[str], port: int, env: dict[str, str]) -> int:
    assert command[:2] == ["CMD", "python"]
    argv = [sys.executable, *command[2:]]
    argv[-1] = argv[-1].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    return subprocess.run(  # noqa: S603 - the compose file's own probe
        argv, env=env, capture_output=True, timeout=30, check=False
    ).returncode


@pytest.mark.postgres
@pytest.mark.usefixtures("django_db_setup")
def test_compose_web_command_serves_healthz_in_production(compose):
    web = compose["services"]["web"]
    port = _free_port()
    db = connection.settings_dict
    env = production_env(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        CELERY_BROKER_URL=os.environ.get("GUILDHALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    )
    argv = shlex.split(web["command"].replace("0.0.0.0:8000", f"127.0.0.1:{port}"))
    server = subprocess.Popen(  # noqa: S603 - the compose file's own command
        argv,
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        status = 1
        while status != 0 and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            status = _healthcheck(web["healthcheck"]["test"], port, env)
        assert status == 0, "the healthcheck never passed"
        # The probe must not pass by accident: a host that is not allowed gets a 400, not a 200.
        env_wrong_host = {**env, "ALLOWED_HOSTS": "not-allowed.example"}
        assert _healthcheck(web["healthcheck"]["test"], port, env_wrong_host) != 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    assert b"Listening at: http://127.0.0.1" in errors
