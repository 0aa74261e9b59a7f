"""`manage.py bench --out BENCHMARKS.md`: run every app's benchmarks and write a Markdown report.

Each app may provide `<app>/bench.py` with `run(report)`; this command finds them in
INSTALLED_APPS order (the site-wide floor from marketplace/bench.py first). Benchmarks run in a
fresh throw-away database (created next to DATABASE_URL's, destroyed afterwards), so they never
touch real data.
"""

from __future__ import annotations

import importlib
import importlib.util
import platform
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
        try:
            for label, module in modules:
                self.stdout.write(f"Running {label} benchmarks…")
                module.run(report)
        finally:
            if not options["keep_db"]:
                creation.destroy_test_db(original_name, verbosity=0)
        header = [
            "# Guildhall benchmarks",
            "",
            f"Run {timezone.now():%Y-%m-%d %H:%M UTC} on {platform.node() or 'this machine'}: "
            f"Python {platform.python_version()}, Django {django.get_version()}, "
            f"{connection.vendor} database, {time.perf_counter() - started:.0f} s in all. "
            "Timings are in-process (Django test client, no network), so they show what the "
            "application costs per request; compare every page with the /healthz floor.",
            "",
        ]
        body = "\n".join(section.markdown() for section in report.sections)
        Path(options["out"]).write_text("\n".join(header) + body, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {options['out']}"))
