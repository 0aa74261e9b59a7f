"""Booking history stores what happened (a code and its params): the fee paid is an amount in
minor units, written in the reader's language when shown; what people typed stays as typed."""

import html

import pytest
from django.utils import translation

from bookings import services
from bookings.legacy_history import english_note, legacy_booking_event
from bookings.models import BookingEvent
from tests.bookings.factories import paid_booking

pytestmark = pytest.mark.django_db
C = BookingEvent.Code


def test_each_booking_move_writes_its_code_and_the_fee_as_an_amount():
    booking = paid_booking(amount=123_450)
    services.mark_done(booking=booking, by=booking.expert, note="Tiles laid.")
    services.request_changes(booking=booking, by=booking.client, note="Grout is uneven.")
    services.mark_done(booking=booking, by=booking.expert)
    services.confirm_completion(booking=booking, by=booking.client)
    rows = [(e.code, e.params, e.note) for e in booking.events.order_by("created_at", "pk")]
    assert rows == [
        (C.OFFER_ACCEPTED, {}, ""),
        (C.FEE_PAID, {"amount": booking.fee, "currency": "EUR"}, ""),
        (C.MARKED_DONE, {}, "Tiles laid."),
        (C.CHANGES_REQUESTED, {}, "Grout is uneven."),
        (C.MARKED_DONE, {}, ""),
        (C.COMPLETED, {}, ""),
    ]


def test_the_fee_sentence_follows_the_language():
    event = BookingEvent(code=C.FEE_PAID, params={"amount": 123_450, "currency": "EUR"})
    with translation.override("en"):
        assert event.text == "Platform fee of €1,234.50 paid"
    with translation.override("de"):
        assert event.text == "Plattformgebühr von €1.234,50 bezahlt"
    assert BookingEvent(code=C.MARKED_DONE, note="Done.").text == ""  # the status says it


def test_the_booking_page_reads_in_the_viewers_language(client):
    booking = paid_booking(amount=123_450)
    services.mark_done(booking=booking, by=booking.expert, note="Tiles laid.")
    client_user = booking.client
    client_user.language = "de"
    client_user.save(update_fields=["language"])
    client.force_login(client_user)
    german = html.unescape(client.get(booking.get_absolute_url()).content.decode())
    assert "Angebot angenommen" in german
    assert "Plattformgebühr von €" in german
    assert "Tiles laid." in german  # the expert's words, as typed
    assert "Offer accepted" not in german
    assert "Platform fee of" not in german


@pytest.mark.parametrize(
    ("to_status", "note", "expected"),
    [
        ("awaiting_fee", "Offer accepted", ("offer_accepted", {}, "")),
        (
            "confirmed",
            "Platform fee of €1,234.50 paid",
            ("fee_paid", {"amount": 123_450, "currency": "EUR"}, ""),
        ),
        ("done", "Tiles laid.", ("marked_done", {}, "Tiles laid.")),
        ("done", "", ("marked_done", {}, "")),
        ("changes_requested", "Grout", ("changes_requested", {}, "Grout")),
        ("completed", "", ("completed", {}, "")),
        ("confirmed", "Platform fee of lots paid", ("other", {}, "Platform fee of lots paid")),
    ],
)
def test_legacy_notes_map_to_codes(to_status, note, expected):
    assert legacy_booking_event(to_status, note) == expected


def test_backwards_the_english_note_comes_back():
    code, params, note = legacy_booking_event("confirmed", "Platform fee of €1,234.50 paid")
    with translation.override("en"):
        assert english_note(code, params, note) == "Platform fee of €1,234.50 paid"
    assert english_note("marked_done", {}, "Tiles laid.") == "Tiles laid."
