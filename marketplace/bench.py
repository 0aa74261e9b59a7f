"""Site-wide benchmark: /healthz, the floor every other page is measured against."""

from __future__ import annotations

from django.test import Client

from marketplace.bench_tools import PAGE_HEADERS, Report, time_page


def run(report: Report) -> None:
    section = report.section(
        "Floor: health check",
        intro="The cheapest request the stack serves (one SELECT 1), through the same client.",
        headers=PAGE_HEADERS,
    )
    section.row(*time_page(Client(), "/healthz", requests=200).cells("/healthz"))
