# ruff: noqa: N818 -- domain names read better without an Error suffix (MandateFull).
"""Domain errors of referral leads; str(error) is safe to show. Nothing changed when raised."""

from __future__ import annotations


class LeadError(Exception):
    """A lead action was refused; the message is shown to the person."""

    default_message = "That is not possible on this lead."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class NotAllowed(LeadError):
    default_message = "You are not allowed to do that."


class InvalidTransition(LeadError):
    default_message = "That step is not possible in the lead's current state."


class AlreadyBought(LeadError):
    default_message = "You have already bought this lead."


class MandateFull(LeadError):
    default_message = "This lead is complete: the maximum number of providers have bought it."


class MandateClosed(LeadError):
    default_message = "This lead is no longer available."


class HalfPriceUnavailable(LeadError):
    default_message = "Half price is not offered on this lead (or the offer has ended)."


class NotBought(LeadError):
    default_message = "You can only ask for a credit on a lead you bought."


class AlreadyCredited(LeadError):
    default_message = "This lead has already been credited back."


class CreditAlreadyRequested(LeadError):
    default_message = "A credit request for this lead is already waiting for a decision."


class ReasonRequired(LeadError):
    default_message = "Give a reason."


class InsufficientBalance(LeadError):
    """The balance does not cover the price; the page offers a link to top up."""

    default_message = (
        "Your balance is too low to buy this lead. Top up your balance, then try again."
    )

    def __init__(self, *, needed: int, available: int) -> None:
        super().__init__()
        self.needed = needed
        self.available = available
