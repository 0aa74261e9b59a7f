"""The non-disclosure agreement of a project: an expert accepts it before the confidential
details (description, documents, questions) open; recorded once with version, time and IP."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.exceptions import NotAllowed
from projects.models import NdaAcceptance, Project


@transaction.atomic
def accept_nda(*, project: Project, by: User, ip: str | None = None) -> NdaAcceptance:
    """Record that `by` accepted the project's NDA; accepting again keeps the first record."""
    from projects.selectors import visible_projects

    if not by.is_authenticated or not by.is_active:
        raise NotAllowed(_("Log in to accept the non-disclosure agreement."))
    if not project.nda_required:
        raise NotAllowed(_("This project has no non-disclosure agreement to accept."))
    if not (by.is_expert or _reviews_quality(project, by)):
        raise NotAllowed(_("Only experts accept a project's non-disclosure agreement."))
    if project.owner_id == by.pk:
        raise NotAllowed(_("This is your own project: its details are already yours."))
    if not (_reviews_quality(project, by) or visible_projects(by).filter(pk=project.pk).exists()):
        raise NotAllowed(_("This project is not open to you."))
    existing = NdaAcceptance.objects.filter(project=project, user=by).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return NdaAcceptance.objects.create(
                project=project, user=by, version=settings.NDA_VERSION, ip=ip or None
            )
    except IntegrityError:  # a second click that raced the first
        return NdaAcceptance.objects.get(project=project, user=by)


def _reviews_quality(project: Project, user: User) -> bool:
    """The second expert staff assigned to review this project's deliveries."""
    from workspaces.models import Workspace

    return Workspace.objects.filter(contract__project=project, qc_reviewer=user).exists()
