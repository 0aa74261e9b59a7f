# ruff: noqa: N818 -- domain names read better without an Error suffix (NotAllowed).
"""Domain errors raised by bids.services; views turn them into messages or field errors."""

from __future__ import annotations


class BidError(Exception):
    """A request the bids domain refuses; str(error) is shown to the person."""


class BidInvalid(BidError):
    """The bid is incomplete or inconsistent; errors maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class NotAllowed(BidError):
    """The person may not do this (wrong role, not invited, not the owner…)."""


class BiddingClosed(BidError):
    """The project does not take (more) bids."""


class AlreadyBid(BidError):
    """The expert already has a live bid on this project."""


class InvalidTransition(BidError):
    """The bid is not in a status this action starts from (a repeated click, a stale page)."""
