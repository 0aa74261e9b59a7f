"""What a purchase is for: apps register a handler in AppConfig.ready().

    from escrow import purposes
    purposes.register("lead", on_paid=leads.services.deliver_lead)

on_paid(purchase) runs inside the transaction that takes the money, exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

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
