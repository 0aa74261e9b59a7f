# ruff: noqa: N818 -- domain names read better without an Error suffix.
"""Domain errors of the reviews app; views turn them into messages."""


class ReviewError(Exception):
    """A review action was refused; the message says why."""

    default = "This review action is not possible."

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.default)


class NotAllowed(ReviewError):
    default = "You are not a party to this contract."


class NotEligible(ReviewError):
    default = "This contract cannot be reviewed yet: it needs a paid milestone and to be over."


class AlreadyReviewed(ReviewError):
    default = "You already reviewed this contract."


class InvalidReview(ReviewError):
    default = "Check the review and try again."
