"""Payment gateways behind one interface; settings.PAYMENT_GATEWAY picks the default."""

from __future__ import annotations

from django.conf import settings

from escrow.gateways.base import Gateway, GatewayRecord, PayoutResult


def get_gateway(name: str | None = None) -> Gateway:
    chosen = name or settings.PAYMENT_GATEWAY
    if chosen == "stripe":
        from escrow.gateways.stripe import StripeGateway

        return StripeGateway()
    from escrow.gateways.demo import DemoGateway

    return DemoGateway()


__all__ = ["Gateway", "GatewayRecord", "PayoutResult", "get_gateway"]
