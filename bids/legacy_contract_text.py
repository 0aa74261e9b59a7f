"""The English text contracts stored before they stored codes: the default milestone's wording
and the lines of a milestone-plan change, read back (migration 0005 runs this over the old rows;
tests call it directly).

Pure functions: no models, so the migration can import them. A line that is no known wording is
kept as text (code "text").
"""

from __future__ import annotations

import re
from typing import Any

from marketplace.history import MONEY, parse_stored_money

DEFAULT_TITLE = "Complete the project"
# award.py and direct.py wrote these for a bid without a plan.
DEFAULT_DESCRIPTIONS = {"The whole scope as agreed.", "The whole scope as described."}


def is_default_wording(title: str, description: str) -> bool:
    return title == DEFAULT_TITLE and description in DEFAULT_DESCRIPTIONS


def _title(text: str) -> str | None:
    """A title in a change line: None stands for the default milestone's title."""
    return None if text == DEFAULT_TITLE else text


def _money(text: str, key: str = "amount") -> dict[str, Any] | None:
    parsed = parse_stored_money(text)
    return None if parsed is None else {key: parsed[0], "currency": parsed[1]}


_REMOVED = re.compile(rf"Removed “(?P<title>.*)” \((?P<amount>{MONEY})\)", re.S)
_ADDED = re.compile(rf"Added “(?P<title>.*)” \((?P<amount>{MONEY})\)", re.S)
_RENAMED = re.compile(r"Renamed “(?P<old>.*)” to “(?P<new>.*)”", re.S)
_AMOUNT = re.compile(rf"“(?P<title>.*)”: (?P<old>{MONEY}) → (?P<new>{MONEY})", re.S)
_DUE = re.compile(r"“(?P<title>.*)”: due on day (?P<old>\d+) → (?P<new>\d+)", re.S)
_DESCRIPTION = re.compile(r"“(?P<title>.*)”: description changed", re.S)


def legacy_change_line(line: str) -> dict[str, Any]:
    """One line of a stored change summary as a code and params (ContractChange.lines)."""
    if line == "Milestones reordered":
        return {"code": "reordered"}
    for code, pattern in (("removed", _REMOVED), ("added", _ADDED)):
        match = pattern.fullmatch(line)
        money = _money(match.group("amount")) if match else None
        if match and money is not None:
            return {"code": code, "title": _title(match.group("title")), **money}
    if match := _RENAMED.fullmatch(line):
        return {"code": "renamed", "old": _title(match.group("old")), "new": match.group("new")}
    if match := _AMOUNT.fullmatch(line):
        old, new = _money(match.group("old"), "from"), _money(match.group("new"), "to")
        if old is not None and new is not None:
            return {"code": "amount", "title": _title(match.group("title")), **old, **new}
    if match := _DUE.fullmatch(line):
        return {
            "code": "due",
            "title": _title(match.group("title")),
            "from": int(match.group("old")),
            "to": int(match.group("new")),
        }
    if match := _DESCRIPTION.fullmatch(line):
        return {"code": "description", "title": _title(match.group("title"))}
    return {"code": "text", "text": line}


def legacy_change_lines(summary: str) -> list[dict[str, Any]]:
    return [legacy_change_line(line) for line in summary.splitlines() if line.strip()]
