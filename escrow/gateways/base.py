"""The gateway interface: start a checkout, refund a charge, pay out to an expert.

Results come back as events (a signed Stripe webhook, or the demo card page) that go through
escrow.services.events, the single fulfilment path.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from escrow.models import Checkout, Payout


@dataclass(frozen=True, slots=True)
class PayoutResult:
    reference: str
    paid: bool  # True when the money left at once (demo); else an event confirms it later


@dataclass(frozen=True, slots=True)
class GatewayRecord:
    """What the gateway itself says about a payout or transfer we sent."""

    reference: str
    status: str  # "paid", "pending", "failed" (canceled counts as failed) or "missing"
    amount: int
    currency: str


class Gateway(ABC):
    name: str

    @abstractmethod
    def start_checkout(self, *, checkout: Checkout, success_url: str, cancel_url: str) -> str:
        """Create the provider's checkout; store its id on checkout; return the redirect URL."""

    @abstractmethod
    def refund(self, *, checkout: Checkout, amount: int, key: str) -> str:
        """Refund part or all of a card charge; return the provider's refund id."""

    @abstractmethod
    def pay_out(self, *, payout: Payout) -> PayoutResult:
        """Send a withdrawal to the expert's bank."""

    @abstractmethod
    def fetch_payout(self, *, payout: Payout) -> GatewayRecord:
        """The gateway's own record of a payout (or transfer) sent earlier, for reconciliation."""
