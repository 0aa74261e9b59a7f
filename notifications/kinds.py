"""Notification kinds people can switch email off for, with the preferences page's labels.

Other apps add their kinds here (one line each) or call ``register_kind`` in AppConfig.ready.
A kind that is not listed still works everywhere; it gets a label made from its name.
"""

KINDS: dict[str, str] = {
    # projects and bids
    "projects.approved": "Your project post was approved",
    "projects.clarification_requested": "Staff asked about your project post",
    "projects.invited": "You were invited to bid on a project",
    "projects.digest": "New projects matching your skills",
    "bids.received": "A new bid on your project",
    "bids.updated": "A bid on your project was updated",
    "bids.awarded": "Your bid was awarded",
    "bids.award_withdrawn": "An award was withdrawn",
    "bids.confirmed": "An expert confirmed your award",
    "bids.rejected": "An expert declined your award",
    "bids.project_awarded": "A project you bid on was awarded to someone else",
    "bids.milestones_changed": "The milestones of a contract changed",
    "bids.negotiation": "Negotiation on a managed project",
    "bids.offer_revised": "A revised offer on a managed project",
    # workspace and milestones
    "workspaces.start_requested": "An expert asked to start a milestone",
    "workspaces.milestone_started": "A milestone was started",
    "workspaces.delivered": "Work was delivered",
    "workspaces.revision_requested": "A revision was requested",
    "workspaces.completed": "A milestone was marked as completed",
    # messages and reviews
    "messaging.new_message": "A new message",
    "reviews.requested": "Time to leave a review",
    "reviews.received": "You received a review",
    # money
    "escrow.payment_received": "Your payment was received",
    "escrow.payment_failed": "A payment failed",
    "escrow.funds_held": "Funds are held for a milestone",
    "escrow.released": "Milestone funds were released",
    "escrow.refunded": "Funds were refunded",
    "escrow.split": "A dispute was settled with a split",
    "escrow.dispute_opened": "A dispute was opened",
    "escrow.dispute_closed": "A dispute was closed",
    "escrow.payout_requested": "A withdrawal was requested",
    "escrow.payout_paid": "A withdrawal was paid",
    "escrow.payout_failed": "A withdrawal failed",
    "escrow.balance_adjusted": "Staff credited or debited your balance",
    # accounts
    "accounts.company_verified": "Your company was verified",
    "accounts.company_rejected": "Your company verification needs attention",
    "accounts.taxonomy_request_decided": "Your request for a missing skill or category was decided",
    "accounts.taxonomy_requested": "A member asked for a missing skill, category or job type",
    # staff alerts (listed on the preferences page for staff only)
    "escrow.payout_stuck": "A withdrawal is stuck",
    "escrow.reconciliation_mismatch": "The ledger does not reconcile",
    "escrow.gateway_event_failed": "A payment gateway event could not be processed",
    # referral leads
    "leads.new_mandate": "A new referral lead matches your criteria",
    "leads.half_price_awarded": "A half-price lead was awarded to you",
    "leads.reservation_lapsed": "A half-price reservation lapsed",
    "leads.credit_requested": "A provider asked for a lead credit",
    "leads.credit_decided": "Your lead credit request was decided",
}

STAFF_KINDS: set[str] = {
    "accounts.taxonomy_requested",
    "escrow.payout_stuck",
    "escrow.reconciliation_mismatch",
    "escrow.gateway_event_failed",
    "leads.credit_requested",
}


def register_kind(kind: str, label: str) -> None:
    """Add (or relabel) a kind; for apps that prefer to declare their kinds in AppConfig.ready."""
    KINDS[kind] = label


def label_for(kind: str) -> str:
    """The human label of a kind; unknown kinds get one made from their name."""
    if kind in KINDS:
        return KINDS[kind]
    _, _, name = kind.rpartition(".")
    return (name or kind).replace("_", " ").capitalize() or "Notification"


def group_for(kind: str) -> str:
    """The section of the preferences page a kind belongs to."""
    prefix = kind.partition(".")[0]
    return GROUPS.get(prefix, "Other")


GROUPS: dict[str, str] = {
    "projects": "Projects",
    "bids": "Bids and awards",
    "workspaces": "Workspaces and milestones",
    "messaging": "Messages",
    "reviews": "Reviews",
    "escrow": "Payments and balance",
    "accounts": "Your account",
    "leads": "Referral leads",
}
