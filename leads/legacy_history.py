"""The English details lead history rows stored before they stored params, mapped back to
params (migration 0002 runs this over the old rows; tests call it directly).

Pure functions: no models, so the migration can import them. A detail that is no known sentence
is what a person typed (a refusal reason) or unknown: it stays the row's detail.
"""

from __future__ import annotations

import re
from typing import Any

from marketplace.history import MONEY, parse_stored_money

# CreditRequest.Reason labels as they were written in English.
CREDIT_REASONS = {
    "The client had already chosen a provider": "client_chose",
    "The description was wrong": "wrong_description",
    "The client could not be reached": "unreachable",
    "Another reason": "other",
}
PRICED = {"bought", "bought_half_price", "credit_accepted"}


def legacy_lead_event(action: str, detail: str) -> tuple[dict[str, Any], str]:
    """(params, detail) for a lead history row whose detail was written in English."""
    detail = detail or ""
    stripped = detail.strip()
    if action == "published":
        match = re.fullmatch(r"sent to (\d+) provider\(s\)", stripped)
        if match:
            return {"providers": int(match.group(1))}, ""
    if action in PRICED:
        parsed = parse_stored_money(stripped)
        if parsed is not None:
            return {"amount": parsed[0], "currency": parsed[1]}, ""
    if action == "credit_requested" and stripped in CREDIT_REASONS:
        return {"reason": CREDIT_REASONS[stripped]}, ""
    if action == "reservation_lapsed":
        params = legacy_lapse_reason(stripped)
        if params:
            return params, ""
    return {}, detail


# Why a half-price reservation lapsed, as the job wrote it: in English, or in German when the
# job ran in German.
_LAPSED_COMPLETE = {
    "The lead was complete in time.",
    "Der Lead wurde rechtzeitig vollständig vergeben.",
}
_LAPSED_BALANCE = (
    re.compile(rf"Your balance did not cover ({MONEY})\."),
    re.compile(rf"Ihr Guthaben hat ({MONEY}) nicht gedeckt\."),
)


def legacy_lapse_reason(text: str) -> dict[str, Any]:
    """The params of a stored lapse sentence ({"why": "complete"} or a balance too low for an
    amount); {} when the text is no sentence the job wrote."""
    text = (text or "").strip()
    if text in _LAPSED_COMPLETE:
        return {"why": "complete"}
    for pattern in _LAPSED_BALANCE:
        match = pattern.fullmatch(text)
        parsed = parse_stored_money(match.group(1)) if match else None
        if parsed is not None:
            return {"why": "balance", "amount": parsed[0], "currency": parsed[1]}
    return {}
