"""`manage.py bench --out BENCHMARKS.md`: run every app's benchmarks and write a Markdown report.

Each app may provide `<app>/bench.py` with `run(report)`; this command finds them in
INSTALLED_APPS order (the site-wide floor from marketplace/bench.py first), then the mixed-load
test (marketplace/loadtest.py, label "load"). `--app` runs only some of them and keeps the other
sections of the existing report, each block marked with its label and when it was measured.
Benchmarks run in a fresh throw-away database (created next to DATABASE_URL's, destroyed
afterwards), so they never touch real data.
"""

from __future__ import annotations

import importlib
import importlib.util
import platform
import re
import time
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from marketplace.bench_tools import Report


def discover(only: list[str]) -> list[tuple[str, Any]]:
    found = []
    for config in apps.get_app_configs():
        if only and config.label not in only:
            continue
        name = f"{config.name}.bench"
        if importlib.util.find_spec(config.name) is None:
            continue
        try:
            spec = importlib.util.find_spec(name)
        except ModuleNotFoundError:
            spec = None
        if spec is None:
            continue
        module = importlib.import_module(name)
        if callable(getattr(module, "run", None)):
            found.append((config.label, module))
    found.sort(key=lambda item: item[0] != "marketplace")
    if not only or "load" in only:  # the mixed-load test last: it runs on everyone's data
        found.append(("load", importlib.import_module("marketplace.loadtest")))
    return found


MARKER = re.compile(r"^<!-- bench:(\S+) (.+?) -->$", re.M)


def blocks(text: str) -> dict[str, tuple[str, str]]:
    """The sections of a previous report by benchmark label: label -> (when measured, text).
    A report from before the labels keeps its sections as one block dated by its header."""
    parts = MARKER.split(text)
    found = {
        label: (when, body)
        for label, when, body in zip(parts[1::3], parts[2::3], parts[3::3], strict=True)
    }
    if len(parts) == 1 and "\n## " in text:
        dated = re.search(r"^Run (\S+ \S+ UTC)", text, re.M)
        found["earlier"] = (dated.group(1) if dated else "earlier", text[text.index("\n## ") + 1 :])
    return found


class Command(BaseCommand):
    help = "Run the benchmarks of every app and write a Markdown report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", default="BENCHMARKS.md", help="the Markdown file to write")
        parser.add_argument("--app", action="append", default=[], help="only these app labels")
        parser.add_argument(
            "--keep-db", action="store_true", help="keep the benchmark database afterwards"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        modules = discover(options["app"])
        if not modules:
            raise CommandError("No benchmarks found (an app needs bench.py with run(report)).")
        original_name = connection.settings_dict["NAME"]
        creation = connection.creation
        # Never the pytest database (test_<name>): a run may be going on beside this one.
        test_settings = connection.settings_dict.setdefault("TEST", {})
        if connection.vendor == "sqlite":
            test_settings["NAME"] = test_settings.get("NAME") or ":memory:"
        else:
            test_settings["NAME"] = f"bench_{original_name}"
        self.stdout.write("Creating a throw-away benchmark database…")
        creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        report = Report()
        started = time.perf_counter()
        section_labels: dict[int, str] = {}
        try:
            for label, module in modules:
                self.stdout.write(f"Running {label} benchmarks…")
                module.run(report)
                for section in report.sections:
                    section_labels.setdefault(id(section), label)
        finally:
            if not options["keep_db"]:
                creation.destroy_test_db(original_name, verbosity=0)
        now = f"{timezone.now():%Y-%m-%d %H:%M UTC}"
        out = Path(options["out"])
        fresh: dict[str, tuple[str, str]] = {}
        for section in report.sections:
            label = section_labels[id(section)]
            when, body = fresh.get(label, (now, ""))
            fresh[label] = (when, body + section.markdown() + "\n")
        kept = {}
        if options["app"] and out.exists():  # a partial run keeps the other benchmarks' sections
            kept = {
                label: block
                for label, block in blocks(out.read_text(encoding="utf-8")).items()
                if label not in fresh
            }
        merged = {**kept, **fresh}
        header = [
            "# Guildhall benchmarks",
            "",
            f"Run {now} on {platform.node() or 'this machine'}: "
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} database, {time.perf_counter() - started:.0f} s in all"
            + (f" for {', '.join(fresh)}" if kept else "")
            + ". Timings are in-process (Django test client, no network) unless a section says "
            "otherwise, so they show what the application costs per request; compare every page "
            "with the /healthz floor.",
        ]
        if kept:
            header.append(
                "Sections kept from earlier runs: "
                + "; ".join(f"{label} ({when})" for label, (when, _) in kept.items())
                + "."
            )
        body = "".join(
            f"<!-- bench:{label} {when} -->\n{text.rstrip()}\n\n"
            for label, (when, text) in merged.items()
        )
        out.write_text("\n".join(header) + "\n\n" + body.rstrip() + "\n", encoding="utf-8")
        for name, text in report.attachments.items():
            (out.parent / name).write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']}"))
