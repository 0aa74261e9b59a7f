"""Form pieces shared by every app: the one money field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from marketplace.money import MAX_AMOUNT, MoneyError, parse_amount, to_decimal_string

MAX_TYPED = 30


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


def localized_amount(value: int) -> str:
    """ "1234.50", or "1234,50" where the active language writes a decimal comma."""
    text = to_decimal_string(value)
    return text.replace(".", ",") if str(get_format("DECIMAL_SEPARATOR")) == "," else text


class MoneyField(forms.CharField):
    """A typed amount cleaned to minor units (an int), or None when optional and empty; every
    money field on the site uses it, so every amount is read by marketplace.money.parse_amount."""

    widget = MoneyInput

    def __init__(
        self, *args: Any, maximum: int = MAX_AMOUNT, allow_zero: bool = False, **kwargs: Any
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
            raise ValidationError(_("Enter an amount as a number, such as 25 or 25.50."))
        try:
            return parse_amount(text, maximum=self.maximum, allow_zero=self.allow_zero)
        except MoneyError as error:
            raise ValidationError(str(error), code="amount") from None
