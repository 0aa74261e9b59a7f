"""Search benchmarks: Find a Project and Find a Freelancer over 100,000 projects and 20,000
experts (manage.py bench runs run(report) in a throw-away database).

Two measurements: in-process (Django test client: median / p95 server time and SQL queries per
page), and throughput through gunicorn (sync workers) with 4 concurrent clients, each page
compared with /healthz served by the same gunicorn in the same run.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import Language, Skill, SkillCategory
from marketplace.bench_tools import PAGE_HEADERS, Report, time_page
from projects.benchdata import seed_experts, seed_projects
from projects.services import refresh_expert_index

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
EXPERTS = int(os.environ.get("BENCH_EXPERTS", "20000"))
CLIENTS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))


def _pages() -> list[tuple[str, str]]:
    moulding = Skill.objects.get(slug="injection-moulding").pk
    english = Language.objects.get(code="en").pk
    engineering = SkillCategory.objects.get(slug="engineering").pk
    return [
        (
            "Find a Project: text + skill + language",
            f"/projects/?q={quote('injection moulding')}&skills={moulding}&language={english}",
        ),
        (
            "Find a Project: text + category + posted",
            f"/projects/?q=mould&category={engineering}&posted=30",
        ),
        ("Find a Project: newest, page 3", "/projects/?sort=newest&page=3"),
        (
            "Find a Freelancer: text + skill + language",
            f"/projects/experts/search/?q=moulding&skills={moulding}&language={english}",
        ),
        ("Find a Freelancer: text + country", "/projects/experts/search/?q=translation&country=DE"),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _hammer(port: int, path: str, seconds: float) -> tuple[float, list[float]]:
    """Requests per second and latencies (ms) with CLIENTS keep-alive connections; every
    answer must be a 200, so an error page can never pass for a fast page."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}")
            mine.append((time.perf_counter() - started) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CLIENTS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies) / (time.perf_counter() - started), latencies


def _gunicorn(report: Report, pages: list[tuple[str, str]]) -> None:
    section = report.section(
        "Search pages through gunicorn (4 concurrent clients)",
        intro=(
            f"gunicorn, 2 sync workers, {CLIENTS} keep-alive clients for {SECONDS:.0f} s per "
            "page on the same machine; throughput relative to /healthz measured in this run."
        ),
        headers=["page", "requests/s", "vs /healthz", "median ms", "p95 ms"],
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "*",
        "AXES_ENABLED": "0",
        # Plain static storage (no collected manifest needed) and a fast password hasher.
        "GUILDHALL_TESTING": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn binary, fixed arguments
        [
            str(gunicorn),
            "marketplace.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=str(settings.BASE_DIR),
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for _, path in [("", "/healthz"), *pages]:
            _hammer(port, path, 1)  # warm-up: connections, caches
        floor, floor_latencies = _hammer(port, "/healthz", SECONDS)
        section.row(
            "/healthz",
            f"{floor:.0f}",
            "100%",
            f"{statistics.median(floor_latencies):.1f}",
            f"{_p95(floor_latencies):.1f}",
        )
        for label, path in pages:
            rate, latencies = _hammer(port, path, SECONDS)
            section.row(
                label,
                f"{rate:.0f}",
                f"{100 * rate / floor:.1f}%",
                f"{statistics.median(latencies):.1f}",
                f"{_p95(latencies):.1f}",
            )
    finally:
        process.terminate()
        process.wait(timeout=30)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(report: Report) -> None:
    started = time.perf_counter()
    seed_projects(count=PROJECTS)
    seed_experts(count=EXPERTS)
    refresh_expert_index()
    seeded = time.perf_counter() - started
    pages = _pages()
    section = report.section(
        f"Search pages over {PROJECTS:,} projects and {EXPERTS:,} experts (in-process)",
        intro=(
            "Stored, GIN-indexed search vectors; sorts served by partial indexes over open "
            "public projects; featured projects fetched in their own small query; pages fetch "
            "one row more than they show instead of counting."
        ),
        headers=PAGE_HEADERS,
    )
    client = Client()
    section.row(*time_page(client, "/healthz", requests=50).cells("/healthz"))
    for label, path in pages:
        section.row(*time_page(client, path, requests=40).cells(label))
        section.row(
            *time_page(client, path, requests=40, headers={"HTTP_HX_REQUEST": "true"}).cells(
                f"{label} (htmx results fragment)"
            )
        )
    section.note(f"Seeding took {seeded:.0f} s (bulk inserts, one UPDATE for the vectors).")
    if connection.vendor == "postgresql":
        _gunicorn(report, pages)
