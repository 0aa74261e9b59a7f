"""Requests for a skill, category or job type missing from the lists: a member files one from
the place the choice was missing; staff accept (the item is created, or an existing one with
that name reused, and put on the requester's profile, post or listing) or refuse with a reason.
Every write is one transaction with its permission check inside; people are told after commit."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.exceptions import AccountsError, IllegalTransitionError, ReasonRequiredError
from accounts.models import (
    ExpertProfile,
    ExpertSkill,
    ServiceListing,
    Skill,
    SkillCategory,
    TaxonomyRequest,
    User,
)
from notifications.services import notify


class TaxonomyRequestInvalid(AccountsError):  # noqa: N818 -- reads like ProjectInvalid  # noqa: N818 -- reads like ProjectInvalid
    """The request is incomplete; errors maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def _back_url(request: TaxonomyRequest) -> str:
    if request.project_id:
        return reverse("projects:edit", args=[request.project_id])
    if request.listing_id:
        return reverse("bookings:listing_edit", args=[request.listing_id])
    return reverse("accounts:expert_edit")


@transaction.atomic
def request_taxonomy_item(
    *,
    by: User,
    kind: str,
    name: str,
    category: SkillCategory | None = None,
    note: str = "",
    project_id: int | None = None,
    listing: ServiceListing | None = None,
) -> TaxonomyRequest:
    """File a request; the project or listing, when given, must be the requester's own."""
    from projects.models import Project

    name = " ".join((name or "").split())
    errors: dict[str, str] = {}
    if kind not in TaxonomyRequest.Kind.values:
        errors["kind"] = "Choose a skill, or a category or job type."
    if not name:
        errors["name"] = "Name what is missing."
    elif len(name) > 80:
        errors["name"] = "Keep the name under 80 characters."
    if kind == TaxonomyRequest.Kind.SKILL and category is None:
        errors["category"] = "Choose the category the skill belongs to."
    if errors:
        raise TaxonomyRequestInvalid(errors)
    project = None
    if project_id is not None:
        project = Project.objects.filter(pk=project_id, owner=by).first()
        if project is None:
            raise TaxonomyRequestInvalid({"name": _("That project is not yours.")})
    if listing is not None and listing.expert_id != by.pk:
        raise TaxonomyRequestInvalid({"name": _("That service listing is not yours.")})
    request = TaxonomyRequest.objects.create(
        requester=by,
        kind=kind,
        name=name,
        category=category if kind == TaxonomyRequest.Kind.SKILL else None,
        note=note.strip(),
        project=project,
        listing=listing,
    )
    transaction.on_commit(lambda: _tell_staff(request))
    return request


def _tell_staff(request: TaxonomyRequest) -> None:
    url = reverse("admin:accounts_taxonomyrequest_change", args=[request.pk])
    for person in User.objects.filter(is_staff=True, is_active=True).order_by("pk")[:20]:
        notify(
            user=person,
            kind="accounts.taxonomy_requested",
            title=format_lazy(
                gettext_lazy("{kind} requested: “{name}”"),
                kind=request.get_kind_display(),
                name=request.name,
            ),
            body=request.note,
            url=url,
            target=request,
        )


def _lock_pending(request: TaxonomyRequest) -> TaxonomyRequest:
    locked = TaxonomyRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != TaxonomyRequest.Status.PENDING:
        raise IllegalTransitionError(
            _("This request is already {status}.").format(status=locked.get_status_display())
        )
    return locked


def _unique_slug(model: type[Skill] | type[SkillCategory], name: str) -> str:
    base = slugify(name)[:70] or "item"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _named(name: str) -> Q:
    """The entry asked for by its English or its German name."""
    return Q(name__iexact=name) | Q(name_de__iexact=name)


def _skill(name: str, category: SkillCategory) -> Skill:
    existing = Skill.objects.filter(_named(name)).first()
    if existing is not None:
        return existing
    return Skill.objects.create(name=name, category=category, slug=_unique_slug(Skill, name))


def _category(name: str) -> SkillCategory:
    existing = SkillCategory.objects.filter(_named(name)).first()
    if existing is not None:
        return existing
    return SkillCategory.objects.create(
        name=name, slug=_unique_slug(SkillCategory, name), position=100
    )


def _put_in_place(request: TaxonomyRequest) -> str:
    """Put the new item where it was missing; returns where, for the notification."""
    from projects.models import Project
    from projects.services import refresh_search_vector

    skill, category = request.created_skill, request.created_category
    if request.project_id:
        project = Project.objects.select_for_update().get(pk=request.project_id)
        if not project.is_editable:
            return "Add it to your project from its edit page."
        if skill is not None:
            project.skills.add(skill)
        elif category is not None:
            project.category = category
            project.save(update_fields=["category", "updated_at"])
        refresh_search_vector(project)
        return f"It is already on your project “{project.title}”."
    if request.listing_id:
        listing = ServiceListing.objects.select_for_update().get(pk=request.listing_id)
        if skill is not None:
            listing.skills.add(skill)
        elif category is not None:
            listing.category = category
            listing.save(update_fields=["category", "updated_at"])
        return f"It is already on your service “{listing.title}”."
    if skill is not None:
        profile, _unused = ExpertProfile.objects.get_or_create(user=request.requester)
        ExpertSkill.objects.get_or_create(profile=profile, skill=skill)
        return "It is already on your profile: set your level and years there."
    return "You can choose it now."


@transaction.atomic
def accept_taxonomy_request(*, request: TaxonomyRequest, by: User) -> TaxonomyRequest:
    """Create the item (or reuse the one with that name), put it in place, tell the requester."""
    if not (by.is_active and by.is_staff):
        raise IllegalTransitionError(_("Only staff decide these requests."))
    request = _lock_pending(request)
    if request.kind == TaxonomyRequest.Kind.SKILL:
        category = request.category or SkillCategory.objects.order_by("position", "pk").first()
        if category is None:
            raise IllegalTransitionError(_("Create a category first: the skill needs one."))
        request.created_skill = _skill(request.name, category)
    else:
        request.created_category = _category(request.name)
    _decide(request, by=by, status=TaxonomyRequest.Status.ACCEPTED)
    _tell_requester(
        request,
        title=format_lazy(gettext_lazy("“{name}” was added"), name=request.name),
        body=_put_in_place(request),
    )
    return request


def _decide(request: TaxonomyRequest, *, by: User, status: str, reason: str = "") -> None:
    request.status = status
    request.refusal_reason = reason
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save()


def _tell_requester(request: TaxonomyRequest, *, title: Any, body: Any) -> None:
    transaction.on_commit(
        lambda: notify(
            user=request.requester,
            kind="accounts.taxonomy_request_decided",
            title=title,
            body=body,
            url=_back_url(request),
            target=request,
        )
    )


@transaction.atomic
def refuse_taxonomy_request(*, request: TaxonomyRequest, by: User, reason: str) -> TaxonomyRequest:
    if not (by.is_active and by.is_staff):
        raise IllegalTransitionError(_("Only staff decide these requests."))
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequiredError(_("Give the requester a reason."))
    request = _lock_pending(request)
    _decide(request, by=by, status=TaxonomyRequest.Status.REFUSED, reason=reason)
    _tell_requester(
        request,
        title=format_lazy(gettext_lazy("“{name}” was not added"), name=request.name),
        body=reason,
    )
    return request
