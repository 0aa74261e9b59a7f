"""The two set-up commands: `make test` picks its database, and .ci/run has every step."""

import os
import re
import subprocess

from tests.marketplace.test_settings import REPO

CLOSED_PORT_PROBE = "postgres://postgres@127.0.0.1:1/postgres"


def make_test(pytest_args: str, **env_overrides: str) -> subprocess.CompletedProcess[str]:
    """Run `make test` as a person would, without the variables this very run was given."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "GUILDHALL_REQUIRE_POSTGRES", "MAKEFLAGS", "MAKELEVEL"}
        and not name.startswith(("PYTEST_", "DJANGO_"))
    }
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "--no-print-directory", "test", f"PYTEST_ARGS={pytest_args}"],  # noqa: S607
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_make_test_falls_back_to_sqlite_when_postgresql_does_not_answer():
    result = make_test(
        "-q -p no:cacheprovider tests/marketplace/test_health.py",
        GUILDHALL_PG_PROBE_URL=CLOSED_PORT_PROBE,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "PostgreSQL does not answer: testing on SQLite" in result.stdout
    assert re.search(r"Test database: sqlite:///\S+/var/test\.sqlite3", result.stdout)
    assert re.search(r"\b\d+ passed\b", result.stdout)
    assert "failed" not in result.stdout


def test_make_test_ignores_a_developers_broker_and_cache():
    """The README's "typical local addition" once made the notification emails queue unsent."""
    result = make_test(
        "-q -p no:cacheprovider tests/notifications/test_services.py",
        GUILDHALL_PG_PROBE_URL=CLOSED_PORT_PROBE,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        REDIS_URL="redis://127.0.0.1:1/1",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert " passed" in result.stdout
    assert " failed" not in result.stdout


def test_make_test_uses_database_url_when_it_is_set(tmp_path):
    url = f"sqlite:///{tmp_path / 'chosen.sqlite3'}"

    result = make_test(
        "-q -p no:cacheprovider --collect-only tests/marketplace/test_health.py",
        DATABASE_URL=url,
        GUILDHALL_PG_PROBE_URL=CLOSED_PORT_PROBE,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Test database: {url}" in result.stdout
    assert "does not answer" not in result.stdout


def test_make_test_fails_when_no_test_is_collected():
    result = make_test(
        "-q -p no:cacheprovider tests/marketplace/test_health.py -k no_test_has_this_name",
        GUILDHALL_PG_PROBE_URL=CLOSED_PORT_PROBE,
    )

    assert result.returncode != 0
    assert "deselected" in result.stdout


def test_ci_starts_the_services_then_runs_make_test_and_make_lint():
    script = (REPO / ".ci" / "run").read_text()
    steps = [
        "set -euo pipefail",
        "pg_isready",
        "pg_ctlcluster",
        "redis-cli -h 127.0.0.1 -p 6379 ping",
        "redis-server --daemonize yes",
        "apt-get install -y -q chromium",
        "python --version",
        "(3, 13)",
        'export DATABASE_URL="postgres://',
        "export GUILDHALL_REQUIRE_POSTGRES=1",
        "make test",
        "were skipped",
        "make lint",
    ]

    positions = [script.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the steps are out of order"
    assert os.access(REPO / ".ci" / "run", os.X_OK)


def test_make_lint_runs_ruff_djlint_and_mypy():
    makefile = (REPO / "Makefile").read_text()
    lint = makefile[makefile.index("\nlint:") : makefile.index("\nformat:")]

    for tool in ("ruff check .", "ruff format --check .", "djlint templates --lint", "mypy ."):
        assert tool in lint
