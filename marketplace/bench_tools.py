"""Small helpers for benchmarks: a Markdown report, a page timer, local ports (manage.py bench)."""

from __future__ import annotations

import contextlib
import socket
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


@dataclass
class Section:
    title: str
    intro: str = ""
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def row(self, *cells: object) -> None:
        self.rows.append([str(cell) for cell in cells])

    def note(self, text: str) -> None:
        self.notes.append(text)

    def markdown(self) -> str:
        lines = [f"## {self.title}", ""]
        if self.intro:
            lines += [self.intro, ""]
        if self.headers:
            lines.append("| " + " | ".join(self.headers) + " |")
            lines.append("|" + "|".join("---" for _ in self.headers) + "|")
            lines += ["| " + " | ".join(row) + " |" for row in self.rows]
            lines.append("")
        lines += [f"- {note}" for note in self.notes]
        if self.notes:
            lines.append("")
        return "\n".join(lines)


@dataclass
class Report:
    sections: list[Section] = field(default_factory=list)
    attachments: dict[str, str] = field(default_factory=dict)  # file name -> text, beside it

    def section(self, title: str, *, intro: str = "", headers: list[str] | None = None) -> Section:
        section = Section(title=title, intro=intro, headers=list(headers or []))
        self.sections.append(section)
        return section

    def attach(self, name: str, text: str) -> None:
        """A file written beside the report (a chart the report links to by this name)."""
        self.attachments[name] = text


PAGE_HEADERS = ["page", "requests", "median ms", "p95 ms", "queries per request", "status"]


@dataclass(frozen=True)
class PageTiming:
    median_ms: float
    p95_ms: float
    queries: int
    status: int
    requests: int

    def cells(self, label: str) -> list[object]:
        return [
            label,
            self.requests,
            f"{self.median_ms:.1f}",
            f"{self.p95_ms:.1f}",
            self.queries,
            self.status,
        ]


def time_page(
    client: Client,
    url: str,
    *,
    requests: int = 50,
    warmup: int = 3,
    headers: dict[str, str] | None = None,
) -> PageTiming:
    """Median and 95th percentile of GET url through the Django test client (in-process)."""
    extra: dict[str, Any] = dict(headers or {})
    for _ in range(warmup):
        client.get(url, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    query_count = len(queries.captured_queries)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return PageTiming(
        median_ms=statistics.median(samples),
        p95_ms=p95,
        queries=query_count,
        status=response.status_code,
        requests=requests,
    )


def rate(count: int, action: Callable[[int], object]) -> float:
    """Operations per second of action(i) for i in range(count)."""
    started = time.perf_counter()
    for i in range(count):
        action(i)
    return count / (time.perf_counter() - started)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(
    port: int, *, seconds: float = 60, process: subprocess.Popen | None = None
) -> None:
    """Until something listens on 127.0.0.1:port (or the process starting it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def database_url() -> str:
    """The URL of the database this process uses (the throw-away one), for servers it starts."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or '127.0.0.1'}:"
        f"{db.get('PORT') or 5432}/{db['NAME']}"
    )
