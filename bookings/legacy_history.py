"""The English notes booking history rows stored before they stored codes, mapped back to a
BookingEvent code and params (migration 0002 runs this over the old rows; tests call it
directly).

Pure functions: no models, so the migration can import them. A note that is no known sentence
is what a person typed (what the expert did, what should change) or unknown: it stays the row's
note, under the code its new status implies.
"""

from __future__ import annotations

import re
from typing import Any

from marketplace.history import MONEY, parse_stored_money

Mapped = tuple[str, dict[str, Any], str]

BY_STATUS = {
    "done": "marked_done",
    "changes_requested": "changes_requested",
    "completed": "completed",
}


def legacy_booking_event(to_status: str, note: str) -> Mapped:
    """(code, params, note) for a booking history row whose note was written in English."""
    note = note or ""
    stripped = note.strip()
    if stripped == "Offer accepted":
        return "offer_accepted", {}, ""
    match = re.fullmatch(rf"Platform fee of ({MONEY}) paid", stripped)
    parsed = parse_stored_money(match.group(1)) if match else None
    if parsed is not None:
        return "fee_paid", {"amount": parsed[0], "currency": parsed[1]}, ""
    if to_status in BY_STATUS:
        return BY_STATUS[to_status], {}, note
    return "other", {}, note


def english_note(code: str, params: dict[str, Any], note: str) -> str:
    """Backwards: the English note of a code and its params, or the typed note."""
    if code == "offer_accepted":
        return "Offer accepted"
    if code == "fee_paid":
        from marketplace.money import format_money

        amount = format_money(int(params.get("amount", 0)), params.get("currency"))
        return f"Platform fee of {amount} paid"
    return note
