"""The English conversation titles stored before conversations kept their subject and params,
read back (migration 0004 runs this over the old rows; tests call it directly).

Pure functions: no models, so the migration can import them. A title that is no known wording
for its kind is kept as it is.
"""

from __future__ import annotations

import re
from typing import Any

_BID = re.compile(r"Bid on “(?P<title>.+)”", re.S)
_WORKSPACE = re.compile(r"Workspace: (?P<title>.+)", re.S)
_WITH_CLIENT = re.compile(
    r"Negotiation with the client on “(?P<title>.+)” \((?P<alias>[^()]+)\)", re.S
)
_WITH_EXPERT = re.compile(
    r"Negotiation with (?P<with>.+?) on “(?P<title>.+)” \((?P<alias>[^()]+)\)", re.S
)
# As the migration writes it backwards (the alias is not repeated).
_WITH_EXPERT_SHORT = re.compile(r"Negotiation with (?P<alias>.+?) on “(?P<title>.+)”", re.S)


def legacy_conversation_title(kind: str, title: str) -> tuple[str, dict[str, Any]] | None:
    """(subject, params) of a title written in English for a conversation of this kind, else
    None."""
    if kind == "bid" and (match := _BID.fullmatch(title)):
        return match.group("title"), {}
    if kind == "workspace" and (match := _WORKSPACE.fullmatch(title)):
        return match.group("title"), {}
    if kind == "negotiation":
        if match := _WITH_CLIENT.fullmatch(title):
            return match.group("title"), {"side": "client", "alias": match.group("alias")}
        match = _WITH_EXPERT.fullmatch(title)
        if match is None or match.group("with") != match.group("alias"):
            match = _WITH_EXPERT_SHORT.fullmatch(title)
        if match is not None:
            return match.group("title"), {"side": "expert", "alias": match.group("alias")}
    return None
