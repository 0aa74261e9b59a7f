"""History rows store what happened, not a sentence about it.

A workspace, bid or project history row keeps an event code and the variable parts of the event
(`params`: amounts in minor units with their currency, a version number, a file name). The
sentence is written when the row is shown, in the reader's language; text a person typed (a
reason, a note) is kept as typed. The helpers here are shared by the three apps and by the data
migrations that turned the English sentences stored before into codes and params.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marketplace.money import CURRENCY_SYMBOLS, MoneyError, format_money, parse_amount


def money_params(amount: int, currency: str, key: str = "amount") -> dict[str, Any]:
    """{"amount": 120000, "currency": "EUR"}: an amount kept for a history row."""
    return {key: int(amount), "currency": currency}


def shown_money(params: Mapping[str, Any], key: str = "amount") -> str:
    """The amount in `params[key]` written in the active language ("€1.234,50" in German)."""
    try:
        return format_money(int(params[key]), params.get("currency") or "EUR")
    except (KeyError, TypeError, ValueError):
        return ""


# --- reading the English sentences stored before (data migrations) ---------------------------

_SYMBOL_CURRENCY = {symbol: code for code, symbol in CURRENCY_SYMBOLS.items()}
# "€1,200.00", "12.00 CHF": how format_money wrote amounts in English; "€1.200,00" and
# "12,00 CHF" in German (a sentence was English, its amount followed the active language).
MONEY = r"(?:[€$£][0-9][0-9,.]*[.,][0-9]{2}|[0-9][0-9,.]*[.,][0-9]{2} [A-Z]{3})"


def parse_stored_money(text: str) -> tuple[int, str] | None:
    """(minor units, currency) of an amount written by format_money, else None."""
    text = text.strip()
    match = re.fullmatch(r"([€$£])([0-9][0-9,.]*[.,][0-9]{2})", text)
    if match:
        currency, number = _SYMBOL_CURRENCY[match.group(1)], match.group(2)
    else:
        match = re.fullmatch(r"([0-9][0-9,.]*[.,][0-9]{2}) ([A-Z]{3})", text)
        if match is None:
            return None
        number, currency = match.group(1), match.group(2)
    try:
        amount = parse_amount(number, decimal_separator=number[-3], allow_zero=True)
    except MoneyError:
        return None
    return amount, currency
