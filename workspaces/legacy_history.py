"""The English sentences the workspace timeline stored before it stored codes, mapped back to an
Action code and its params (migration 0002 runs this over the old rows; tests call it directly).

Pure functions: no models, so the migration can import them. A note that does not have the shape
its action used to write is kept as the row's note (shown as stored): nothing is lost.
"""

from __future__ import annotations

import re
from typing import Any

from marketplace.history import MONEY, parse_stored_money

Mapped = tuple[str, dict[str, Any], str]

# Old action text -> code, for the actions whose note was empty or typed by a person.
PLAIN = {
    "Workspace status": "workspace_status",
    "Start requested": "start_requested",
    "Late payment refunded": "late_payment_refunded",
    "QC asked for changes": "qc_changes_requested",
    "Revision requested": "revision_requested",
    "Revision request withdrawn": "revision_withdrawn",
    "Cancelled (contract ended)": "cancelled_contract_ended",
    "Contract ended": "contract_ended",
    "Responded to the dispute": "dispute_response",
    "Invitation accepted": "invitation_accepted",
}
AMOUNT = {
    "Card payment started": "card_payment_started",
    "Revision fee paid": "revision_fee_paid",
    "Refunded (contract ended)": "refunded_contract_ended",
}
TERMINATION_REASON = "The client ended the contract after this milestone was delivered."


def _money(text: str, key: str = "amount") -> dict[str, Any] | None:
    parsed = parse_stored_money(text)
    if parsed is None:
        return None
    return {key: parsed[0], "currency": parsed[1]}


def _started(note: str) -> dict[str, Any] | None:
    if note == "Paid by a reward":
        return {"source": "reward"}
    match = re.fullmatch(rf"({MONEY}) paid (by card|from the balance)", note)
    money = _money(match.group(1)) if match else None
    if match is None or money is None:
        return None
    return {**money, "source": "card" if match.group(2) == "by card" else "balance"}


def _completed(note: str) -> dict[str, Any] | None:
    if note == "Approved; the reward is paid by the platform":
        return {"reward": True}
    match = re.fullmatch(rf"({MONEY}) released to the expert after a ({MONEY}) fee", note)
    if match is None:
        return None
    net, fee = _money(match.group(1), "net"), _money(match.group(2), "fee")
    if net is None or fee is None:
        return None
    return {**net, "fee": fee["fee"]}


def _decided(note: str) -> tuple[dict[str, Any], str] | None:
    """(params, the staff's decision note) of "Split: …[. note]" and the like."""
    for outcome, sentence in (
        ("release", "Released to the expert"),
        ("refund", "Refunded to the client"),
    ):
        if note == sentence:
            return {"outcome": outcome}, ""
        if note.startswith(f"{sentence}. "):
            return {"outcome": outcome}, note[len(sentence) + 2 :].strip()
    match = re.match(
        rf"Split: ({MONEY}) to the expert \(({MONEY}) after the fee\), ({MONEY}) back to the "
        r"client(?:\. (.*))?$",
        note,
        re.DOTALL,
    )
    if match is None:
        return None
    payee, net, refund = (parse_stored_money(match.group(i)) for i in (1, 2, 3))
    if payee is None or net is None or refund is None:
        return None
    params = {
        "outcome": "split",
        "currency": payee[1],
        "payee_amount": payee[0],
        "payee_net": net[0],
        "payer_refund": refund[0],
    }
    return params, (match.group(4) or "").strip()


def legacy_workspace_event(action: str, note: str) -> Mapped:
    """(code, params, note) for a timeline row stored as English text."""
    action, note = (action or "").strip(), note or ""
    stripped = note.strip()
    if action in PLAIN:
        return PLAIN[action], {}, note
    if action in AMOUNT:
        money = _money(stripped)
        return (AMOUNT[action], money, "") if money else (AMOUNT[action], {}, note)
    if action == "Started":
        params = _started(stripped)
        return ("started", params, "") if params else ("started", {}, note)
    if action in {"Delivered", "Delivered to QC"}:
        code = "delivered" if action == "Delivered" else "delivered_to_qc"
        match = re.fullmatch(r"Version (\d+), (\d+) (?:file\(s\)|files?)", stripped)
        if match:
            return code, {"version": int(match.group(1)), "files": int(match.group(2))}, ""
        return code, {}, note
    if action == "Reviewed by the second expert":
        match = re.fullmatch(r"Version (\d+): approved, waiting for the hub manager", stripped)
        if match:
            return "reviewed_by_second_expert", {"version": int(match.group(1))}, ""
        return "reviewed_by_second_expert", {}, note
    if action == "Approved by QC":
        match = re.fullmatch(r"Version (\d+)", stripped)
        if match:
            return "approved_by_qc", {"version": int(match.group(1))}, ""
        return "approved_by_qc", {}, note
    if action in {"Marked as completed", "Approved automatically"}:
        code = "marked_completed" if action == "Marked as completed" else "approved_automatically"
        params = _completed(stripped)
        return (code, params, "") if params else (code, {}, note)
    if action == "Revision requested (fee due)":
        match = re.fullmatch(rf"Fee ({MONEY})", stripped)
        money = _money(match.group(1), "fee") if match else None
        return ("revision_fee_due", money, "") if money else ("revision_fee_due", {}, note)
    if action == "File shared":
        match = re.fullmatch(r"(.+) \(v(\d+)\)", stripped, re.DOTALL)
        if match:
            return "file_shared", {"name": match.group(1), "version": int(match.group(2))}, ""
        return "file_shared", {}, note
    if action == "QC reviewer assigned":
        if stripped in {"", "Staff"}:
            return "qc_reviewer_assigned", {}, ""
        return "qc_reviewer_assigned", {"reviewer": stripped}, ""
    if action == "Dispute opened":
        if stripped.startswith(TERMINATION_REASON):
            return (
                "dispute_opened",
                {"contract_ended": True},
                stripped[len(TERMINATION_REASON) :].strip(),
            )
        return "dispute_opened", {}, note
    if action == "Dispute decided":
        decided = _decided(stripped)
        return ("dispute_decided", *decided) if decided else ("dispute_decided", {}, note)
    return "other", {"text": action}, note


def english_action(code: str, params: dict[str, Any]) -> str:
    """Backwards: the English action text of a code (the note stays as it is)."""
    if code == "other":
        return str(params.get("text") or "")
    for table in (PLAIN, AMOUNT):
        for text, known in table.items():
            if known == code:
                return text
    return {
        "started": "Started",
        "delivered": "Delivered",
        "delivered_to_qc": "Delivered to QC",
        "reviewed_by_second_expert": "Reviewed by the second expert",
        "approved_by_qc": "Approved by QC",
        "marked_completed": "Marked as completed",
        "approved_automatically": "Approved automatically",
        "revision_fee_due": "Revision requested (fee due)",
        "file_shared": "File shared",
        "qc_reviewer_assigned": "QC reviewer assigned",
        "dispute_opened": "Dispute opened",
        "dispute_decided": "Dispute decided",
    }.get(code, code)
