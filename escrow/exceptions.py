# ruff: noqa: N818 -- domain names read better without an Error suffix (InsufficientFunds).
"""Domain errors for money; views turn them into messages. Nothing has moved when one is raised."""


class MoneyActionError(Exception):
    """Base class: a money action was refused with a message safe to show the user."""

    default_message = "That money action could not be completed."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message

    def __str__(self) -> str:
        return self.message


class UnbalancedTransaction(MoneyActionError):
    default_message = "A ledger transaction must balance to zero."


class InvalidAmount(MoneyActionError):
    default_message = "Enter an amount greater than zero."


class CurrencyMismatchError(MoneyActionError):
    default_message = "The currencies do not match."


class InsufficientFunds(MoneyActionError):
    default_message = "Your available balance is too low for this."


class UnknownReference(MoneyActionError):
    default_message = "We could not find that payment."


class AlreadySettled(MoneyActionError):
    default_message = "These held funds have already been settled."


class AlreadyFunded(MoneyActionError):
    default_message = "These funds are already held."


class HeldFundsFrozen(MoneyActionError):
    default_message = "These held funds are frozen while a payment dispute is open."


class NotAllowed(MoneyActionError):
    default_message = "You are not allowed to do that."


class InvalidTransition(MoneyActionError):
    default_message = "That step is not possible in the current state."


class GatewayError(MoneyActionError):
    default_message = "The payment provider could not complete the request. Try again shortly."


class UnsafeReturnUrl(MoneyActionError):
    default_message = "That return address is not allowed."
