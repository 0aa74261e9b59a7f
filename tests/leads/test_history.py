"""Lead history keeps what an event carries in params (a price, a count, a reason's code) and
writes it in the reader's language; what a person typed stays as typed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from leads import services
from leads.legacy_history import legacy_lead_event
from leads.models import CreditRequest, LeadEvent, LeadOffer, LeadPurchase, Mandate
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def params_of(mandate):
    return {e.action: (e.params, e.detail) for e in LeadEvent.objects.filter(mandate=mandate)}


def test_events_keep_counts_prices_and_reason_codes(make_provider, publish):
    buyer, refuser = make_provider(funds=10_000), make_provider()
    mandate = publish(price=5_000)
    services.accept_offer(mandate_id=mandate.pk, by=buyer)
    services.refuse_offer(mandate_id=mandate.pk, by=refuser, reason="Too far away.")
    purchase = LeadPurchase.objects.get(buyer=buyer)
    services.request_credit(
        purchase=purchase,
        by=buyer,
        reason=CreditRequest.Reason.UNREACHABLE,
        explanation="Nobody answered.",
    )
    events = params_of(mandate)
    assert events["published"] == ({"providers": 2}, "")
    assert events["bought"] == ({"amount": 5_000, "currency": "EUR"}, "")
    assert events["refused"] == ({}, "Too far away.")
    assert events["credit_requested"] == ({"reason": "unreachable"}, "")


def test_the_details_read_in_the_active_language():
    bought = LeadEvent(action="bought", params={"amount": 123_450, "currency": "EUR"})
    published = LeadEvent(action="published", params={"providers": 1})
    credit = LeadEvent(action="credit_requested", params={"reason": "unreachable"})
    lapsed = LeadEvent(
        action="reservation_lapsed", params={"why": "balance", "amount": 2_500, "currency": "EUR"}
    )
    refused = LeadEvent(action="refused", detail="Too far away.")
    with translation.override("en"):
        assert bought.shown_detail == "€1,234.50"
        assert published.shown_detail == "sent to 1 provider"
        assert lapsed.shown_detail == "Your balance did not cover €25.00."
    with translation.override("de"):
        assert bought.shown_detail == "€1.234,50"
        assert published.shown_detail == "an 1 Anbieter gesendet"
        assert credit.shown_detail == "Der Auftraggeber war nicht erreichbar"
        assert lapsed.shown_detail == "Ihr Guthaben hat €25,00 nicht gedeckt."
        assert refused.shown_detail == "Too far away."


def test_a_lapsed_reservation_keeps_why_and_tells_in_the_providers_language(make_provider, publish):
    provider = make_provider(funds=1_000)
    provider.language = "de"
    provider.save(update_fields=["language"])
    mandate = publish(price=5_000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    later = mandate.published_at + timedelta(days=4)
    services.award_half_price_reservations(now=later)
    assert params_of(mandate)["reservation_lapsed"] == (
        {"why": "balance", "amount": 2_500, "currency": "EUR"},
        "",
    )
    note = Notification.objects.get(user=provider, kind="leads.reservation_lapsed")
    assert "Ihr Guthaben hat €25,00 nicht gedeckt." in note.body


def test_the_staff_page_shows_the_history_in_german(client, staff, make_provider, publish):
    buyer = make_provider(funds=10_000)
    mandate = publish(price=5_000)
    services.accept_offer(mandate_id=mandate.pk, by=buyer)
    staff.language = "de"
    staff.save(update_fields=["language"])
    client.force_login(staff)
    page = client.get(reverse("leads:staff_detail", args=[mandate.pk])).content.decode()
    assert "an 1 Anbieter gesendet" in page
    assert "€50,00" in page
    assert "provider(s)" not in page


@pytest.mark.parametrize(
    ("action", "detail", "expected"),
    [
        ("published", "sent to 3 provider(s)", ({"providers": 3}, "")),
        ("bought", "€50.00", ({"amount": 5_000, "currency": "EUR"}, "")),
        ("bought_half_price", "€25,01", ({"amount": 2_501, "currency": "EUR"}, "")),
        ("credit_accepted", "€1,234.50", ({"amount": 123_450, "currency": "EUR"}, "")),
        (
            "credit_requested",
            "The client could not be reached",
            ({"reason": "unreachable"}, ""),
        ),
        ("reservation_lapsed", "The lead was complete in time.", ({"why": "complete"}, "")),
        (
            "reservation_lapsed",
            "Your balance did not cover €25.00.",
            ({"why": "balance", "amount": 2_500, "currency": "EUR"}, ""),
        ),
        ("refused", "Too far away.", ({}, "Too far away.")),
        # Written in German before (the actor's language): kept as stored.
        ("credit_requested", "Ein anderer Grund", ({}, "Ein anderer Grund")),
        ("published", "sent somewhere", ({}, "sent somewhere")),
    ],
)
def test_legacy_details_map_to_params(action, detail, expected):
    assert legacy_lead_event(action, detail) == expected


# --- why a reservation lapsed, on the offer ---------------------------------------------------


def _lapsed(make_provider, publish):
    provider = make_provider(funds=1_000)
    mandate = publish(price=5_000)
    services.reserve_offer(mandate_id=mandate.pk, by=provider)
    services.award_half_price_reservations(now=mandate.published_at + timedelta(days=4))
    return provider, mandate, LeadOffer.objects.get(mandate=mandate, provider=provider)


def test_a_lapsed_offer_keeps_the_reasons_code_and_amount(make_provider, publish):
    _provider, _mandate, offer = _lapsed(make_provider, publish)
    assert offer.lapse_params == {"why": "balance", "amount": 2_500, "currency": "EUR"}
    assert offer.lapse_reason == ""


def test_the_providers_page_says_why_the_reservation_lapsed_in_their_language(
    client, make_provider, publish
):
    provider, mandate, _offer = _lapsed(make_provider, publish)
    client.force_login(provider)
    url = reverse("leads:detail", args=[mandate.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your balance did not cover €25.00." in english
    provider.language = "de"
    provider.save(update_fields=["language"])
    german = client.get(url).content.decode()
    assert "Ihr Guthaben hat €25,00 nicht gedeckt." in german
    assert "Your balance" not in german


def test_a_new_reservation_forgets_why_the_last_one_lapsed(make_provider, publish):
    provider, mandate, _offer = _lapsed(make_provider, publish)
    LeadOffer.objects.filter(provider=provider).update(status=LeadOffer.Status.REFUSED)
    Mandate.objects.filter(pk=mandate.pk).update(
        half_price_due_at=mandate.published_at + timedelta(days=8)
    )
    services.reserve_offer(
        mandate_id=mandate.pk, by=provider, now=mandate.published_at + timedelta(days=5)
    )
    offer = LeadOffer.objects.get(provider=provider)
    assert (offer.lapse_params, offer.lapse_reason, offer.shown_lapse_reason) == ({}, "", "")


@pytest.mark.parametrize(
    ("stored", "params", "german"),
    [
        ("The lead was complete in time.", {"why": "complete"}, "Der Lead wurde rechtzeitig"),
        (
            "Your balance did not cover €25.00.",
            {"why": "balance", "amount": 2_500, "currency": "EUR"},
            "Ihr Guthaben hat €25,00 nicht gedeckt.",
        ),
        # The job ran in German once: read back too.
        (
            "Ihr Guthaben hat €1.234,50 nicht gedeckt.",
            {"why": "balance", "amount": 123_450, "currency": "EUR"},
            "Ihr Guthaben hat €1.234,50 nicht gedeckt.",
        ),
        (
            "Der Lead wurde rechtzeitig vollständig vergeben.",
            {"why": "complete"},
            "Der Lead wurde rechtzeitig",
        ),
        # No sentence the job wrote: kept as it is.
        ("Something else happened.", {}, "Something else happened."),
    ],
)
def test_old_lapse_sentences_are_migrated_to_params(make_provider, publish, stored, params, german):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("leads.migrations.0004_leadoffer_lapse_params")
    _provider, _mandate, offer = _lapsed(make_provider, publish)
    LeadOffer.objects.filter(pk=offer.pk).update(lapse_params={}, lapse_reason=stored)
    migration.forward(apps, None)
    offer.refresh_from_db()
    assert (offer.lapse_params, offer.lapse_reason) == (params, "" if params else stored)
    with translation.override("de"):
        assert offer.shown_lapse_reason.startswith(german)
    migration.backward(apps, None)
    offer.refresh_from_db()
    with translation.override("en"):
        assert offer.lapse_reason == (LeadEvent(params=params).shown_detail or stored)
