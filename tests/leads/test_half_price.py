"""The periodic job: half-price reservations awarded after 4 days if the lead is not complete."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from leads import services, tasks
from leads.models import LeadOffer, LeadPurchase, Mandate
from notifications.models import Notification
from tests.leads.conftest import balance, money_snapshot

pytestmark = pytest.mark.django_db


def _after(mandate: Mandate, days: float) -> timezone.datetime:
    assert mandate.published_at is not None
    return mandate.published_at + timedelta(days=days)


def test_the_job_does_nothing_before_four_days(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=5000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    before = money_snapshot()
    assert services.award_half_price_reservations(now=_after(mandate, 3.9)) == 0
    assert money_snapshot() == before
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.RESERVED


def test_after_four_days_the_reservation_is_awarded_at_half_price(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=5001)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)

    assert services.award_half_price_reservations(now=_after(mandate, 4)) == 1

    purchase = LeadPurchase.objects.get(buyer=provider)
    assert (purchase.price, purchase.half_price) == (2501, True)
    assert balance(provider) == 10000 - 2501
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.BOUGHT
    note = Notification.objects.get(user=provider, kind="leads.half_price_awarded")
    assert "€25.01" in note.body


def test_the_job_is_idempotent(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=5000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    services.award_half_price_reservations(now=_after(mandate, 5))
    before = money_snapshot()
    assert services.award_half_price_reservations(now=_after(mandate, 6)) == 0
    assert services.award_half_price_for(mandate_id=mandate.pk, now=_after(mandate, 6)) == 0
    assert money_snapshot() == before
    assert balance(provider) == 7500


def test_the_celery_task_runs_the_job_with_the_current_time(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=5000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    with mock.patch("django.utils.timezone.now", return_value=_after(mandate, 4.5)):
        assert tasks.award_half_price_reservations.delay().get() == 1
    assert balance(provider) == 7500


def test_when_the_mandate_fills_meanwhile_reservations_lapse_without_charge(make_provider, publish):
    reserver = make_provider(funds=10000)
    buyer = make_provider(funds=10000)
    mandate = publish(price=5000, max_buyers=1)
    services.reserve_offer(mandate_id=mandate.pk, by=reserver)
    services.accept_offer(mandate_id=mandate.pk, by=buyer)

    assert services.award_half_price_reservations(now=_after(mandate, 4)) == 0

    offer = LeadOffer.objects.get(provider=reserver)
    assert offer.status == LeadOffer.Status.LAPSED
    assert balance(reserver) == 10000
    assert Notification.objects.filter(user=reserver, kind="leads.reservation_lapsed").exists()


def test_a_balance_too_low_at_award_time_lapses_the_reservation(make_provider, publish):
    provider = make_provider(funds=1000)
    mandate = publish(price=5000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    before = money_snapshot()

    assert services.award_half_price_reservations(now=_after(mandate, 4)) == 0

    assert money_snapshot() == before
    offer = LeadOffer.objects.get(provider=provider)
    assert offer.status == LeadOffer.Status.LAPSED
    assert offer.lapse_params["why"] == "balance"
    note = Notification.objects.get(user=provider, kind="leads.reservation_lapsed")
    assert "Nothing was taken" in note.body
    mandate.refresh_from_db()
    assert mandate.buyers_count == 0


def test_reservations_are_awarded_in_order_until_the_mandate_is_full(make_provider, publish):
    first, second, third = (make_provider(funds=10000) for _ in range(3))
    buyer = make_provider(funds=10000)
    mandate = publish(price=4000, max_buyers=3)
    for provider in (first, second, third):
        services.reserve_offer(mandate_id=mandate.pk, by=provider)
    services.accept_offer(mandate_id=mandate.pk, by=buyer)

    assert services.award_half_price_reservations(now=_after(mandate, 4)) == 2

    statuses = {p: LeadOffer.objects.get(provider=p).status for p in (first, second, third)}
    assert statuses == {first: "bought", second: "bought", third: "lapsed"}
    assert [balance(p) for p in (first, second, third)] == [8000, 8000, 10000]
    mandate.refresh_from_db()
    assert (mandate.buyers_count, mandate.status) == (3, Mandate.Status.COMPLETE)


def test_a_withdrawn_mandate_lapses_its_reservations(make_provider, publish, staff):
    provider = make_provider(funds=10000)
    mandate = publish()
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    services.withdraw_mandate(mandate=mandate, by=staff)
    assert services.award_half_price_reservations(now=_after(mandate, 4)) == 0
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.LAPSED
    assert balance(provider) == 10000


def test_no_email_of_the_whole_flow_contains_the_contact(
    make_provider, publish, staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    from leads.models import CreditRequest
    from tests.leads.factories import CONTACT_EMAIL, CONTACT_NAME, CONTACT_PHONE

    buyer, reserver, poor = (make_provider(funds=f) for f in (10000, 10000, 100))
    mandate = publish(price=5000)
    with django_capture_on_commit_callbacks(execute=True):
        purchase = services.accept_offer(mandate_id=mandate.pk, by=buyer)
        services.reserve_offer(mandate_id=mandate.pk, by=reserver)
        services.reserve_offer(mandate_id=mandate.pk, by=poor)
        services.award_half_price_reservations(now=_after(mandate, 4))
        credit_request = services.request_credit(
            purchase=purchase, by=buyer, reason="other", explanation="Wrong sector."
        )
        services.accept_credit_request(credit_request=credit_request, by=staff)
    assert CreditRequest.objects.get().status == "accepted"
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert {"leads.half_price_awarded", "leads.reservation_lapsed", "leads.credit_decided"} <= kinds
    assert len(mail.outbox) >= 6
    for message in mail.outbox:
        for secret in (CONTACT_EMAIL, CONTACT_PHONE, CONTACT_NAME):
            assert secret not in message.subject + message.body
