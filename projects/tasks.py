"""Beat jobs for projects: thin wrappers around services, idempotent."""

from celery import shared_task

from projects import services


@shared_task(acks_late=True)
def end_featured() -> int:
    return services.end_featured()


@shared_task(acks_late=True)
def refresh_expert_index() -> int:
    return services.refresh_expert_index()


@shared_task(acks_late=True)
def send_digests(frequency: str) -> int:
    return services.send_digests(frequency=frequency)
