"""`manage.py seed_demo`: demo people and data for a first run (idempotent; run it twice freely).

Other apps add their own demo data through a hook: a module ``<app>/demo.py`` with

    def seed(*, stdout) -> list[tuple[str, str]] | None: ...

It is called once per run, after the accounts data, in INSTALLED_APPS order; it must be
idempotent, and may return (email, what-to-try) rows that join the printed login table.
"""

from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD

DUMMY_MAILER = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = "Create demo accounts and data (demo only: every password is the same)."

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo notifications are stored for the in-app inbox, but no email goes out for them:
        # the people are invented, and the console would drown the login table.
        with override_settings(MAILERS={"default": {"BACKEND": DUMMY_MAILER}}):
            logins = self._seed()
        self._print_logins(logins)

    def _seed(self) -> list[tuple[str, str]]:
        logins: list[tuple[str, str]] = []
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            seed = getattr(import_module(module_name), "seed", None)
            if seed is None:
                continue
            with transaction.atomic():
                rows = seed(stdout=self.stdout)
            logins.extend(rows or [])
            self.stdout.write(f"Seeded {app_config.label}.")
        from reviews.reputation import recompute_all  # demo rows may bypass the services

        recompute_all()
        return logins

    def _print_logins(self, logins: list[tuple[str, str]]) -> None:
        width = max((len(email) for email, _ in logins), default=10)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins (demo only, never use in production)"))
        self.stdout.write(f"Password for every account: {DEMO_PASSWORD}")
        self.stdout.write("")
        self.stdout.write(f"{'Email':<{width}}  Who")
        self.stdout.write(f"{'-' * width}  {'-' * 40}")
        for email, note in logins:
            self.stdout.write(f"{email:<{width}}  {note}")
        self.stdout.write("")
