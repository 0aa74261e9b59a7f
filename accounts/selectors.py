"""Reads that pages share: public profiles, the skill picker, the taxonomy, permission-checked
documents."""

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language

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
    in_label_order,
    in_language,
    label_order,
)

type Choices = list[tuple[Any, Any]]
type Pairs = tuple[tuple[int, str], ...]
type Rows = tuple[tuple[int, str, str], ...]

TAXONOMY_CACHE_KEY = "accounts:taxonomy:2"
# Staff edits reach every process at once through accounts.apps (it forgets the cached copy); the
# timeout bounds what a bulk update that sends no signal can leave stale.
TAXONOMY_CACHE_SECONDS = 300


@dataclass(frozen=True)
class _Names:
    """The taxonomy as (id, label) pairs in one language, in that language's display order."""

    categories: Pairs
    skills: Pairs
    languages: Pairs
    category_names: dict[int, str]
    skill_names: dict[int, str]


def _labelled(rows: Rows, language: str) -> Pairs:
    return tuple((pk, in_language(name, name_de, language)) for pk, name, name_de in rows)


def _by_label(pairs: Pairs) -> Pairs:
    return tuple(sorted(pairs, key=lambda pair: label_order(pair[1])))


@dataclass(frozen=True)
class Taxonomy:
    """Categories, skills and languages as (id, English name, German name) rows (categories in
    their staff-set position order): the choices of the search forms and the labels of result
    cards, with no query per page. The pair and name attributes give the reader's language:
    one cached copy serves every language."""

    category_rows: tuple[tuple[int, str, str, int], ...]  # with the position staff set
    skill_rows: Rows
    language_rows: Rows
    _names: dict[str, _Names] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        names: dict[str, _Names] = {}
        position = {pk: place for pk, _name, _name_de, place in self.category_rows}
        for language, _name in settings.LANGUAGES:
            categories = _labelled(tuple(row[:3] for row in self.category_rows), language)
            skills = _by_label(_labelled(self.skill_rows, language))
            names[language] = _Names(
                # In the order staff set; equal positions by the shown name.
                categories=tuple(
                    sorted(categories, key=lambda pair: (position[pair[0]], label_order(pair[1])))
                ),
                skills=skills,
                languages=_by_label(_labelled(self.language_rows, language)),
                category_names=dict(categories),
                skill_names=dict(skills),
            )
        object.__setattr__(self, "_names", names)

    def _active(self) -> _Names:
        code = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self._names.get(code) or self._names[settings.LANGUAGE_CODE]

    @property
    def categories(self) -> Pairs:
        return self._active().categories

    @property
    def skills(self) -> Pairs:
        return self._active().skills

    @property
    def languages(self) -> Pairs:
        return self._active().languages

    @property
    def category_names(self) -> dict[int, str]:
        return self._active().category_names

    @property
    def skill_names(self) -> dict[int, str]:
        return self._active().skill_names


def taxonomy() -> Taxonomy:
    """The taxonomy from the cache, loaded once per change (three small queries)."""
    found = cache.get(TAXONOMY_CACHE_KEY)
    if not isinstance(found, Taxonomy):
        columns = ("pk", "name", "name_de")
        found = Taxonomy(
            category_rows=tuple(SkillCategory.objects.values_list(*columns, "position")),
            skill_rows=tuple(Skill.objects.values_list(*columns)),
            language_rows=tuple(Language.objects.values_list(*columns)),
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
    """Skills whose English or German name contains `query` (people type either)."""
    query = query.strip()[:80]
    skills = Skill.objects.select_related("category").order_by("category__position", "name")
    if query:
        skills = skills.filter(Q(name__icontains=query) | Q(name_de__icontains=query))
    return skills[:limit]


def grouped_skill_choices(skills: QuerySet[Skill] | None = None) -> Choices:
    """Skills as <optgroup>s by category, for a select that needs no query per row; categories in
    staff order, skills alphabetical by the name the reader sees."""
    if skills is None:
        skills = Skill.objects.select_related("category")
    groups: dict[SkillCategory, list[Skill]] = {}
    for skill in skills:
        groups.setdefault(skill.category, []).append(skill)
    ordered = sorted(groups, key=lambda category: (category.position, label_order(category.label)))
    return [
        (category.label, [(skill.pk, skill.label) for skill in in_label_order(groups[category])])
        for category in ordered
    ]


def language_choices() -> Choices:
    return [(language.pk, language.label) for language in in_label_order(Language.objects.all())]
