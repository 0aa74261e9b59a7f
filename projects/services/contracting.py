"""Status moves the bids app makes on a project: awarded, back to open, in progress.

The caller holds the project row lock (select_for_update) inside its own transaction; each move
checks Project.TRANSITIONS and writes the ProjectStatusChange row like every other move.
"""

from __future__ import annotations

from accounts.models import User
from projects.models import Project
from projects.services.lifecycle import _move


def mark_awarded(*, project: Project, by: User, note: str = "") -> Project:
    _move(project, to=Project.Status.AWARDED, by=by, note=note or "Awarded")
    return project


def reopen_after_award(*, project: Project, by: User, note: str = "") -> Project:
    """The award was withdrawn or declined: the project takes bids again."""
    _move(project, to=Project.Status.OPEN, by=by, note=note or "Award ended")
    return project


def mark_in_progress(*, project: Project, by: User, note: str = "") -> Project:
    _move(project, to=Project.Status.IN_PROGRESS, by=by, note=note or "Contract confirmed")
    return project


def mark_completed(*, project: Project, by: User | None, note: str = "") -> Project:
    """Every milestone of the contract is done (the workspaces app calls this)."""
    _move(project, to=Project.Status.COMPLETED, by=by, note=note or "Contract completed")
    return project


def mark_terminated(*, project: Project, by: User | None, note: str = "") -> Project:
    """The client ended the contract in its workspace: the project is cancelled."""
    _move(project, to=Project.Status.CANCELLED, by=by, note=note or "Contract terminated")
    return project
