"""Money: a double-entry ledger, wallets, held funds (payment protection), card payments through
a gateway (Stripe, or the offline demo), payouts and reconciliation.

Other apps call services and selectors only:

    from escrow.services import (
        post_transaction, Leg,                       # the one posting service
        fund_escrow, release_escrow, refund_escrow,  # held funds keyed by "milestone:<id>"
        split_escrow, freeze_escrow,
        pay_for_purchase,                            # upgrades, leads, booking fees
        credit_user, debit_user,                     # credits/rewards (pending_until=...), charges
        request_payout,
    )
    from escrow.selectors import wallet_balance
    from escrow.fees import quote_fee                # show the fee before anyone commits
    from escrow import purposes                      # register(...) / register_held(...) in ready()

Every service is idempotent on its business key and refuses bad input with an
escrow.exceptions.MoneyActionError subclass, having moved nothing.
"""
