"""The English notes project history rows stored before they stored codes, mapped back to a
ProjectStatusChange code and params (migration 0010 runs this over the old rows; tests call it
directly).

Pure functions: no models, so the migration can import them. A note that is no known sentence
is what a person typed (a rejection reason, a question, a cancellation reason) or unknown: it
stays the row's note, under the code its new status implies.
"""

from __future__ import annotations

import re
from typing import Any

Mapped = tuple[str, dict[str, Any], str]

KNOWN = {
    "Created": "created",
    "Submitted for approval": "submitted",
    "Published": "published",
    "Approved": "approved",
    "Resubmitted after clarification": "resubmitted",
    "Closed by the client": "closed",
    "Cancelled": "cancelled",
    "Awarded": "awarded",
    "Invitation accepted": "invitation_accepted",
    "Award ended": "award_ended",
    "Award withdrawn": "award_withdrawn",
    "Award declined by the expert": "award_declined",
    "Contract confirmed": "contract_confirmed",
    "Work starts at once": "work_starts",
    "Booking made": "booking_made",
    "Contract completed": "contract_completed",
    "Every milestone is completed": "milestones_completed",
    "Booking completed": "booking_completed",
    "Contract terminated": "contract_terminated",
}
# The kinds' English labels when "<kind> set up" was written (projects.models.Project.Kind).
KINDS = {
    "Open bidding": "open",
    "Speedy": "speedy",
    "Contest": "contest",
    "Booking": "invited_booking",
}
# A typed note under these statuses says why: the code follows the status.
TYPED = {
    "open": "approved",
    "rejected": "rejected",
    "clarification": "clarification",
    "cancelled": "cancelled",
}


def legacy_status_change(to_status: str, note: str) -> Mapped:
    """(code, params, note) for a project history row whose note was written in English."""
    note = note or ""
    stripped = note.strip()
    if stripped in KNOWN:
        return KNOWN[stripped], {}, ""
    match = re.fullmatch(r"Awarded to bid (\d+)", stripped)
    if match:
        return "awarded_bid", {"bid": int(match.group(1))}, ""
    match = re.fullmatch(r"Offer (\d+) accepted", stripped)
    if match:
        return "offer_accepted", {"bid": int(match.group(1))}, ""
    match = re.fullmatch(r"(.+) set up", stripped)
    if match and match.group(1) in KINDS:
        return "set_up", {"kind": KINDS[match.group(1)]}, ""
    if to_status in TYPED and stripped:
        return TYPED[to_status], {}, note
    return "other", {}, note


def english_note(code: str, params: dict[str, Any], note: str) -> str:
    """Backwards: the English note of a code and its params, or the typed note."""
    if note:
        return note
    if code == "awarded_bid":
        return f"Awarded to bid {params.get('bid', '')}"
    if code == "offer_accepted":
        return f"Offer {params.get('bid', '')} accepted"
    if code == "set_up":
        kinds = {value: label for label, value in KINDS.items()}
        return f"{kinds.get(str(params.get('kind')), '')} set up".strip()
    for text, known in KNOWN.items():
        if known == code:
            return text
    return note
