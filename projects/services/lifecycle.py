"""Writes on a project's post and lifecycle: draft, edit, publish, moderate, close, invite, files.

Each function is one transaction with its permission check inside; status changes lock the row,
check TRANSITIONS and leave a ProjectStatusChange; people are told after commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from projects.exceptions import (
    AlreadyInvited,
    AttachmentRefused,
    InvalidTransition,
    NotAllowed,
    ProjectInvalid,
)
from projects.models import (
    BudgetType,
    Invitation,
    ModerationDecision,
    Project,
    ProjectAttachment,
    ProjectStatusChange,
)
from projects.notify import tell, tell_staff
from projects.search import PROJECTS, forget_search_results
from projects.selectors import bidders_of, publish_refusal

# Fields the owner sets on the post (visibility is changed by the paid Make Private upgrade).
Code = ProjectStatusChange.Code

POST_FIELDS = (
    "title",
    "description",
    "category",
    "expertise_level",
    "budget_type",
    "budget_min",
    "budget_max",
    "deadline",
    "start_date",
    "end_date",
    "location_type",
    "country",
    "city",
    "restricted_to_businesses",
    "additional_qc",
    "managed",
    "payment_model",
    "nda_required",
    "public_summary",
    "template",
)


def validate_post(values: Mapping[str, Any], *, today: date | None = None) -> dict[str, str]:
    """The rules a post must meet before it is saved; field name -> message."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = "Give the project a title."
    if not str(values.get("description") or "").strip():
        errors["description"] = "Describe the work."
    if not values.get("category"):
        errors["category"] = "Choose a category."
    if not list(values.get("skills") or []):
        errors["skills"] = "Choose at least one skill."
    budget_min = values.get("budget_min")
    budget_max = values.get("budget_max")
    if not budget_min or budget_min <= 0:
        errors["budget_min"] = "Enter a budget above zero."
    elif values.get("budget_type") == BudgetType.RANGE:
        if not budget_max:
            errors["budget_max"] = "Enter the top of the range."
        elif budget_min > budget_max:
            errors["budget_max"] = "The maximum must be at least the minimum."
    deadline = values.get("deadline")
    if deadline and deadline < today:
        errors["deadline"] = "The deadline cannot be in the past."
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        errors["end_date"] = "The end date must be on or after the start date."
    # Open bidding: experts who have not accepted the NDA read only the public summary (invited
    # kinds are private; the invited expert accepts the NDA with the project).
    open_bidding = values.get("kind", Project.Kind.OPEN) == Project.Kind.OPEN
    summary = str(values.get("public_summary") or "").strip()
    if values.get("nda_required") and open_bidding and not summary:
        errors["public_summary"] = (
            "Write the public summary experts read before they accept the NDA: what kind of "
            "work it is, without confidential details."
        )
    if values.get("location_type") == Project.Location.ONSITE:
        if not str(values.get("country") or "").strip():
            errors["country"] = "On-site work needs a country."
        if not str(values.get("city") or "").strip():
            errors["city"] = "On-site work needs a city."
    return errors


def _apply_values(project: Project, values: Mapping[str, Any]) -> None:
    for field in POST_FIELDS:
        if field in values:
            setattr(project, field, values[field])
    project.title = project.title.strip()
    project.public_summary = project.public_summary.strip()
    if project.budget_type == BudgetType.FIXED:
        project.budget_max = project.budget_min
    if project.location_type == Project.Location.REMOTE:
        project.city = ""


# Find a Project's stored vector: title A, skill names B, description C (for an NDA project the
# public summary: the confidential text is never searchable), and the filter tokens
# of Project.search_vector ("#c<category>", "#s<skill>", "#l<language>", "#d<day>", "#m<month>"
# of publication, UTC) that projects.search queries together with the words.
SEARCH_VECTOR_SQL = """
UPDATE projects_project AS p
SET search_vector =
    setweight(to_tsvector('english'::regconfig, COALESCE(p.title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig, COALESCE((
        SELECT string_agg(sk.name, ' ' ORDER BY sk.name)
        FROM projects_project_skills ps JOIN accounts_skill sk ON sk.id = ps.skill_id
        WHERE ps.project_id = p.id), '')), 'B')
    || setweight(to_tsvector('english'::regconfig, COALESCE(
        CASE WHEN p.nda_required THEN p.public_summary ELSE p.description END, '')), 'C')
    || array_to_tsvector(
        ARRAY['#c' || p.category_id]
        || ARRAY(SELECT '#s' || ps.skill_id FROM projects_project_skills ps
                 WHERE ps.project_id = p.id)
        || ARRAY(SELECT '#l' || pl.language_id FROM projects_project_languages pl
                 WHERE pl.project_id = p.id)
        || CASE WHEN p.published_at IS NULL THEN ARRAY[]::text[] ELSE ARRAY[
            '#d' || to_char(p.published_at AT TIME ZONE 'UTC', 'YYYYMMDD'),
            '#m' || to_char(p.published_at AT TIME ZONE 'UTC', 'YYYYMM')] END)
{where}
"""


def refresh_search_vectors(*, project_ids: Iterable[int] | None = None) -> int:
    """Recompute the stored vectors of these projects (all when None); PostgreSQL only."""
    if connection.vendor != "postgresql":
        return 0  # the SQLite default searches with icontains and joins instead
    ids = None if project_ids is None else [int(pk) for pk in project_ids]
    where, params = ("", []) if ids is None else ("WHERE p.id = ANY(%s)", [ids])
    with connection.cursor() as cursor:
        cursor.execute(SEARCH_VECTOR_SQL.format(where=where), params)
        changed = cursor.rowcount
    forget_search_results(PROJECTS)
    return changed


def refresh_search_vector(project: Project) -> None:
    refresh_search_vectors(project_ids=[project.pk])


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().get(pk=project.pk)


def _is_owner_or_staff(project: Project, user: User) -> bool:
    return user.is_staff or project.owner_id == user.pk


def _move(
    project: Project,
    *,
    to: str,
    by: User | None,
    code: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """Change status on a locked row, checking the map and writing the history row (a
    ProjectStatusChange.Code and its params; `note` only for what a person typed)."""
    if not project.can_move_to(to):
        raise InvalidTransition(
            _("This project is {lower}; it cannot become {lower2}.").format(
                lower=project.get_status_display().lower(), lower2=Project.Status(to).label.lower()
            )
        )
    from_status = project.status
    project.status = to
    first_publication = to == Project.Status.OPEN and project.published_at is None
    if first_publication:
        project.published_at = timezone.now()
    project.save(update_fields=["status", "published_at", "updated_at"])
    forget_search_results(PROJECTS)
    if first_publication:
        refresh_search_vector(project)  # its day and month tokens
    ProjectStatusChange.objects.create(
        project=project,
        by=by,
        from_status=from_status,
        to_status=to,
        code=code,
        params=params or {},
        note=note,
    )
    from reviews.reputation import refresh_reputation_on_commit  # "projects posted"

    refresh_reputation_on_commit(project.owner_id)


def _after_commit_tell(**kwargs: Any) -> None:
    transaction.on_commit(lambda: tell(**kwargs))


def _url(project: Project) -> str:
    return project.get_absolute_url()


@transaction.atomic
def create_draft(*, by: User, values: Mapping[str, Any]) -> Project:
    """A new post in draft, owned by `by`; skills and languages come in `values` too."""
    if not by.is_authenticated or not by.is_active:
        raise NotAllowed(_("Log in to post a project."))
    errors = validate_post(values)
    if errors:
        raise ProjectInvalid(errors)
    project = Project(owner=by, currency=settings.PLATFORM_CURRENCY)
    _apply_values(project, values)
    project.save()
    project.skills.set(values["skills"])
    project.languages.set(values.get("languages") or [])
    ProjectStatusChange.objects.create(
        project=project,
        by=by,
        from_status="",
        to_status=Project.Status.DRAFT,
        code=ProjectStatusChange.Code.CREATED,
    )
    refresh_search_vector(project)
    return project


@transaction.atomic
def update_project(*, project: Project, by: User, values: Mapping[str, Any]) -> Project:
    """Edit the post; editing an open project tells everyone who has bid on it."""
    project = _lock(project)
    if not _is_owner_or_staff(project, by):
        raise NotAllowed(_("Only the client who posted this project can edit it."))
    if not project.is_editable:
        raise InvalidTransition(
            _("A {lower} project can no longer be edited.").format(
                lower=project.get_status_display().lower()
            )
        )
    merged = {
        **{field: getattr(project, field) for field in POST_FIELDS},
        "skills": list(project.skills.all()),
        **values,
    }
    errors = validate_post(merged)
    if errors:
        raise ProjectInvalid(errors)
    _apply_values(project, values)
    project.save()
    if "skills" in values:
        project.skills.set(values["skills"])
    if "languages" in values:
        project.languages.set(values["languages"] or [])
    refresh_search_vector(project)
    if project.status == Project.Status.OPEN:
        for bidder in bidders_of(project):
            _after_commit_tell(
                user=bidder,
                kind="projects.project_edited",
                title=format_lazy(gettext_lazy("“{title}” was edited"), title=project.title),
                body=gettext_lazy(
                    "The client changed the project you bid on. Check your bid still fits."
                ),
                url=_url(project),
                target=project,
            )
    if by.pk != project.owner_id:
        _after_commit_tell(
            user=project.owner,
            kind="projects.project_edited_by_staff",
            title=format_lazy(gettext_lazy("Staff edited “{title}”"), title=project.title),
            url=_url(project),
            target=project,
        )
    return project


def needs_moderation(project: Project) -> bool:
    """Hub posts (Managed, NDA, Additional Quality Control) always wait for staff, whatever
    PROJECT_MODERATION says; the setting governs ordinary posts."""
    if project.is_hub:
        return True
    rule = settings.PROJECT_MODERATION
    if rule == "all":
        return True
    if rule == "categories":
        return project.category.slug in set(settings.PROJECT_MODERATION_CATEGORIES)
    if rule == "unverified":
        return not client_is_verified(project.owner)
    return False


def client_is_verified(user: User) -> bool:
    """A client counts as verified when accounts says so (a verified company or identity)."""
    flag = getattr(user, "is_verified", None)
    if flag is None:
        profile = getattr(user, "company_profile", None)
        flag = getattr(profile, "is_verified", False)
    return bool(flag)


@transaction.atomic
def publish_project(*, project: Project, by: User) -> Project:
    """Draft -> open, or -> pending approval when the moderation setting applies."""
    project = _lock(project)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who posted this project can publish it."))
    if project.status != Project.Status.DRAFT:
        raise InvalidTransition(_("This project has already been submitted."))
    if refusal := publish_refusal(by):
        raise NotAllowed(refusal)
    errors = validate_post(
        {
            **{field: getattr(project, field) for field in POST_FIELDS},
            "skills": list(project.skills.all()),
        }
    )
    if errors:
        raise ProjectInvalid(errors)
    if needs_moderation(project):
        _move(project, to=Project.Status.PENDING, by=by, code=Code.SUBMITTED)
        transaction.on_commit(
            lambda: tell_staff(
                kind="projects.moderation_needed",
                title=format_lazy(
                    gettext_lazy("Project to review: “{title}”"), title=project.title
                ),
                url=reverse("admin:projects_project_change", args=[project.pk]),
                target=project,
            )
        )
        _after_commit_tell(
            user=project.owner,
            kind="projects.project_submitted",
            title=format_lazy(
                gettext_lazy("“{title}” is waiting for approval"), title=project.title
            ),
            body=gettext_lazy("Our staff review new posts; you will hear from us shortly."),
            url=_url(project),
            target=project,
        )
    else:
        _move(project, to=Project.Status.OPEN, by=by, code=Code.PUBLISHED)
    return project


def _require_staff(by: User) -> None:
    if not by.is_staff:
        raise NotAllowed(_("Only staff can moderate projects."))


@transaction.atomic
def approve_project(*, project: Project, by: User, note: str = "") -> Project:
    _require_staff(by)
    project = _lock(project)
    _move(project, to=Project.Status.OPEN, by=by, code=Code.APPROVED, note=note.strip())
    ModerationDecision.objects.create(
        project=project, by=by, decision=ModerationDecision.Decision.APPROVE, note=note
    )
    _after_commit_tell(
        user=project.owner,
        kind="projects.approved",
        title=format_lazy(gettext_lazy("“{title}” is live"), title=project.title),
        body=gettext_lazy("Your project was approved and experts can now find it and bid."),
        url=_url(project),
        target=project,
    )
    return project


@transaction.atomic
def reject_project(*, project: Project, by: User, reason: str) -> Project:
    _require_staff(by)
    if not reason.strip():
        raise ProjectInvalid({"reason": _("Give the client a reason.")})
    project = _lock(project)
    _move(project, to=Project.Status.REJECTED, by=by, code=Code.REJECTED, note=reason)
    ModerationDecision.objects.create(
        project=project, by=by, decision=ModerationDecision.Decision.REJECT, note=reason
    )
    _after_commit_tell(
        user=project.owner,
        kind="projects.rejected",
        title=format_lazy(gettext_lazy("“{title}” was not approved"), title=project.title),
        body=reason,
        url=_url(project),
        target=project,
    )
    return project


@transaction.atomic
def request_clarification(*, project: Project, by: User, note: str) -> Project:
    _require_staff(by)
    if not note.strip():
        raise ProjectInvalid({"note": _("Say what the client should clarify.")})
    project = _lock(project)
    _move(project, to=Project.Status.CLARIFICATION, by=by, code=Code.CLARIFICATION, note=note)
    ModerationDecision.objects.create(
        project=project, by=by, decision=ModerationDecision.Decision.CLARIFY, note=note
    )
    _after_commit_tell(
        user=project.owner,
        kind="projects.clarification_requested",
        title=format_lazy(gettext_lazy("Please clarify “{title}”"), title=project.title),
        body=note,
        url=_url(project),
        target=project,
    )
    return project


@transaction.atomic
def resubmit_project(*, project: Project, by: User) -> Project:
    project = _lock(project)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who posted this project can resubmit it."))
    _move(project, to=Project.Status.PENDING, by=by, code=Code.RESUBMITTED)
    transaction.on_commit(
        lambda: tell_staff(
            kind="projects.moderation_needed",
            title=format_lazy(gettext_lazy("Project resubmitted: “{title}”"), title=project.title),
            url=reverse("admin:projects_project_change", args=[project.pk]),
            target=project,
        )
    )
    return project


@transaction.atomic
def close_project(*, project: Project, by: User) -> Project:
    """The client stops taking bids on an open project."""
    project = _lock(project)
    if not _is_owner_or_staff(project, by):
        raise NotAllowed(_("Only the client who posted this project can close it."))
    _move(project, to=Project.Status.CLOSED, by=by, code=Code.CLOSED)
    for bidder in bidders_of(project):
        _after_commit_tell(
            user=bidder,
            kind="projects.project_closed",
            title=format_lazy(gettext_lazy("“{title}” was closed"), title=project.title),
            url=_url(project),
            target=project,
        )
    return project


@transaction.atomic
def cancel_project(*, project: Project, by: User, reason: str = "") -> Project:
    project = _lock(project)
    if not _is_owner_or_staff(project, by):
        raise NotAllowed(_("Only the client who posted this project can cancel it."))
    _move(project, to=Project.Status.CANCELLED, by=by, code=Code.CANCELLED, note=reason)
    for bidder in bidders_of(project):
        _after_commit_tell(
            user=bidder,
            kind="projects.project_cancelled",
            title=format_lazy(gettext_lazy("“{title}” was cancelled"), title=project.title),
            body=reason,
            url=_url(project),
            target=project,
        )
    return project


@transaction.atomic
def invite_expert(*, project: Project, expert: User, by: User) -> Invitation:
    """Ask an expert to bid; an invited expert can see the project even when it is private."""
    project = _lock(project)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who posted this project can invite experts."))
    if project.status not in {Project.Status.OPEN, Project.Status.PENDING}:
        raise InvalidTransition(_("Invite experts to an open project."))
    if not expert.is_expert or not expert.is_active:
        raise NotAllowed(
            _("{display_name} does not take projects.").format(display_name=expert.display_name)
        )
    if expert.pk == by.pk:
        raise NotAllowed(_("You cannot invite yourself."))
    if project.restricted_to_businesses and not expert.is_company:
        raise NotAllowed(_("This project is restricted to businesses; invite a company."))
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(project=project, expert=expert, invited_by=by)
    except IntegrityError:
        raise AlreadyInvited(
            _("%(name)s is already invited.") % {"name": expert.display_name}
        ) from None
    _after_commit_tell(
        user=expert,
        kind="projects.invited",
        title=format_lazy(
            gettext_lazy("{name} invited you to bid on “{title}”"),
            name=by.display_name,
            title=project.title,
        ),
        url=_url(project),
        target=project,
    )
    return invitation


@transaction.atomic
def add_attachment(*, project: Project, by: User, file: UploadedFile) -> ProjectAttachment:
    project = _lock(project)
    if not _is_owner_or_staff(project, by):
        raise NotAllowed(_("Only the client who posted this project can add documents."))
    if not project.is_editable:
        raise InvalidTransition(_("Documents can only be added while the project can be edited."))
    limit = settings.MAX_DOCUMENT_SIZE
    if file.size is None or file.size > limit:
        raise AttachmentRefused(
            _("“{name}” is larger than {filesizeformat}; attach a smaller file.").format(
                name=file.name, filesizeformat=filesizeformat(limit)
            )
        )
    if project.attachments.count() >= ProjectAttachment.MAX_PER_PROJECT:
        raise AttachmentRefused(
            _("A project can have at most {MAX_PER_PROJECT} documents.").format(
                MAX_PER_PROJECT=ProjectAttachment.MAX_PER_PROJECT
            )
        )
    name = (file.name or "document")[-200:]
    return ProjectAttachment.objects.create(
        project=project, file=file, name=name, size=file.size, uploaded_by=by
    )


@transaction.atomic
def remove_attachment(*, attachment: ProjectAttachment, by: User) -> None:
    project = _lock(attachment.project)
    if not _is_owner_or_staff(project, by):
        raise NotAllowed(_("Only the client who posted this project can remove documents."))
    if not project.is_editable:
        raise InvalidTransition(_("Documents can only be removed while the project can be edited."))
    stored = attachment.file.name or ""
    storage = attachment.file.storage
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored))
