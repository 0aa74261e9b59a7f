"""The English notes bid history rows stored before they stored codes, mapped back to a
BidEvent code (migration 0003 runs this over the old rows; tests call it directly).

Pure functions: no models, so the migration can import them. A note that is no known sentence
is what a person typed (why the expert declined) or unknown: it stays the row's note.
"""

from __future__ import annotations

from typing import Any

Mapped = tuple[str, dict[str, Any], str]

KNOWN = {
    "Bid placed": "placed",
    "Withdrawn by the expert": "withdrawn",
    "Awarded by the client": "awarded",
    "Award withdrawn by the client": "award_withdrawn",
    "Award confirmed by the expert": "confirmed",
    "Project awarded to another bid": "lost",
    "Invitation accepted: bid made on the expert's behalf at the platform's price": (
        "invitation_accepted"
    ),
    "Offer accepted by the client": "offer_accepted",
    "Booking made": "booking_made",
    "Another offer accepted": "other_offer_accepted",
}


def legacy_bid_event(to_status: str, note: str) -> Mapped:
    """(code, params, note) for a bid history row whose note was written in English."""
    note = note or ""
    if note.strip() in KNOWN:
        return KNOWN[note.strip()], {}, ""
    if to_status == "declined":  # the note is the reason the expert typed
        return "declined", {}, note
    return "other", {}, note


def english_note(code: str, note: str) -> str:
    """Backwards: the English note of a code, or the typed note."""
    for text, known in KNOWN.items():
        if known == code:
            return text
    return note
