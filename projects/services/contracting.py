"""Status moves the bids app makes on a project: awarded, back to open, in progress.

The caller holds the project row lock (select_for_update) inside its own transaction; each move
checks Project.TRANSITIONS and writes the ProjectStatusChange row like every other move. The row
stores a ProjectStatusChange.Code (the caller's, or the move's default) and its params; `note`
is only what a person typed (why the contract was ended).
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from projects.models import Project, ProjectStatusChange
from projects.services.lifecycle import _move

Code = ProjectStatusChange.Code


def mark_awarded(
    *, project: Project, by: User, code: str = Code.AWARDED, params: dict[str, Any] | None = None
) -> Project:
    _move(project, to=Project.Status.AWARDED, by=by, code=code, params=params)
    return project


def reopen_after_award(*, project: Project, by: User, code: str = Code.AWARD_ENDED) -> Project:
    """The award was withdrawn or declined: the project takes bids again."""
    _move(project, to=Project.Status.OPEN, by=by, code=code)
    return project


def mark_in_progress(*, project: Project, by: User, code: str = Code.CONTRACT_CONFIRMED) -> Project:
    _move(project, to=Project.Status.IN_PROGRESS, by=by, code=code)
    return project


def mark_completed(
    *, project: Project, by: User | None, code: str = Code.CONTRACT_COMPLETED
) -> Project:
    """Every milestone of the contract is done (the workspaces app calls this)."""
    _move(project, to=Project.Status.COMPLETED, by=by, code=code)
    return project


def mark_terminated(*, project: Project, by: User | None, note: str = "") -> Project:
    """The client ended the contract in its workspace: the project is cancelled. `note` is the
    reason the client typed, if any."""
    _move(project, to=Project.Status.CANCELLED, by=by, code=Code.CONTRACT_TERMINATED, note=note)
    return project
