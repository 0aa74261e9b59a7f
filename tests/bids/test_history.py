"""Bid history stores what happened (a code) and writes the sentence when it is shown, in the
reader's language; the reason an expert typed is shown as typed."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from bids import services
from bids.legacy_history import english_note, legacy_bid_event
from bids.models import Bid, BidEvent
from tests.bids.factories import award_and_confirm, place

pytestmark = pytest.mark.django_db
C = BidEvent.Code


def codes(bid):
    return [(e.code, e.params, e.note) for e in bid.events.order_by("created_at", "pk")]


def test_each_move_of_a_bid_writes_its_code_and_no_sentence(project, expert, other_expert):
    bid = place(project, expert)
    lost = place(project, other_expert)
    services.award_bid(bid=bid, by=project.owner)
    services.withdraw_award(bid=bid, by=project.owner)
    award_and_confirm(bid)
    assert codes(bid) == [
        (C.PLACED, {}, ""),
        (C.AWARDED, {}, ""),
        (C.AWARD_WITHDRAWN, {}, ""),
        (C.AWARDED, {}, ""),
        (C.CONFIRMED, {}, ""),
    ]
    assert codes(lost) == [(C.PLACED, {}, ""), (C.LOST, {}, "")]


def test_withdrawn_and_declined_bids_keep_the_typed_reason_only(project, expert, other_expert):
    withdrawn = place(project, other_expert)
    services.withdraw_bid(bid=withdrawn, by=other_expert)
    assert codes(withdrawn)[-1] == (C.WITHDRAWN, {}, "")
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    services.reject_award(bid=bid, by=expert, reason="Fully booked until May.")
    assert codes(bid)[-1] == (C.DECLINED, {}, "Fully booked until May.")


def test_the_bid_history_reads_in_the_viewers_language(client, project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    services.reject_award(bid=bid, by=expert, reason="Fully booked until May.")
    client.force_login(expert)
    url = reverse("bids:detail", args=[bid.pk])
    english = html.unescape(client.get(url).content.decode())
    assert "Awarded by the client" in english
    assert "Award declined by the expert" in english
    assert "Fully booked until May." in english
    expert.language = "de"
    expert.save(update_fields=["language"])
    german = html.unescape(client.get(url).content.decode())
    assert "Zuschlag vom Auftraggeber erteilt" in german
    assert "Zuschlag vom Experten abgelehnt" in german
    assert "Angebot abgegeben" in german
    assert "Fully booked until May." in german  # the expert's words, as typed
    assert "Awarded by the client" not in german
    assert "Bid placed" not in german


def test_old_rows_without_a_code_show_their_note_and_no_sentence():
    event = BidEvent(code=C.OTHER, note="Moved by support")
    with translation.override("de"):
        assert event.text == ""
        assert event.summary == "Moved by support"


@pytest.mark.parametrize(
    ("to_status", "note", "expected"),
    [
        ("active", "Bid placed", ("placed", {}, "")),
        ("awarded", "Awarded by the client", ("awarded", {}, "")),
        ("active", "Award withdrawn by the client", ("award_withdrawn", {}, "")),
        ("accepted", "Award confirmed by the expert", ("confirmed", {}, "")),
        ("lost", "Project awarded to another bid", ("lost", {}, "")),
        ("withdrawn", "Withdrawn by the expert", ("withdrawn", {}, "")),
        (
            "accepted",
            "Invitation accepted: bid made on the expert's behalf at the platform's price",
            ("invitation_accepted", {}, ""),
        ),
        ("awarded", "Offer accepted by the client", ("offer_accepted", {}, "")),
        ("accepted", "Booking made", ("booking_made", {}, "")),
        ("lost", "Another offer accepted", ("other_offer_accepted", {}, "")),
        # The note of a declined bid is the reason the expert typed.
        ("declined", "Too busy this month", ("declined", {}, "Too busy this month")),
        # Unknown text stays as stored.
        ("active", "Reopened by support", ("other", {}, "Reopened by support")),
        ("active", "", ("other", {}, "")),
    ],
)
def test_legacy_notes_map_to_codes(to_status, note, expected):
    assert legacy_bid_event(to_status, note) == expected


def test_backwards_the_english_note_comes_back():
    assert english_note("awarded", "") == "Awarded by the client"
    assert english_note("declined", "Too busy") == "Too busy"
    assert english_note("other", "Reopened by support") == "Reopened by support"


def test_statuses_still_follow_the_bid(project, expert):
    bid = place(project, expert)
    services.withdraw_bid(bid=bid, by=expert)
    event = bid.events.order_by("pk").last()
    assert (event.from_status, event.to_status) == (Bid.Status.ACTIVE, Bid.Status.WITHDRAWN)
