"""Every write on bids and contracts. Views, admin actions and tests call these.

from bids.services import place_bid, award_bid, confirm_award, ...
"""

from bids.services.award import award_bid, confirm_award, reject_award, withdraw_award
from bids.services.bidding import (
    MilestoneInput,
    add_missing_skills,
    open_bid_conversation,
    place_bid,
    set_hidden,
    set_shortlisted,
    update_bid,
    validate_bid,
    validate_milestones,
    withdraw_bid,
)
from bids.services.contract import replan_milestones
from bids.services.direct import make_direct_contract
from bids.services.managed import accept_offer, relay_to_expert, request_negotiation, revise_offer

__all__ = [
    "MilestoneInput",
    "accept_offer",
    "add_missing_skills",
    "award_bid",
    "confirm_award",
    "make_direct_contract",
    "open_bid_conversation",
    "place_bid",
    "reject_award",
    "relay_to_expert",
    "replan_milestones",
    "request_negotiation",
    "revise_offer",
    "set_hidden",
    "set_shortlisted",
    "update_bid",
    "validate_bid",
    "validate_milestones",
    "withdraw_award",
    "withdraw_bid",
]
