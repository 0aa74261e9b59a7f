"""Every write on referral leads. Views, admin actions, tasks and tests call these.

Money moves only through escrow's services with deterministic keys, so a double click, a
retried request or a job run twice moves it once: a purchase is ``lead:<mandate>:buyer:<user>``
and a credit back is ``lead-credit:<purchase>``.
"""

from __future__ import annotations

from leads.services.common import NEW_MANDATE_KIND, credit_key, purchase_key
from leads.services.credits import accept_credit_request, refuse_credit_request, request_credit
from leads.services.criteria import save_criteria
from leads.services.decisions import (
    accept_offer,
    award_half_price_for,
    award_half_price_reservations,
    refuse_offer,
    reserve_offer,
)
from leads.services.mandates import (
    create_mandate,
    publish_mandate,
    send_offer_notifications,
    withdraw_mandate,
)

__all__ = [
    "NEW_MANDATE_KIND",
    "accept_credit_request",
    "accept_offer",
    "award_half_price_for",
    "award_half_price_reservations",
    "create_mandate",
    "credit_key",
    "publish_mandate",
    "purchase_key",
    "refuse_credit_request",
    "refuse_offer",
    "request_credit",
    "reserve_offer",
    "save_criteria",
    "send_offer_notifications",
    "withdraw_mandate",
]
