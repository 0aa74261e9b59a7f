"""Money as integers in minor units (cents) with the currency beside them; never floats.

The one rounding rule: a fee is the amount times the rate, rounded half up to the cent (integer
arithmetic), raised to the minimum fee and capped at the amount; the net is the amount minus the
fee, so fee + net always equals the amount exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.functional import lazy

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


def parse_amount(text: str, *, maximum: int = MAX_AMOUNT) -> int:
    """Minor units from a typed decimal such as "1,234.50" or "12"; raises MoneyError."""
    cleaned = str(text).strip().replace(",", "").replace("_", "").replace(" ", "")
    for symbol in CURRENCY_SYMBOLS.values():
        cleaned = cleaned.removeprefix(symbol)
    if not cleaned:
        raise MoneyError("Enter an amount.")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise MoneyError("Enter an amount as a number, such as 25 or 25.50.") from None
    if not value.is_finite():
        raise MoneyError("Enter an amount as a number, such as 25 or 25.50.")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -CURRENCY_EXPONENT:
        raise MoneyError("Use at most two decimal places.")
    if value <= 0:
        raise MoneyError("Enter an amount greater than zero.")
    minor = int(value.scaleb(CURRENCY_EXPONENT))
    if minor > maximum:
        raise MoneyError(f"The largest amount accepted is {format_money(maximum, None)}.")
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
