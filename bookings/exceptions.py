# ruff: noqa: N818 -- domain names read better without an Error suffix (NotAllowed).
"""Domain errors the views turn into messages."""


class BookingError(Exception):
    """Base: the message is safe to show to the user."""


class NotAllowed(BookingError):
    pass


class InvalidTransition(BookingError):
    pass


class ListingInvalid(BookingError):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors
