"""Celery tasks: thin wrappers around services, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from workspaces import services


@shared_task(acks_late=True)
def auto_approve_due() -> dict[str, int]:
    return services.auto_approve_due()
