"""The mixed-load test: simulated people (marketplace/locustfile.py, driven by Locust headless)
against gunicorn with production settings, PostgreSQL, Redis and a Celery worker.

`manage.py bench --app load` (or `make loadtest`) runs it in the benchmarks' throw-away database:
accounts and their work are prepared through the real services, each run of USERS simulated
people lasts SECONDS, and the ledger invariants are checked once everything has settled.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.test import Client, override_settings

from accounts.models import Skill, SkillCategory, User
from accounts.services import SkillChoice, register_account, set_expert_skills
from bids.services import (
    MilestoneInput,
    award_bid,
    confirm_award,
    open_bid_conversation,
    place_bid,
)
from escrow.models import Account, Entry, GatewayEvent
from marketplace.bench_tools import Report, database_url, free_port, p95, wait_for_port
from projects.services import create_draft, publish_project
from workspaces.services import open_workspace, request_start

USERS = [int(n) for n in os.environ.get("LOAD_USERS", "20,50").split(",")]
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = 4  # gunicorn sync workers: two per core on this 2-core machine
PAGE_TARGET_MS = 250
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL
CAST_SIZE = {"client": 20, "expert": 20, "staff": 2}  # accounts per run: more than will act


@dataclass(frozen=True)
class Outcome:
    users: int
    seconds: float
    samples: list[tuple[str, float, bool]]
    load: str  # the machine's load average while it ran
    server_ms: tuple[float, ...] = ()  # time inside the gunicorn workers, every request

    def rows(self) -> list[tuple[str, int, float, float, float, int]]:
        """(name, requests, per second, median ms, p95 ms, errors) per action, by name."""
        names = sorted({name for name, _, _ in self.samples})
        rows = []
        for name in names:
            times = [ms for n, ms, _ in self.samples if n == name]
            errors = sum(1 for n, _, failed in self.samples if n == name and failed)
            rows.append(
                (
                    name,
                    len(times),
                    len(times) / self.seconds,
                    statistics.median(times),
                    p95(times),
                    errors,
                )
            )
        return rows

    def summary(self, prefix: str) -> tuple[int, float, float, float, int]:
        times = [ms for name, ms, _ in self.samples if name.startswith(prefix)]
        errors = sum(1 for name, _, failed in self.samples if name.startswith(prefix) and failed)
        return len(times), len(times) / self.seconds, statistics.median(times), p95(times), errors


# --- The cast: accounts and what each may act on, made through the real services -------------


def _person(email: str, role: str, **extra: Any) -> User:
    user = User.objects.create_user(email=email, password=None, **extra)
    if role == "staff":
        return user
    return register_account(
        user=user, name=email.split("@")[0], role=role, account_type="individual"
    )


def _project(owner: User, category: SkillCategory, skills: list[Skill], title: str) -> Any:
    values = {
        "title": title,
        "description": "A two-cavity injection mould for a small ABS housing; drawings follow.",
        "category": category,
        "skills": skills[:2],
        "expertise_level": "intermediate",
        "budget_type": "fixed",
        "budget_min": 150_000,
        "budget_max": 150_000,
        "deadline": None,
        "start_date": None,
        "end_date": None,
        "location_type": "remote",
        "country": "",
        "city": "",
        "languages": [],
        "restricted_to_businesses": False,
        "additional_qc": False,
        "managed": False,
        "payment_model": "milestones",
        "nda_required": False,
    }
    return publish_project(project=create_draft(by=owner, values=values), by=owner)


def _bid(project: Any, expert: User) -> Any:
    return place_bid(
        project=project,
        by=expert,
        amount=90_000,
        days=12,
        proposal="Two steps: the design, then the tool.",
        milestones=[MilestoneInput(title="All of it", amount=90_000, due_in_days=12)],
    )


def _session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def make_cast(run: int, sizes: dict[str, int] | None = None) -> dict[str, Any]:
    """Accounts for one run (new ones each run, so no run acts on another's leftovers)."""
    sizes = sizes or CAST_SIZE
    category = SkillCategory.objects.get(slug="engineering")
    skills = list(Skill.objects.filter(category=category).order_by("pk")[:3])
    clients = [
        _person(f"load{run}-client{i}@guildhall.example", "client") for i in range(sizes["client"])
    ]
    experts = [
        _person(f"load{run}-expert{i}@guildhall.example", "expert") for i in range(sizes["expert"])
    ]
    staff = [
        _person(f"load{run}-staff{i}@guildhall.example", "staff", is_staff=True, is_superuser=True)
        for i in range(sizes["staff"])
    ]
    for expert in experts:
        set_expert_skills(
            profile=expert.expert_profile, by=expert, skills=[SkillChoice(skill=s) for s in skills]
        )
    cast: dict[str, Any] = {"client": [], "expert": [], "staff": []}
    bid_on: dict[int, list[int]] = {expert.pk: [] for expert in experts}
    conversations: dict[int, list[int]] = {expert.pk: [] for expert in experts}
    for i, client in enumerate(clients):
        helper = experts[i % len(experts)]
        mine: dict[str, Any] = {
            "session": _session(client),
            "projects": [],
            "award": [],
            "fund": [],
        }
        for n in range(6):  # open for bids, one expert each
            project = _project(client, category, skills, f"Housing mould {run}-{i}-{n}")
            mine["projects"].append(project.pk)
            bid_on[experts[(i + n) % len(experts)].pk].append(project.pk)
        for n in range(3):  # one bid each, to award
            bid = _bid(_project(client, category, skills, f"Jig {run}-{i}-{n}"), helper)
            mine["award"].append(bid.pk)
            conversations[helper.pk].append(open_bid_conversation(bid).pk)
        for n in range(4):  # confirmed contracts whose first milestone waits for funds
            bid = _bid(_project(client, category, skills, f"Fixture {run}-{i}-{n}"), helper)
            award_bid(bid=bid, by=client)
            contract = confirm_award(bid=bid, by=helper, accept_terms=True)
            workspace = open_workspace(contract=contract)
            milestone = workspace.milestones.get()
            request_start(milestone=milestone, by=helper)
            mine["fund"].append(f"/workspaces/{workspace.pk}/milestones/{milestone.pk}/start/")
        cast["client"].append(mine)
    with override_settings(PROJECT_MODERATION="all"):  # the staff's first work
        for i, client in enumerate(clients[:10]):
            _project(client, category, skills, f"Awaiting approval {run}-{i}")
    for expert in experts:
        cast["expert"].append(
            {
                "session": _session(expert),
                "bid_on": bid_on[expert.pk],
                "conversations": conversations[expert.pk]
                or [
                    open_bid_conversation(
                        _bid(_project(clients[0], category, skills, f"Spare {expert.pk}"), expert)
                    ).pk
                ],
            }
        )
    cast["staff"] = [{"session": _session(user)} for user in staff]
    cast.update(
        session_cookie=settings.SESSION_COOKIE_NAME,
        csrf_token="loadtest" + "x" * 24,
        category=category.pk,
        skills=[skill.pk for skill in skills],
        open_projects=[pk for person in cast["client"] for pk in person["projects"]],
        expert_ids=[expert.expert_profile.pk for expert in experts],
    )
    return cast


# --- Processes ---------------------------------------------------------------------------------


def _server_env(folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "AXES_ENABLED": "0",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "PROJECT_MODERATION": "all",  # posted projects wait for staff approval
        "PAYMENT_GATEWAY": "demo",
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(folder / "static"),  # production serves collected, hashed files
    }
    env.pop("GUILDHALL_TESTING", None)
    return env


def start_site(folder: Path) -> tuple[int, list[subprocess.Popen]]:
    """gunicorn (WORKERS sync workers) and one Celery worker; returns the port and processes."""
    bin_dir = Path(sys.executable).parent
    port = free_port()
    env = _server_env(folder)
    log = (folder / "site.log").open("wb")
    common: dict[str, Any] = {"cwd": settings.BASE_DIR, "env": env, "stdout": log, "stderr": log}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        check=True,
        **common,
    )
    processes = [
        subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                str(bin_dir / "gunicorn"),
                "marketplace.wsgi",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(folder / ACCESS_LOG),
                "--access-logformat",
                "%(D)s",  # microseconds inside the worker
            ],
            **common,
        ),
        subprocess.Popen(  # noqa: S603 - our own celery, fixed arguments
            [
                str(bin_dir / "celery"),
                "-A",
                "marketplace",
                "worker",
                "--concurrency=1",
                "--loglevel=WARNING",
            ],
            **common,
        ),
    ]
    wait_for_port(port, seconds=120)
    return port, processes


ACCESS_LOG = "access.log"


def server_times(folder: Path, offset: int) -> tuple[list[float], int]:
    """Server times (ms) gunicorn logged since offset, and the new offset."""
    with (folder / ACCESS_LOG).open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode().split()
        return [int(line) / 1000 for line in lines if line.isdigit()], handle.tell()


def warm_up(port: int, cast: dict[str, Any]) -> None:
    """Every gunicorn worker loads its code and templates before anything is measured."""
    pages = ["/", "/projects/?q=mould", f"/projects/{cast['open_projects'][0]}/", "/services/"]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(WORKERS * 3):
        for page in pages:
            connection.request("GET", page)
            connection.getresponse().read()
    connection.close()


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.wait(timeout=60)


def run_locust(port: int, cast: dict[str, Any], users: int, seconds: int, folder: Path) -> Outcome:
    cast_file, samples_file = folder / f"cast-{users}.json", folder / f"samples-{users}.json"
    cast_file.write_text(json.dumps(cast), encoding="utf-8")
    locust = Path(sys.executable).with_name("locust")
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own locust, fixed arguments
        [
            str(locust),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--exit-code-on-error",
            "0",
            "--host",
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "LOAD_CAST": str(cast_file), "LOAD_SAMPLES": str(samples_file)},
        stdout=subprocess.DEVNULL,
        stderr=(folder / f"locust-{users}.log").open("wb"),
        check=True,
        timeout=seconds + 120,
    )
    elapsed = time.perf_counter() - started
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    samples = [tuple(row) for row in json.loads(samples_file.read_text(encoding="utf-8"))]
    return Outcome(users=users, seconds=min(elapsed, seconds), samples=samples, load=load)  # type: ignore[arg-type]


def settle(seconds: float = 120) -> int:
    """Wait until the worker has processed every payment event; returns those still waiting."""
    deadline = time.monotonic() + seconds
    waiting = GatewayEvent.objects.filter(processed_at__isnull=True).count()
    while waiting and time.monotonic() < deadline:
        time.sleep(1)
        waiting = GatewayEvent.objects.filter(processed_at__isnull=True).count()
    return waiting


# --- Ledger invariants --------------------------------------------------------------------------


def ledger_invariants() -> dict[str, int]:
    """Counts of violations (all must be 0): unbalanced transactions, cached balances that differ
    from the sum of their entries, and wallets below zero."""
    entry_sum = (
        Entry.objects.filter(account=OuterRef("pk"))
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return {
        "transactions whose entries do not sum to zero": Entry.objects.values("transaction_id")
        .annotate(total=Sum("amount"))
        .exclude(total=0)
        .count(),
        "accounts whose cached balance differs from their entries": Account.objects.annotate(
            entry_total=Coalesce(Subquery(entry_sum), Value(0))
        )
        .exclude(balance=F("entry_total"))
        .count(),
        "wallets below zero": Account.objects.filter(
            kind=Account.Kind.WALLET, balance__lt=0
        ).count(),
    }


# --- The chart -----------------------------------------------------------------------------------


def latency_chart(outcomes: list[Outcome]) -> str:
    """A small SVG: median and p95 of page views and of actions against simulated users."""
    width, height, left, bottom, top, right = 560, 300, 60, 40, 20, 170
    series = [
        ("page views p95", "view: ", 3, "#b3261e", ""),
        ("page views median", "view: ", 2, "#b3261e", "4 3"),
        ("actions p95", "act: ", 3, "#1f5fae", ""),
        ("actions median", "act: ", 2, "#1f5fae", "4 3"),
    ]
    points = {
        label: [(o.users, o.summary(prefix)[2 + (1 if "p95" in label else 0)]) for o in outcomes]
        for label, prefix, *_ in series
    }
    top_ms = max([PAGE_TARGET_MS, *(ms for line in points.values() for _, ms in line)]) * 1.1
    most_users = max(o.users for o in outcomes)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(users: int) -> float:
        return left + plot_w * users / most_users

    def y(ms: float) -> float:
        return top + plot_h * (1 - ms / top_ms)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        "<title>Latency against simulated users</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        'stroke="#333"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333"/>',
        f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">'
        "simulated users</text>",
        f'<text x="14" y="{top + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 14 {top + plot_h / 2})">latency, ms</text>',
    ]
    step = 50 if top_ms <= 400 else 100 if top_ms <= 1000 else 500
    for tick in range(0, int(top_ms) + 1, step):
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.0f}" text-anchor="end">{tick}</text>'
            f'<line x1="{left}" y1="{y(tick):.0f}" x2="{left + plot_w}" y2="{y(tick):.0f}" '
            'stroke="#eee"/>'
        )
    for o in outcomes:
        parts.append(
            f'<text x="{x(o.users):.0f}" y="{top + plot_h + 16}" text-anchor="middle">'
            f"{o.users}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{y(PAGE_TARGET_MS):.0f}" x2="{left + plot_w}" '
        f'y2="{y(PAGE_TARGET_MS):.0f}" stroke="#555" stroke-dasharray="2 4"/>'
        f'<text x="{left + 4}" y="{y(PAGE_TARGET_MS) - 4:.0f}" fill="#555">'
        f"target: page views p95 ≤ {PAGE_TARGET_MS} ms</text>"
    )
    for row, (label, _, stroke_width, colour, dashes) in enumerate(series):
        line = " ".join(f"{x(users):.0f},{y(ms):.0f}" for users, ms in points[label])
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<polyline points="{line}" fill="none" stroke="{colour}" '
            f'stroke-width="{stroke_width}"{dash}/>'
        )
        for users, ms in points[label]:
            parts.append(f'<circle cx="{x(users):.0f}" cy="{y(ms):.0f}" r="3" fill="{colour}"/>')
        legend_y = top + 10 + 20 * row
        parts.append(
            f'<line x1="{width - right + 16}" y1="{legend_y}" x2="{width - right + 46}" '
            f'y2="{legend_y}" stroke="{colour}" stroke-width="{stroke_width}"{dash}/>'
            f'<text x="{width - right + 52}" y="{legend_y + 4}">{label}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


# --- The benchmark -------------------------------------------------------------------------------

CHART = "benchmarks-load.svg"


def measure(users: list[int], seconds: int) -> tuple[list[Outcome], dict[str, int], int]:
    """Every run on one site; returns the outcomes, the invariant violations and the payment
    events left unprocessed."""
    redis.Redis.from_url(REDIS_URL).flushdb()  # no cached page from another database
    casts = [make_cast(run) for run in range(len(users))]
    outcomes = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        port, processes = start_site(folder)
        try:
            warm_up(port, casts[0])
            time.sleep(1)
            _, offset = server_times(folder, 0)
            for cast, count in zip(casts, users, strict=True):
                outcome = run_locust(port, cast, count, seconds, folder)
                time.sleep(1)  # the access log catches up
                served, offset = server_times(folder, offset)
                outcomes.append(dataclasses.replace(outcome, server_ms=tuple(served)))
            waiting = settle()
        finally:
            stop(processes)
    return outcomes, ledger_invariants(), waiting


def run(report: Report) -> None:
    if connection.vendor != "postgresql":
        return
    outcomes, violations, waiting = measure(USERS, SECONDS)
    section = report.section(
        "Mixed load: simulated people on gunicorn",
        intro=(
            f"Locust (headless) drives anonymous visitors (weight 4), experts (3), clients (2) "
            f"and two staff members for {SECONDS} s at each number of simulated users; each "
            "waits 1 to 3 s between actions. Visitors browse and search; experts search, read "
            "projects, bid and send messages; clients post projects, read bids, award, and fund "
            "milestones by card through the demo gateway; staff approve posted projects in the "
            f"admin. gunicorn with {WORKERS} sync workers, production settings (DEBUG off, "
            "persistent connections, Redis cache), PostgreSQL, one Celery worker processing the "
            "payments, all on this machine with the load generator. Latency is what the "
            "simulated browsers saw, redirects not followed. "
            f"Target: no errors, page views p95 ≤ {PAGE_TARGET_MS} ms at "
            f"{max(USERS)} users."
        ),
        headers=["users", "action", "requests", "per second", "median ms", "p95 ms", "errors"],
    )
    for outcome in outcomes:
        for kind, prefix in (("all page views", "view: "), ("all actions", "act: ")):
            count, rate, median, slow, errors = outcome.summary(prefix)
            section.row(
                outcome.users,
                f"**{kind}**",
                count,
                f"{rate:.1f}",
                f"{median:.0f}",
                f"{slow:.0f}",
                errors,
            )
        for name, count, rate, median, slow, errors in outcome.rows():
            section.row(
                outcome.users, name, count, f"{rate:.1f}", f"{median:.0f}", f"{slow:.0f}", errors
            )
    for outcome in outcomes:
        served = list(outcome.server_ms) or [0.0]
        section.note(
            f"{outcome.users} users: load average during the run {outcome.load} (1, 5, 15 min) "
            f"on {os.cpu_count()} cores; time inside the gunicorn workers, every request: "
            f"median {statistics.median(served):.0f} ms, p95 {p95(served):.0f} ms (the rest of "
            "the latency is waiting for a worker or a core)."
        )
    last = outcomes[-1].summary("view: ")
    errors = sum(failed for o in outcomes for _, _, failed in o.samples)
    section.note(
        f"Target at {outcomes[-1].users} users: page views p95 {last[3]:.0f} ms "
        f"(≤ {PAGE_TARGET_MS}: {'met' if last[3] <= PAGE_TARGET_MS else 'NOT met'}); "
        f"errors in all runs {errors} ({'met' if errors == 0 else 'NOT met'})."
    )
    checks = ", ".join(f"{name}: {count}" for name, count in violations.items())
    held = not any(violations.values()) and not waiting
    section.note(
        f"Ledger invariants after the runs, every payment processed ({waiting} waiting): "
        f"{checks} — {'all hold' if held else 'VIOLATED'}."
    )
    section.note(f"![Latency against simulated users]({CHART})")
    report.attach(CHART, latency_chart(outcomes))
