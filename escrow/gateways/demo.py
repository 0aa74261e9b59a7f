"""The demo gateway: Guildhall's own test-card page, so everything works offline with no keys.

Test cards: 4242 4242 4242 4242 succeeds; 4000 0000 0000 0002 is declined; 4000 0000 0000 0341
is accepted, then fails a moment later (the failure arrives as an event processed by a task).
"""

from __future__ import annotations

from django.urls import reverse

from escrow.gateways.base import Gateway, GatewayRecord, PayoutResult
from escrow.models import Checkout, Payout

CARD_SUCCEEDS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
CARD_FAILS_LATER = "4000000000000341"
TEST_CARDS = (
    (CARD_SUCCEEDS, "4242 4242 4242 4242", "Succeeds"),
    (CARD_DECLINED, "4000 0000 0000 0002", "Declined"),
    (CARD_FAILS_LATER, "4000 0000 0000 0341", "Fails after a delay"),
)


class DemoGateway(Gateway):
    name = "demo"

    def start_checkout(self, *, checkout: Checkout, success_url: str, cancel_url: str) -> str:
        checkout.external_id = f"demo_cs_{checkout.token}"
        return reverse("escrow:demo_checkout", kwargs={"token": checkout.token})

    def refund(self, *, checkout: Checkout, amount: int, key: str) -> str:
        return f"demo_re_{key}"

    def pay_out(self, *, payout: Payout) -> PayoutResult:
        return PayoutResult(reference=f"demo_po_{payout.pk}", paid=True)

    def fetch_payout(self, *, payout: Payout) -> GatewayRecord:
        # The demo pays out at once: whatever it was handed is paid.
        return GatewayRecord(
            reference=payout.gateway_ref,
            status="paid" if payout.gateway_ref else "missing",
            amount=payout.amount if payout.gateway_ref else 0,
            currency=payout.currency,
        )
