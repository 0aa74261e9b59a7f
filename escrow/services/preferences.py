"""The payment method a person prefers (balance first, or card)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from escrow.exceptions import InvalidAmount
from escrow.models import PaymentPreference


def set_payment_preference(*, user: Any, method: str) -> PaymentPreference:
    if not getattr(user, "is_authenticated", False):
        raise InvalidAmount(_("Log in to choose how you pay."))
    if method not in PaymentPreference.Method.values:
        raise InvalidAmount(_("Choose balance first or card."))
    preference, _unused = PaymentPreference.objects.update_or_create(
        user=user, defaults={"method": method}
    )
    return preference
