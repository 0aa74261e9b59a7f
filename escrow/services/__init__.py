"""Every write that moves money. Other apps import from here.

from escrow.services import post_transaction, Leg, fund_escrow, release_escrow, ...
"""

from escrow.services.held import (
    freeze_escrow,
    fund_escrow,
    refund_escrow,
    release_escrow,
    split_escrow,
    unfreeze_escrow,
)
from escrow.services.ledger import Leg, get_account, post_transaction, reverse_transaction
from escrow.services.payments import (
    CheckoutStarted,
    PurchaseResult,
    fail_checkout,
    fulfil_checkout,
    pay_for_purchase,
    record_gateway_event,
    start_top_up,
)
from escrow.services.payouts import (
    approve_payout,
    mark_payout_failed,
    mark_payout_paid,
    request_payout,
)
from escrow.services.wallets import credit_user, debit_user, release_due_pending

__all__ = [
    "CheckoutStarted",
    "Leg",
    "PurchaseResult",
    "approve_payout",
    "credit_user",
    "debit_user",
    "fail_checkout",
    "freeze_escrow",
    "fulfil_checkout",
    "fund_escrow",
    "get_account",
    "mark_payout_failed",
    "mark_payout_paid",
    "pay_for_purchase",
    "post_transaction",
    "record_gateway_event",
    "refund_escrow",
    "release_due_pending",
    "release_escrow",
    "request_payout",
    "reverse_transaction",
    "split_escrow",
    "start_top_up",
    "unfreeze_escrow",
]
