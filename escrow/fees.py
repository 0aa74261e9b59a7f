"""Platform fees: basis points plus a minimum from settings, overridable per kind of engagement.

Rounding (see marketplace.money.split_fee): the fee rounds half up to the cent, is at least the
minimum and at most the amount; the expert receives amount - fee; the client pays the amount.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from marketplace.money import split_fee


@dataclass(frozen=True, slots=True)
class FeeQuote:
    amount: int
    fee: int
    net: int
    bps: int
    minimum: int
    fee_kind: str
    currency: str

    def as_breakdown(self) -> dict[str, int | str]:
        return {
            "amount": self.amount,
            "fee": self.fee,
            "net": self.net,
            "bps": self.bps,
            "minimum": self.minimum,
            "fee_kind": self.fee_kind,
            "currency": self.currency,
        }


def fee_rate(fee_kind: str = "default") -> tuple[int, int]:
    override = settings.PLATFORM_FEE_BY_KIND.get(fee_kind, {})
    bps = int(override.get("bps", settings.PLATFORM_FEE_BPS))
    minimum = int(override.get("min", settings.PLATFORM_FEE_MIN))
    return bps, minimum


def quote_fee(*, amount: int, fee_kind: str = "default", currency: str | None = None) -> FeeQuote:
    """What the client pays (amount), the platform keeps (fee) and the expert receives (net)."""
    bps, minimum = fee_rate(fee_kind)
    fee, net = split_fee(amount, bps, minimum)
    return FeeQuote(
        amount=amount,
        fee=fee,
        net=net,
        bps=bps,
        minimum=minimum,
        fee_kind=fee_kind,
        currency=currency or settings.PLATFORM_CURRENCY,
    )
