"""Domain errors raised by messaging.services; views show str(error) to the person."""

from __future__ import annotations


class MessagingError(Exception):
    """A request the messaging domain refuses."""


class NotAParticipant(MessagingError):  # noqa: N818
    """The person is not in this conversation."""


class MessageRefused(MessagingError):  # noqa: N818
    """The message is empty, too long, or carries files that are not accepted."""
