"""Reads that pages share: public profiles, the skill picker, the taxonomy, permission-checked
documents."""

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
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
    SkillCategory,
    User,
)

type Choices = list[tuple[Any, Any]]
type Pairs = tuple[tuple[int, str], ...]

TAXONOMY_CACHE_KEY = "accounts:taxonomy:1"
# Staff edits reach every process at once through accounts.apps (it forgets the cached copy); the
# timeout bounds what a bulk update that sends no signal can leave stale.
TAXONOMY_CACHE_SECONDS = 300


@dataclass(frozen=True)
class Taxonomy:
    """Categories, skills and languages as (id, name) pairs, in their display order: the choices
    of the search forms and the labels of result cards, with no query per page."""

    categories: Pairs
    skills: Pairs
    languages: Pairs
    category_names: dict[int, str] = field(init=False, compare=False)
    skill_names: dict[int, str] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "category_names", dict(self.categories))
        object.__setattr__(self, "skill_names", dict(self.skills))


def taxonomy() -> Taxonomy:
    """The taxonomy from the cache, loaded once per change (three small queries)."""
    found = cache.get(TAXONOMY_CACHE_KEY)
    if not isinstance(found, Taxonomy):
        found = Taxonomy(
            categories=tuple(SkillCategory.objects.values_list("pk", "name")),
            skills=tuple(Skill.objects.values_list("pk", "name")),
            languages=tuple(Language.objects.values_list("pk", "name")),
        )
        cache.set(TAXONOMY_CACHE_KEY, found, TAXONOMY_CACHE_SECONDS)
    return found


def forget_taxonomy(**_: object) -> None:
    cache.delete(TAXONOMY_CACHE_KEY)


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
