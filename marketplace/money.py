"""Money as integers in minor units (cents) with the currency beside them; never floats.

The one rounding rule: a fee is the amount times the rate, rounded half up to the cent (integer
arithmetic), raised to the minimum fee and capped at the amount; the net is the amount minus the
fee, so fee + net always equals the amount exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _

# The largest amount Guildhall accepts in one movement: 1,000,000,000.00 in major units.
MAX_AMOUNT = 100_000_000_000
BPS_DENOMINATOR = 10_000

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
CURRENCY_EXPONENT = 2


class MoneyError(ValueError):
    """A user-facing problem with an amount (unparseable, zero, negative, too large)."""


class CurrencyMismatch(MoneyError):  # noqa: N818
    """Two amounts in different currencies were combined or compared."""


@dataclass(frozen=True, slots=True)
class Money:
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError("Money amounts are integers in minor units.")
        if len(self.currency) != 3 or not self.currency.isupper():
            raise MoneyError(f"Unknown currency code {self.currency!r}.")

    def _same(self, other: object) -> Money:
        if not isinstance(other, Money):
            raise TypeError("Money combines only with Money.")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"Cannot combine {self.currency} and {other.currency} amounts.")
        return other

    def __add__(self, other: Money) -> Money:
        other = self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        other = self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other).amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other).amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other).amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other).amount

    def __str__(self) -> str:
        return format_money(self.amount, self.currency)

    def split_fee(self, *, bps: int, minimum: int) -> tuple[Money, Money]:
        fee, net = split_fee(self.amount, bps, minimum)
        return Money(fee, self.currency), Money(net, self.currency)


def split_fee(amount: int, bps: int, minimum: int) -> tuple[int, int]:
    """(fee, net) for a non-negative amount: fee rounds half up to the cent, net = amount - fee."""
    if amount < 0 or bps < 0 or minimum < 0:
        raise MoneyError("Fees are computed on non-negative amounts and rates.")
    fee = (amount * bps + BPS_DENOMINATOR // 2) // BPS_DENOMINATOR
    fee = min(max(fee, minimum), amount)
    return fee, amount - fee


_TYPED = re.compile(r"[0-9., ]+", re.ASCII)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})


def _decimal_separator(separator: str | None) -> str:
    if separator:
        return separator
    from django.utils.formats import get_format

    return "," if str(get_format("DECIMAL_SEPARATOR")) == "," else "."


def _split_fraction(body: str, decimal: str) -> tuple[str, str]:
    """(integer part, fraction digits). The last "." or "," is the decimal point when it appears
    once and is followed by one or two digits (EUR default: "10,50" and "10.50" alike), or when
    it is the active language's decimal separator (then more digits are too many decimals)."""
    at = max(body.rfind("."), body.rfind(","))
    if at < 0:
        return body, ""
    mark, tail = body[at], body[at + 1 :]
    if body.count(mark) == 1 and tail.isdigit() and (len(tail) <= 2 or mark == decimal):
        if len(tail) > CURRENCY_EXPONENT:
            raise MoneyError(_("Use at most two decimal places."))
        return body[:at], tail
    return body, ""


def _integer_digits(integer: str, decimal: str) -> str:
    """The digits of the integer part; thousands separators only between groups of three."""
    if integer.isdigit():
        return integer
    group = "," if decimal == "." else "."
    match = re.fullmatch(r"[0-9]{1,3}([., ])[0-9]{3}(?:\1[0-9]{3})*", integer, re.ASCII)
    if match is None or match.group(1) not in {group, " "}:
        raise MoneyError(
            _("Separate thousands in groups of three, as in %(example)s.")
            % {"example": "1.234,50" if decimal == "," else "1,234.50"}
        )
    return integer.replace(match.group(1), "")


def parse_amount(
    text: str,
    *,
    maximum: int = MAX_AMOUNT,
    allow_zero: bool = False,
    decimal_separator: str | None = None,
) -> int:
    """Minor units from what the user typed, the one parser behind every money field.

    The decimal separator follows the active language ("." in English, "," in German); with
    the platform's EUR default "10,50" and "10.50" both mean ten and a half. Thousands
    separators ("," or "." as the language writes them, or a space) only between groups of
    three; a currency symbol may lead. No signs, exponents or non-ASCII digits, at most two
    decimals, at most ``maximum``. Raises MoneyError with the message shown beside the field.
    """
    decimal = _decimal_separator(decimal_separator)
    example = "25,50" if decimal == "," else "25.50"
    cleaned = str(text).translate(_SPACES).strip()
    for symbol in CURRENCY_SYMBOLS.values():
        cleaned = cleaned.removeprefix(symbol).removesuffix(symbol).strip()
    if not cleaned:
        raise MoneyError(_("Enter an amount."))
    if cleaned[0] in "+-\u2212":
        raise MoneyError(_("Enter the amount without a sign; it must be greater than zero."))
    if not _TYPED.fullmatch(cleaned) or not cleaned[-1].isdigit() or cleaned[0] == " ":
        raise MoneyError(
            _("Enter an amount as a number, such as 25 or %(example)s.") % {"example": example}
        )
    integer, fraction = _split_fraction(cleaned, decimal)
    digits = _integer_digits(integer, decimal) if integer else "0"
    minor = int(digits) * 10**CURRENCY_EXPONENT + int(fraction.ljust(CURRENCY_EXPONENT, "0"))
    if minor == 0 and not allow_zero:
        raise MoneyError(_("Enter an amount greater than zero."))
    if minor > maximum:
        raise MoneyError(
            _("The largest amount accepted is %(maximum)s.")
            % {"maximum": format_money(maximum, None)}
        )
    return minor


def format_money(amount: int, currency: str | None = "EUR") -> str:
    """Display form in the active language, the currency sign first.

    English "€1,234.50" and "-€3.00"; German "€1.234,50"; "12.00 CHF" when no sign is known.
    The separators come from the language's formats (marketplace/formats/<lang>/formats.py).
    """
    sign = "-" if amount < 0 else ""
    value = Decimal(abs(int(amount))).scaleb(-CURRENCY_EXPONENT)
    number = number_format(value, CURRENCY_EXPONENT, use_l10n=True, force_grouping=True)
    if currency is None:
        return f"{sign}{number}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f"{sign}{symbol}{number}"
    return f"{sign}{number} {currency}"


# For lazy notification texts: the amount is written when the text is, in the reader's language.
format_money_lazy = lazy(format_money, str)


def to_decimal_string(amount: int) -> str:
    """ "1234.50" — for form initial values and CSV exports."""
    sign = "-" if amount < 0 else ""
    major, minor = divmod(abs(int(amount)), 10**CURRENCY_EXPONENT)
    return f"{sign}{major}.{minor:0{CURRENCY_EXPONENT}d}"
