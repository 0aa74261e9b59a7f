"""Celery tasks of the notifications app: thin, take ids, safe to run twice."""

from celery import shared_task

from notifications import services


@shared_task(
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    max_retries=8,
)
def send_notification_email(notification_id: int) -> bool:
    """Email one notification; a redelivered or repeated task never sends it twice."""
    return services.send_notification_email(notification_id=notification_id)
