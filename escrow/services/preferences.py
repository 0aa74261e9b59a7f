"""The payment method a person prefers (balance first, or card)."""

from __future__ import annotations

from typing import Any

from escrow.exceptions import InvalidAmount
from escrow.models import PaymentPreference


def set_payment_preference(*, user: Any, method: str) -> PaymentPreference:
    if not getattr(user, "is_authenticated", False):
        raise InvalidAmount("Log in to choose how you pay.")
    if method not in PaymentPreference.Method.values:
        raise InvalidAmount("Choose balance first or card.")
    preference, _ = PaymentPreference.objects.update_or_create(
        user=user, defaults={"method": method}
    )
    return preference
