# ruff: noqa: N818 -- domain names read better without an Error suffix (NotAllowed).
"""Domain errors raised by projects.services; views turn them into messages or field errors."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

if TYPE_CHECKING:
    from projects.models import Project


class ProjectError(Exception):
    """A request the projects domain refuses; str(error) is shown to the person."""


class ProjectInvalid(ProjectError):
    """The post is incomplete or inconsistent; errors maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


class NotAllowed(ProjectError):
    """The person may not do this to this project."""


class InvalidTransition(ProjectError):
    """The project is not in a status this action starts from (a repeated click, a stale page)."""


class AlreadyInvited(ProjectError):
    pass


class AttachmentRefused(ProjectError):
    pass


class UpgradeRefused(ProjectError):
    pass


class ProjectTaken(ProjectError):
    """A Speedy or Contest another invited expert accepted first."""


class NdaRequired(PermissionDenied):
    """The confidential details of an NDA project open after the viewer accepts its NDA."""

    def __init__(self, project: Project) -> None:
        self.project = project
        super().__init__("Accept the non-disclosure agreement of this project first.")
