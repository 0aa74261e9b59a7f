"""`manage.py seed_bench`: 100,000 projects and 20,000 experts for the search benchmarks.

Bulk data for a throw-away database (manage.py bench uses it); never run it on real data.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from projects.benchdata import seed_experts, seed_projects
from projects.services import refresh_expert_index


class Command(BaseCommand):
    help = "Create bulk projects and experts for the search benchmarks (throw-away databases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=100_000)
        parser.add_argument("--experts", type=int, default=20_000)

    def handle(self, *args: Any, **options: Any) -> None:
        seed_projects(count=options["projects"])
        self.stdout.write(f"Created {options['projects']} projects.")
        seed_experts(count=options["experts"])
        refresh_expert_index()
        self.stdout.write(f"Created {options['experts']} experts.")
