"""Thin, idempotent beat jobs (periods are published and reminders claimed once)."""

from __future__ import annotations

from celery import shared_task

from reviews import services


@shared_task(acks_late=True)
def publish_due_reviews() -> int:
    services.open_missing_periods()
    return services.publish_due()


@shared_task(acks_late=True)
def send_review_reminders() -> int:
    return services.send_reminders()


@shared_task(acks_late=True)
def recompute_reputation() -> int:
    from reviews.reputation import recompute_all

    return recompute_all()
