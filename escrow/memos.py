"""Ledger memos and checkout descriptions are stored in English when the money moves (the
ledger is never rewritten); people read them in their own language: the known wordings are
translated when shown, the names inside them (project and milestone titles) kept as they are,
except a name the platform wrote itself (a contract's default milestone title, registered by its
app with `register_name`), written in the reader's language too."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

_WHOLE = {
    "Demo credit for the first milestone": gettext_lazy("Demo credit for the first milestone"),
    "Withdrawal requested": gettext_lazy("Withdrawal requested"),
    "Withdrawal paid": gettext_lazy("Withdrawal paid"),
    "Withdrawal returned to your balance": gettext_lazy("Withdrawal returned to your balance"),
    "Pending funds now available": gettext_lazy("Pending funds now available"),
    "Card payment": gettext_lazy("Card payment"),
    "Balance top up": gettext_lazy("Balance top up"),
}

# (stored English wording, the same wording to translate); {what} is kept as stored.
_PATTERNS = [
    (re.compile(r"Funds held for (?P<what>.+)", re.S), gettext_lazy("Funds held for {what}")),
    (re.compile(r"Released: (?P<what>.+)", re.S), gettext_lazy("Released: {what}")),
    (re.compile(r"Refunded: (?P<what>.+)", re.S), gettext_lazy("Refunded: {what}")),
    (re.compile(r"Split: (?P<what>.+)", re.S), gettext_lazy("Split: {what}")),
    (
        re.compile(r"Sent to your payout account for (?P<what>.+)", re.S),
        gettext_lazy("Sent to your payout account for {what}"),
    ),
    (
        re.compile(r"Payment protection for (?P<what>.+)", re.S),
        gettext_lazy("Payment protection for {what}"),
    ),
    (re.compile(r"Platform fee for (?P<what>.+)", re.S), gettext_lazy("Platform fee for {what}")),
    (re.compile(r"Reward for (?P<what>.+)", re.S), gettext_lazy("Reward for {what}")),
    (re.compile(r"Extra fee for (?P<what>.+)", re.S), gettext_lazy("Extra fee for {what}")),
    (
        re.compile(r"Credit for referral lead (?P<what>#\d+: .+)", re.S),
        gettext_lazy("Credit for referral lead {what}"),
    ),
    (re.compile(r"Referral lead (?P<what>#\d+: .+)", re.S), gettext_lazy("Referral lead {what}")),
    (
        re.compile(r"Quality control of (?P<what>.+)", re.S),
        gettext_lazy("Quality control of {what}"),
    ),
    (re.compile(r"Correction of (?P<what>#\d+)", re.S), gettext_lazy("Correction of {what}")),
]


_NAMES: list[StrOrPromise] = []


def register_name(name: StrOrPromise) -> None:
    """A name the platform writes (a lazy string) that memos may carry in any language."""
    _NAMES.append(name)
    _name_pattern.cache_clear()


@cache
def _name_pattern() -> tuple[re.Pattern[str], dict[str, StrOrPromise]] | None:
    """One pattern for each registered name as any language wrote it, standing alone between
    quotes or after " · " (how a milestone is named), and which name each spelling is."""
    spellings: dict[str, StrOrPromise] = {}
    for name in _NAMES:
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                spellings[str(name)] = name
    if not spellings:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(spellings, key=len, reverse=True))
    pattern = re.compile(rf"(?:(?<=[“„])|(?<=· ))({alternatives})(?=[”“]|$)")
    return pattern, spellings


def _names_translated(what: str) -> str:
    found = _name_pattern()
    if found is None:
        return what
    pattern, spellings = found
    return pattern.sub(lambda match: str(spellings[match.group(1)]), what)


def translated(text: str) -> str:
    """The memo in the active language when it is one of the known wordings, else unchanged."""
    if not text:
        return text
    whole = _WHOLE.get(text)
    if whole is not None:
        return str(whole)
    for pattern, wording in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            return str(wording).format(what=_names_translated(match.group("what")))
    return text
