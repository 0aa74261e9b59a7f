"""Search benchmarks: Find a Project and Find a Freelancer over 100,000 projects and 20,000
experts (manage.py bench runs run(report) in a throw-away database).

Two measurements: in-process (Django test client: median / p95 server time and SQL queries per
page), and throughput through gunicorn (sync workers) with 4 concurrent clients, each page
compared with /healthz served by the same gunicorn in the same run.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from accounts.models import Language, Skill, SkillCategory, User
from marketplace.bench_tools import PAGE_HEADERS, Report, time_page
from projects.benchdata import seed_experts, seed_projects
from projects.services import refresh_expert_index

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "100000"))
EXPERTS = int(os.environ.get("BENCH_EXPERTS", "20000"))
CLIENTS = 4
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    as_expert: bool = False  # logged in as a seeded expert with skills


def _pages() -> list[Page]:
    moulding = Skill.objects.get(slug="injection-moulding").pk
    english = Language.objects.get(code="en").pk
    engineering = SkillCategory.objects.get(slug="engineering").pk
    return [
        Page(
            "Find a Project: text + skill + language",
            f"/projects/?q={quote('injection moulding')}&skills={moulding}&language={english}",
        ),
        Page(
            "Find a Project: text + category + posted",
            f"/projects/?q=mould&category={engineering}&posted=30",
        ),
        Page("Find a Project: newest, page 3", "/projects/?sort=newest&page=3"),
        Page(
            "Find projects with my skills (expert, logged in)",
            "/projects/?mine=on&sort=best",
            as_expert=True,
        ),
        Page("Find a Project: best match (expert, logged in)", "/projects/", as_expert=True),
        Page(
            "Find a Freelancer: text + skill + language",
            f"/projects/experts/search/?q=moulding&skills={moulding}&language={english}",
        ),
        Page(
            "Find a Freelancer: text + country",
            "/projects/experts/search/?q=translation&country=DE",
        ),
    ]


def _expert_session() -> str:
    """A session cookie of a seeded expert who has skills (stored in the database, so the
    gunicorn workers accept it too)."""
    expert = (
        User.objects.filter(email__startswith="bench-expert-", expert_profile__skills__isnull=False)
        .order_by("pk")
        .first()
    )
    if expert is None:
        raise RuntimeError("The benchmark data has no expert with skills.")
    client = Client()
    client.force_login(expert)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


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


def _hammer(port: int, path: str, seconds: float, cookie: str = "") -> tuple[float, list[float]]:
    """Requests per second and latencies (ms) with CLIENTS keep-alive connections; every
    answer must be a 200, so an error page can never pass for a fast page."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    lock = threading.Lock()
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"} if cookie else {}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
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


def _wrk(port: int, path: str, seconds: float, cookie: str = "") -> tuple[float, list[float]]:
    """The same measurement with wrk (C, far lighter on the shared cores than Python clients):
    requests per second and the latency median and 95th percentile (ms)."""
    script = Path(tempfile.gettempdir()) / "guildhall-bench-wrk.lua"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    command = [WRK, "-t2", f"-c{CLIENTS}", f"-d{max(1, round(seconds))}s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {settings.SESSION_COOKIE_NAME}={cookie}"]
    done = subprocess.run(  # noqa: S603 - wrk from the PATH, fixed arguments
        [*command, f"http://127.0.0.1:{port}{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(row for row in done.stdout.splitlines() if row.startswith("RESULT "))
    fields = dict(part.split("=") for part in line.split()[1:])
    if int(fields["bad"]):
        raise RuntimeError(f"GET {path}: {fields['bad']} answers were not 200")
    return float(fields["rps"]), [float(fields["p50"]), float(fields["p95"])]


WRK = shutil.which("wrk") or ""
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT rps=%.2f p50=%.3f p95=%.3f bad=%d\\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, bad))
end
"""


def _load(port: int, path: str, seconds: float, cookie: str = "") -> tuple[float, float, float]:
    """Requests per second, latency median and p95 (ms) as CLIENTS concurrent clients see it."""
    if WRK:
        rate, (median, p95) = _wrk(port, path, seconds, cookie)
        return rate, median, p95
    rate, latencies = _hammer(port, path, seconds, cookie)
    return rate, statistics.median(latencies), _p95(latencies)


def _server_times(log: Path, offset: int) -> tuple[list[float], int]:
    """Server times (ms) gunicorn logged since offset (its %(D)s: microseconds in the worker)."""
    with log.open("rb") as handle:
        handle.seek(offset)
        lines = handle.read().decode().split()
        return [int(line) / 1000 for line in lines if line.isdigit()], handle.tell()


def _gunicorn(report: Report, pages: list[Page], cookie: str, *, cached: bool) -> None:
    client = "wrk" if WRK else "Python"
    section = report.section(
        "Search pages through gunicorn, 4 concurrent clients"
        + ("" if cached else ", result cache off (SEARCH_CACHE_SECONDS=0)"),
        intro=(
            f"gunicorn, 2 sync workers, {CLIENTS} keep-alive {client} clients for "
            f"{SECONDS:.0f} s per page on the same machine (its 2 cores shared by the clients, "
            "the workers and PostgreSQL); production settings (DEBUG off, persistent database "
            "connections); throughput relative to /healthz measured in this run. Latency is "
            "what the clients saw, queueing for a busy worker included; server time is what "
            "gunicorn logged for each request inside the worker."
            + (
                " Each page repeats one query, so after the first request it comes from the "
                "result cache."
                if cached
                else " Every request runs the search."
            )
        ),
        headers=[
            "page",
            "requests/s",
            "vs /healthz",
            "latency median ms",
            "latency p95 ms",
            "server median ms",
            "server p95 ms",
        ],
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "0",
        "ALLOWED_HOSTS": "*",
        "AXES_ENABLED": "0",
        "SEARCH_CACHE_SECONDS": str(settings.SEARCH_CACHE_SECONDS if cached else 0),
    }
    env.pop("GUILDHALL_TESTING", None)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "access.log"
        log.touch()
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
                "--access-logfile",
                str(log),
                "--access-logformat",
                "%(D)s",
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
            for page in [Page("", "/healthz"), *pages]:
                _load(port, page.path, 1, cookie if page.as_expert else "")  # warm-up
            time.sleep(0.5)  # let the access log catch up
            _, offset = _server_times(log, 0)
            floor = 0.0
            for page in [Page("/healthz", "/healthz"), *pages]:
                rate, median, p95 = _load(
                    port, page.path, SECONDS, cookie if page.as_expert else ""
                )
                time.sleep(0.5)
                served, offset = _server_times(log, offset)
                floor = floor or rate
                section.row(
                    page.label,
                    f"{rate:.0f}",
                    f"{100 * rate / floor:.1f}%",
                    f"{median:.1f}",
                    f"{p95:.1f}",
                    f"{statistics.median(served):.1f}" if served else "-",
                    f"{_p95(served):.1f}" if served else "-",
                )
        finally:
            process.terminate()
            process.wait(timeout=30)


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _vacuum() -> None:
    """What autovacuum does after a bulk load: visibility map and statistics up to date."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in (
            "projects_project",
            "projects_listedproject",
            "projects_project_skills",
            "projects_project_languages",
            "projects_expertsearchindex",
            "accounts_expertprofile",
            "accounts_expertskill",
            "accounts_expertlanguage",
            "accounts_user",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def run(report: Report) -> None:
    started = time.perf_counter()
    seed_projects(count=PROJECTS)
    seed_experts(count=EXPERTS)
    refresh_expert_index()
    _vacuum()
    seeded = time.perf_counter() - started
    pages = _pages()
    cookie = _expert_session()
    section = report.section(
        f"Search pages over {PROJECTS:,} projects and {EXPERTS:,} experts (in-process)",
        intro=(
            "One client at a time, production settings. Words and the skill, category, language "
            "and posted filters answered by one GIN scan of stored vectors with filter tokens; "
            "matches ranked in a narrow copy of the open public projects, then only the page's "
            "projects read; sorts served by partial indexes over open public projects; best "
            "match without words read group by group; featured projects in their own small "
            "query; pages fetch one row more than they show instead of counting; taxonomy names "
            "and choices from the cache. Rows marked *searched* run the search on every request "
            "(result cache off); *repeated* rows ask the same page again and get it from the "
            "result cache."
        ),
        headers=PAGE_HEADERS,
    )
    anonymous = Client()
    expert = Client()
    expert.cookies[settings.SESSION_COOKIE_NAME] = cookie
    fragment = {"HTTP_HX_REQUEST": "true"}
    section.row(*time_page(anonymous, "/healthz", requests=50).cells("/healthz"))
    for page in pages:
        client = expert if page.as_expert else anonymous
        with override_settings(SEARCH_CACHE_SECONDS=0):
            searched = time_page(client, page.path, requests=40)
            searched_fragment = time_page(client, page.path, requests=40, headers=fragment)
        repeated = time_page(client, page.path, requests=40)
        section.row(*searched.cells(f"{page.label}, searched"))
        section.row(*searched_fragment.cells(f"{page.label}, searched, htmx results fragment"))
        section.row(*repeated.cells(f"{page.label}, repeated"))
    section.note(f"Seeding took {seeded:.0f} s (bulk inserts, one UPDATE for the vectors).")
    if connection.vendor == "postgresql":
        _gunicorn(report, pages, cookie, cached=True)
        _gunicorn(report, pages, cookie, cached=False)
