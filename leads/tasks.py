"""Celery tasks of referral leads: thin, take ids, safe to run twice."""

from celery import shared_task

from leads import services


@shared_task(acks_late=True)
def send_offer_notifications(mandate_id: int) -> int:
    """Tell the providers a published mandate was sent to (each once)."""
    return services.send_offer_notifications(mandate_id=mandate_id)


@shared_task(acks_late=True)
def award_half_price_reservations() -> int:
    """The beat job: award or lapse half-price reservations that are due."""
    return services.award_half_price_reservations()
