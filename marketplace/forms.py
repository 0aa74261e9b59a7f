"""Form pieces shared by every app: the one money field and the purchase key."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.money import MAX_AMOUNT, MoneyError, parse_amount, to_decimal_string

MAX_TYPED = 30
KEY_LENGTH = 32
EXPIRED = gettext_lazy("This payment form has expired: reload the page and try again.")


class MoneyInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            attrs={
                "inputmode": "decimal",
                "autocomplete": "off",
                "placeholder": "0.00",
                **(attrs or {}),
            }
        )

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        """The default placeholder in the active language's notation ("0,00" in German)."""
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        if widget_attrs.get("placeholder") == "0.00":
            widget_attrs["placeholder"] = localized_amount(0)
        return context


def localized_amount(value: int) -> str:
    """ "1234.50", or "1234,50" where the active language writes a decimal comma."""
    text = to_decimal_string(value)
    return text.replace(".", ",") if str(get_format("DECIMAL_SEPARATOR")) == "," else text


class MoneyField(forms.CharField):
    """A typed amount cleaned to minor units (an int), or None when optional and empty; every
    money field on the site uses it, so every amount is read by marketplace.money.parse_amount."""

    widget = MoneyInput
    default_error_messages = {"required": gettext_lazy("Enter an amount.")}

    def __init__(
        self,
        *args: Any,
        maximum: int | Callable[[], int] = MAX_AMOUNT,
        allow_zero: bool = False,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("max_length", None)  # checked on the text below, not on the cleaned int
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("maxlength", str(MAX_TYPED))
        self.maximum = maximum
        self.allow_zero = allow_zero

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return localized_amount(value)
        return value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > MAX_TYPED:
            raise ValidationError(
                _("Enter an amount as a number, such as 25 or %(example)s.")
                % {"example": localized_amount(2550)}
            )
        try:
            maximum = self.maximum() if callable(self.maximum) else self.maximum
            return parse_amount(text, maximum=maximum, allow_zero=self.allow_zero)
        except MoneyError as error:
            raise ValidationError(str(error), code="amount") from None


PURCHASE_KEY_SALT = "marketplace.purchase-key"
PURCHASE_KEY_MAX_AGE = 60 * 60 * 24 * 2


def new_purchase_key() -> str:
    """A signed random key, fixed when a payment form is rendered."""
    return signing.dumps(uuid.uuid4().hex, salt=PURCHASE_KEY_SALT)


class PurchaseKeyField(forms.CharField):
    """The hidden idempotency key of a paid action: every submission of one rendered form (a
    double click, a repeated POST, a re-display after an error) carries the same key, so the
    services see one purchase. Cleans to the raw key; a missing or forged key is refused."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("initial", new_purchase_key)
        kwargs.setdefault("error_messages", {"required": EXPIRED})
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text:
            return ""
        try:
            key = signing.loads(text, salt=PURCHASE_KEY_SALT, max_age=PURCHASE_KEY_MAX_AGE)
        except signing.BadSignature:
            raise ValidationError(EXPIRED, code="purchase_key") from None
        if not isinstance(key, str) or len(key) != KEY_LENGTH or not key.isalnum():
            raise ValidationError(EXPIRED, code="purchase_key")
        return key
