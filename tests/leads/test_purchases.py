"""Accepting, refusing and reserving a lead; the cap; clear refusals that move nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.models import LedgerTransaction
from leads import selectors, services
from leads.exceptions import (
    AlreadyBought,
    HalfPriceUnavailable,
    InsufficientBalance,
    InvalidTransition,
    MandateClosed,
    MandateFull,
    NotAllowed,
)
from leads.models import LeadEvent, LeadOffer, LeadPurchase, Mandate
from tests.leads.conftest import balance, money_snapshot
from tests.leads.factories import CONTACT_EMAIL

pytestmark = pytest.mark.django_db


def test_accepting_debits_the_price_and_reveals_the_contact(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=4250)
    assert selectors.get_lead_for(user=provider, mandate_id=mandate.pk).contact is None

    purchase = services.accept_offer(mandate_id=mandate.pk, by=provider)

    assert balance(provider) == 10000 - 4250
    assert purchase.price == 4250
    assert purchase.transaction.key == f"lead:{mandate.pk}:buyer:{provider.pk}"
    lead = selectors.get_lead_for(user=provider, mandate_id=mandate.pk)
    assert lead.contact is not None
    assert lead.contact.email == CONTACT_EMAIL
    assert lead.offer.status == LeadOffer.Status.BOUGHT
    mandate.refresh_from_db()
    assert mandate.buyers_count == 1
    assert LeadEvent.objects.filter(mandate=mandate, action="bought").count() == 1


def test_buying_twice_is_refused_and_moves_nothing(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish()
    services.accept_offer(mandate_id=mandate.pk, by=provider)
    before = money_snapshot()
    with pytest.raises(AlreadyBought):
        services.accept_offer(mandate_id=mandate.pk, by=provider)
    assert money_snapshot() == before
    assert LeadPurchase.objects.count() == 1


def test_buying_a_full_mandate_is_refused_and_moves_nothing(make_provider, publish):
    buyers = [make_provider(funds=10000) for _ in range(2)]
    late = make_provider(funds=10000)
    mandate = publish(max_buyers=2)
    for buyer in buyers:
        services.accept_offer(mandate_id=mandate.pk, by=buyer)
    mandate.refresh_from_db()
    assert mandate.status == Mandate.Status.COMPLETE
    before = money_snapshot()
    with pytest.raises(MandateFull):
        services.accept_offer(mandate_id=mandate.pk, by=late)
    assert money_snapshot() == before
    assert balance(late) == 10000
    assert LeadOffer.objects.get(provider=late).status == LeadOffer.Status.NEW


def test_the_database_refuses_a_buyer_past_the_cap(publish):
    from django.db import IntegrityError, transaction

    mandate = publish(max_buyers=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(pk=mandate.pk).update(buyers_count=2)


def test_buying_with_too_little_balance_is_refused_and_moves_nothing(make_provider, publish):
    provider = make_provider(funds=1000)
    mandate = publish(price=5000)
    before = money_snapshot()
    with pytest.raises(InsufficientBalance) as caught:
        services.accept_offer(mandate_id=mandate.pk, by=provider)
    assert (caught.value.needed, caught.value.available) == (5000, 1000)
    assert money_snapshot() == before
    assert not LeadPurchase.objects.exists()
    mandate.refresh_from_db()
    assert mandate.buyers_count == 0
    assert selectors.get_lead_for(user=provider, mandate_id=mandate.pk).contact is None


def test_a_lead_not_sent_to_you_cannot_be_bought(make_provider, publish):
    from tests.factories import SkillFactory

    stranger = make_provider(funds=10000, skills=[SkillFactory()])
    mandate = publish()
    with pytest.raises(NotAllowed):
        services.accept_offer(mandate_id=mandate.pk, by=stranger)
    assert balance(stranger) == 10000


def test_a_withdrawn_mandate_cannot_be_bought(make_provider, publish, staff):
    provider = make_provider(funds=10000)
    mandate = publish()
    services.withdraw_mandate(mandate=mandate, by=staff)
    with pytest.raises(MandateClosed):
        services.accept_offer(mandate_id=mandate.pk, by=provider)
    assert balance(provider) == 10000


def test_refusing_records_the_optional_reason(make_provider, publish):
    provider = make_provider()
    mandate = publish()
    offer = services.refuse_offer(mandate_id=mandate.pk, by=provider, reason="  Too far away ")
    assert (offer.status, offer.refusal_reason) == (LeadOffer.Status.REFUSED, "Too far away")
    with pytest.raises(InvalidTransition):
        services.refuse_offer(mandate_id=mandate.pk, by=provider)


def test_a_refused_lead_can_still_be_bought(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=3000)
    services.refuse_offer(mandate_id=mandate.pk, by=provider)
    services.accept_offer(mandate_id=mandate.pk, by=provider)
    assert balance(provider) == 7000


def test_a_bought_lead_cannot_be_refused(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish()
    services.accept_offer(mandate_id=mandate.pk, by=provider)
    with pytest.raises(AlreadyBought):
        services.refuse_offer(mandate_id=mandate.pk, by=provider)
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.BOUGHT


def test_reserving_at_half_price_takes_no_money(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish()
    before = money_snapshot()
    offer = services.reserve_offer(mandate_id=mandate.pk, by=provider)
    assert offer.status == LeadOffer.Status.RESERVED
    assert money_snapshot() == before
    with pytest.raises(InvalidTransition):
        services.reserve_offer(mandate_id=mandate.pk, by=provider)


def test_half_price_cannot_be_reserved_when_not_offered(make_provider, publish):
    provider = make_provider()
    mandate = publish(half_price_offered=False)
    with pytest.raises(HalfPriceUnavailable):
        services.reserve_offer(mandate_id=mandate.pk, by=provider)
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.NEW


def test_half_price_cannot_be_reserved_after_the_offer_ends(make_provider, publish):
    provider = make_provider()
    mandate = publish()
    later = timezone.now() + timedelta(days=4, minutes=1)
    with pytest.raises(HalfPriceUnavailable):
        services.reserve_offer(mandate_id=mandate.pk, by=provider, now=later)
    assert LeadOffer.objects.get(provider=provider).status == LeadOffer.Status.NEW


def test_a_reservation_can_be_upgraded_to_a_full_purchase(make_provider, publish):
    provider = make_provider(funds=10000)
    mandate = publish(price=6000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    purchase = services.accept_offer(mandate_id=mandate.pk, by=provider)
    assert (purchase.price, purchase.half_price) == (6000, False)
    assert LedgerTransaction.objects.filter(key__startswith="lead:").count() == 1
