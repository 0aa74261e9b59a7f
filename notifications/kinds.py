"""Notification kinds people can switch email off for, with the preferences page's labels.

Other apps add their kinds here (one line each) or call ``register_kind`` in AppConfig.ready.
A kind that is not listed still works everywhere; it gets a label made from its name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


KINDS: dict[str, StrOrPromise] = {
    # projects and bids
    "projects.approved": gettext_lazy("Your project post was approved"),
    "projects.clarification_requested": gettext_lazy("Staff asked about your project post"),
    "projects.invited": gettext_lazy("You were invited to bid on a project"),
    "projects.digest": gettext_lazy("New projects matching your skills"),
    "bids.received": gettext_lazy("A new bid on your project"),
    "bids.updated": gettext_lazy("A bid on your project was updated"),
    "bids.awarded": gettext_lazy("Your bid was awarded"),
    "bids.award_withdrawn": gettext_lazy("An award was withdrawn"),
    "bids.confirmed": gettext_lazy("An expert confirmed your award"),
    "bids.rejected": gettext_lazy("An expert declined your award"),
    "bids.project_awarded": gettext_lazy("A project you bid on was awarded to someone else"),
    "bids.milestones_changed": gettext_lazy("The milestones of a contract changed"),
    "bids.negotiation": gettext_lazy("Negotiation on a managed project"),
    "bids.offer_revised": gettext_lazy("A revised offer on a managed project"),
    # workspace and milestones
    "workspaces.start_requested": gettext_lazy("An expert asked to start a milestone"),
    "workspaces.milestone_started": gettext_lazy("A milestone was started"),
    "workspaces.delivered": gettext_lazy("Work was delivered"),
    "workspaces.revision_requested": gettext_lazy("A revision was requested"),
    "workspaces.completed": gettext_lazy("A milestone was marked as completed"),
    # messages and reviews
    "messaging.new_message": gettext_lazy("A new message"),
    "reviews.requested": gettext_lazy("Time to leave a review"),
    "reviews.received": gettext_lazy("You received a review"),
    # money
    "escrow.payment_received": gettext_lazy("Your payment was received"),
    "escrow.payment_failed": gettext_lazy("A payment failed"),
    "escrow.funds_held": gettext_lazy("Funds are held for a milestone"),
    "escrow.released": gettext_lazy("Milestone funds were released"),
    "escrow.refunded": gettext_lazy("Funds were refunded"),
    "escrow.split": gettext_lazy("A dispute was settled with a split"),
    "escrow.dispute_opened": gettext_lazy("A dispute was opened"),
    "escrow.dispute_closed": gettext_lazy("A dispute was closed"),
    "escrow.payout_requested": gettext_lazy("A withdrawal was requested"),
    "escrow.payout_paid": gettext_lazy("A withdrawal was paid"),
    "escrow.payout_failed": gettext_lazy("A withdrawal failed"),
    "escrow.balance_adjusted": gettext_lazy("Staff credited or debited your balance"),
    # accounts
    "accounts.company_verified": gettext_lazy("Your company was verified"),
    "accounts.company_rejected": gettext_lazy("Your company verification needs attention"),
    "accounts.taxonomy_request_decided": gettext_lazy(
        "Your request for a missing skill or category was decided"
    ),
    "accounts.taxonomy_requested": gettext_lazy(
        "A member asked for a missing skill, category or job type"
    ),
    # staff alerts (listed on the preferences page for staff only)
    "escrow.payout_stuck": gettext_lazy("A withdrawal is stuck"),
    "escrow.reconciliation_mismatch": gettext_lazy("The ledger does not reconcile"),
    "escrow.gateway_event_failed": gettext_lazy("A payment gateway event could not be processed"),
    # referral leads
    "leads.new_mandate": gettext_lazy("A new referral lead matches your criteria"),
    "leads.half_price_awarded": gettext_lazy("A half-price lead was awarded to you"),
    "leads.reservation_lapsed": gettext_lazy("A half-price reservation lapsed"),
    "leads.credit_requested": gettext_lazy("A provider asked for a lead credit"),
    "leads.credit_decided": gettext_lazy("Your lead credit request was decided"),
}

STAFF_KINDS: set[str] = {
    "accounts.taxonomy_requested",
    "escrow.payout_stuck",
    "escrow.reconciliation_mismatch",
    "escrow.gateway_event_failed",
    "leads.credit_requested",
}


def register_kind(kind: str, label: StrOrPromise) -> None:
    """Add (or relabel) a kind; for apps that prefer to declare their kinds in AppConfig.ready."""
    KINDS[kind] = label


def label_for(kind: str) -> StrOrPromise:
    """The human label of a kind; unknown kinds get one made from their name."""
    if kind in KINDS:
        return KINDS[kind]
    _, _, name = kind.rpartition(".")
    return (name or kind).replace("_", " ").capitalize() or "Notification"


def group_for(kind: str) -> StrOrPromise:
    """The section of the preferences page a kind belongs to."""
    prefix = kind.partition(".")[0]
    return GROUPS.get(prefix, "Other")


GROUPS: dict[str, StrOrPromise] = {
    "projects": gettext_lazy("Projects"),
    "bids": gettext_lazy("Bids and awards"),
    "workspaces": gettext_lazy("Workspaces and milestones"),
    "messaging": gettext_lazy("Messages"),
    "reviews": gettext_lazy("Reviews"),
    "escrow": gettext_lazy("Payments and balance"),
    "accounts": gettext_lazy("Your account"),
    "leads": gettext_lazy("Referral leads"),
}
