"""What a purchase is for: apps register a handler in AppConfig.ready().

    from escrow import purposes
    purposes.register("lead", on_paid=leads.services.deliver_lead)

on_paid(purchase) runs inside the transaction that takes the money, exactly once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from escrow.models import HeldFunds, Purchase

OnPaid = Callable[["Purchase"], object]
OnHeld = Callable[["HeldFunds"], object]

_REGISTRY: dict[str, OnPaid] = {}
_HELD_REGISTRY: dict[str, OnHeld] = {}


def register(purpose: str, *, on_paid: OnPaid) -> None:
    _REGISTRY[purpose] = on_paid


def unregister(purpose: str) -> None:
    _REGISTRY.pop(purpose, None)


def handler_for(purpose: str) -> OnPaid | None:
    return _REGISTRY.get(purpose)


def is_registered(purpose: str) -> bool:
    return purpose in _REGISTRY


def register_held(prefix: str, *, on_funded: OnHeld) -> None:
    """Held funds whose reference starts with "<prefix>:" call on_funded(held) inside the
    transaction that holds the money (from the balance or when a card payment confirms)."""
    _HELD_REGISTRY[prefix] = on_funded


def unregister_held(prefix: str) -> None:
    _HELD_REGISTRY.pop(prefix, None)


def held_handler_for(reference: str) -> OnHeld | None:
    return _HELD_REGISTRY.get(reference.split(":", 1)[0])


# Human names for references ("milestone:3" -> "“Shop redesign” · Milestone 1"). People never
# see a reference: every page, memo and notification shows the label, with a link where one fits.


@dataclass(frozen=True, slots=True)
class Described:
    label: str
    url: str = ""


Describer = Callable[[list[int]], dict[int, Described]]
_DESCRIBERS: dict[str, Describer] = {}
REFERENCE_RE = re.compile(r"\b([a-z][a-z-]*):(\d+)\b")


def register_describer(prefix: str, describe: Describer) -> None:
    """describe(ids) names the references "<prefix>:<id>" in one query for all ids."""
    _DESCRIBERS[prefix] = describe


def describe_many(references: Iterable[str]) -> dict[str, Described]:
    """The label (and link) of each known reference, one query per kind of reference."""
    wanted: dict[str, set[int]] = {}
    for reference in references:
        for prefix, pk in REFERENCE_RE.findall(reference or ""):
            if prefix in _DESCRIBERS:
                wanted.setdefault(prefix, set()).add(int(pk))
    found: dict[str, Described] = {}
    for prefix, ids in wanted.items():
        for pk, described in _DESCRIBERS[prefix](sorted(ids)).items():
            found[f"{prefix}:{pk}"] = described
    return found


def describe(reference: str) -> Described:
    """One reference's label; an unknown one keeps a neutral name, never the raw reference."""
    return describe_many([reference]).get(reference) or Described(_("your order"))


def humanize(text: str, known: dict[str, Described] | None = None) -> str:
    """The text with every known reference replaced by its label (for memos written earlier)."""
    if not text:
        return text
    known = describe_many([text]) if known is None else known

    def label(match: re.Match[str]) -> str:
        found = known.get(match.group(0))
        return found.label if found is not None else match.group(0)

    return REFERENCE_RE.sub(label, text)


def first_link(text: str, known: dict[str, Described]) -> str:
    """The link of the first known reference in the text ("" when none)."""
    for prefix, pk in REFERENCE_RE.findall(text or ""):
        found = known.get(f"{prefix}:{pk}")
        if found is not None and found.url:
            return found.url
    return ""
