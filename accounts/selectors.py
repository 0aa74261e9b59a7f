"""Reads that pages share: public profiles, the skill picker, permission-checked documents."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import (
    CompanyDocument,
    CompanyProfile,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    Language,
    Skill,
    User,
)

type Choices = list[tuple[Any, Any]]


def public_expert_profile(*, pk: int) -> ExpertProfile:
    """An expert's profile with everything its public page shows, in a fixed number of queries."""
    queryset = ExpertProfile.objects.select_related(
        "user", "user__company_profile", "user__reputation"
    ).prefetch_related(
        Prefetch(
            "skills",
            queryset=ExpertSkill.objects.select_related("skill").order_by("-years", "skill__name"),
        ),
        Prefetch("languages", queryset=ExpertLanguage.objects.select_related("language")),
        "qualifications",
        "experiences",
        "portfolio",
    )
    try:
        return queryset.get(pk=pk, user__is_active=True, user__is_expert=True)
    except ExpertProfile.DoesNotExist:
        raise Http404("No such expert.") from None


def public_company_profile(*, pk: int) -> CompanyProfile:
    queryset = CompanyProfile.objects.select_related("user", "user__expert_profile")
    try:
        return queryset.get(pk=pk, user__is_active=True)
    except CompanyProfile.DoesNotExist:
        raise Http404("No such company.") from None


def company_of(user: User) -> CompanyProfile | None:
    try:
        return user.company_profile
    except CompanyProfile.DoesNotExist:
        return None


def document_for(*, user: User, pk: int) -> CompanyDocument:
    """A company document its owner or staff may download; anyone else gets a 404."""
    try:
        document = CompanyDocument.objects.select_related("company").get(pk=pk)
    except CompanyDocument.DoesNotExist:
        raise Http404("No such document.") from None
    if not user.is_authenticated or not (
        (user.is_staff and user.is_active) or document.company.user_id == user.pk
    ):
        raise Http404("No such document.")
    return document


def search_skills(*, query: str, limit: int = 30) -> QuerySet[Skill]:
    query = query.strip()[:80]
    skills = Skill.objects.select_related("category").order_by("category__position", "name")
    if query:
        skills = skills.filter(name__icontains=query)
    return skills[:limit]


def grouped_skill_choices(skills: QuerySet[Skill] | None = None) -> Choices:
    """Skills as <optgroup>s by category, for a select that needs no query per row."""
    groups: dict[str, list[tuple[int, str]]] = {}
    if skills is None:
        skills = Skill.objects.select_related("category").order_by("category__position", "name")
    for skill in skills:
        groups.setdefault(skill.category.name, []).append((skill.pk, skill.name))
    return list(groups.items())


def language_choices() -> Choices:
    return [(language.pk, language.name) for language in Language.objects.all()]
