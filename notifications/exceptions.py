"""Domain errors of the notifications app."""


class NotificationError(Exception):
    """Base class for refusals the views turn into messages."""


class UnknownKindError(NotificationError):
    """An email preference was set for a kind that is not on the preferences page."""
