"""Recompute reputation aggregates from reviews, workspaces, projects and payments."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reviews.reputation import recompute_all


class Command(BaseCommand):
    help = "Recompute every user's reputation aggregates (or only the given user ids)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user_ids", nargs="*", type=int, help="Only these users.")

    def handle(self, *args: Any, **options: Any) -> None:
        count = recompute_all(user_ids=options["user_ids"] or None)
        self.stdout.write(self.style.SUCCESS(f"Recomputed the reputation of {count} users."))
