# ruff: noqa: N818 -- domain names read better without an Error suffix.
"""Domain errors for workspaces; views turn them into messages. Nothing moved when one is raised."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class WorkspaceError(Exception):
    default_message = "That action is not possible."

    def __init__(self, message: StrOrPromise | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message

    def __str__(self) -> str:
        return str(self.message)  # a lazy message is written in the active language


class NotAllowed(WorkspaceError):
    default_message = "You are not allowed to do that in this workspace."


class InvalidTransition(WorkspaceError):
    default_message = "That step is not possible in the milestone's current state."


class InvalidInput(WorkspaceError):
    default_message = "Please correct the form."
