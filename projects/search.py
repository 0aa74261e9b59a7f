"""Find a Project, Find a Freelancer and suggested experts (read-only selectors).

PostgreSQL: websearch queries ranked over the stored, weighted vector. SQLite (the embedded
default): a plain icontains search. Pages fetch one row more than they show to know whether a
next page exists, so no COUNT(*) runs over the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.utils import timezone

from accounts.models import ExpertLanguage, ExpertProfile, ExpertSkill, User
from projects.models import Project

PAGE_SIZE = 20
FEATURED_PER_PAGE = 3
MAX_PAGE = 500
SEARCH_CONFIG = "english"


@dataclass
class ResultPage:
    items: list[Any]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def _paginate(queryset: QuerySet[Any], page: int) -> ResultPage:
    page = min(max(page, 1), MAX_PAGE)
    offset = (page - 1) * PAGE_SIZE
    rows = list(queryset[offset : offset + PAGE_SIZE + 1])
    return ResultPage(items=rows[:PAGE_SIZE], number=page, has_next=len(rows) > PAGE_SIZE)


def expert_skill_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return list(
        ExpertSkill.objects.filter(profile__user=user.pk).values_list("skill_id", flat=True)
    )


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


@dataclass
class ProjectQuery:
    q: str = ""
    category_id: int | None = None
    skill_ids: list[int] = field(default_factory=list)
    budget_min: int | None = None
    budget_max: int | None = None
    language_id: int | None = None
    location: str = ""
    country: str = ""
    posted_within_days: int | None = None
    companies_only: bool = False
    mine: bool = False
    sort: str = "best"


def search_projects(
    *, query: ProjectQuery, viewer: User | AnonymousUser, page: int = 1
) -> ResultPage:
    """Open public projects matching the query; featured first, then the chosen order."""
    now = timezone.now()
    projects = Project.objects.filter(
        status=Project.Status.OPEN, visibility=Project.Visibility.PUBLIC
    )
    my_skills = expert_skill_ids(viewer) if (query.mine or query.sort == "best") else []
    skill_ids = list(query.skill_ids)
    if query.mine:
        skill_ids = sorted(set(skill_ids) | set(my_skills)) or [0]
    if skill_ids:
        projects = projects.filter(
            Exists(
                Project.skills.through.objects.filter(
                    project_id=OuterRef("pk"), skill_id__in=skill_ids
                )
            )
        )
    if query.category_id:
        projects = projects.filter(category_id=query.category_id)
    if query.budget_min is not None:
        projects = projects.filter(budget_max__gte=query.budget_min)
    if query.budget_max is not None:
        projects = projects.filter(budget_min__lte=query.budget_max)
    if query.language_id:
        projects = projects.filter(
            Exists(
                Project.languages.through.objects.filter(
                    project_id=OuterRef("pk"), language_id=query.language_id
                )
            )
        )
    if query.location in Project.Location.values:
        projects = projects.filter(location_type=query.location)
    if query.country:
        projects = projects.filter(country=query.country)
    if query.posted_within_days:
        projects = projects.filter(published_at__gte=now - timedelta(days=query.posted_within_days))
    if query.companies_only:
        projects = projects.filter(owner__account_type=User.AccountType.COMPANY)

    ranked = False
    if query.q:
        if _on_postgres():
            text = SearchQuery(query.q, search_type="websearch", config=SEARCH_CONFIG)
            projects = projects.filter(search_vector=text).annotate(
                rank=SearchRank(F("search_vector"), text)
            )
            ranked = True
        else:
            projects = projects.filter(
                Q(title__icontains=query.q)
                | Q(description__icontains=query.q)
                | Q(skills__name__icontains=query.q)
            ).distinct()

    order: list[Any]
    if query.sort == "newest":
        order = ["-published_at"]
    elif query.sort == "budget_high":
        order = ["-budget_max", "-published_at"]
    elif query.sort == "budget_low":
        order = ["budget_min", "-published_at"]
    elif query.sort == "fewest_bids":
        order = ["bid_count", "-published_at"]
    else:  # best match: my skills overlap, then text rank, then newest
        order = []
        if my_skills:
            projects = projects.annotate(
                skill_match=Count(
                    "skills", filter=Q(skills__in=my_skills), output_field=IntegerField()
                )
            )
            order.append("-skill_match")
        if ranked:
            order.append(F("rank").desc())
        order += ["-published_at"]
    projects = (
        projects.order_by(*order, "-id")
        .select_related("owner", "category")
        .defer("description", "search_vector", "owner__password")
    )
    return _featured_first(projects, page=page, now=now)


def _featured_first(projects: QuerySet[Project], *, page: int, now: Any) -> ResultPage:
    """Each page opens with its share of the featured matches, then the regular ones.

    Two small queries instead of one sorted on "is featured": the regular list keeps an order an
    index can serve (see Project.Meta.indexes), and every featured project is still reachable.
    """
    page = min(max(page, 1), MAX_PAGE)
    running = Q(featured_until__gt=now)
    start = (page - 1) * FEATURED_PER_PAGE
    featured = list(projects.filter(running)[start : start + FEATURED_PER_PAGE + 1])
    offset = (page - 1) * PAGE_SIZE
    regular = list(projects.exclude(running)[offset : offset + PAGE_SIZE + 1])
    shown_featured = featured[:FEATURED_PER_PAGE]
    for project in shown_featured:
        project.featured = True  # type: ignore[attr-defined]
    for project in regular:
        project.featured = False  # type: ignore[attr-defined]
    items = shown_featured + regular[:PAGE_SIZE]
    prefetch_related_objects(items, "skills")
    has_next = len(featured) > FEATURED_PER_PAGE or len(regular) > PAGE_SIZE
    return ResultPage(items=items, number=page, has_next=has_next)


@dataclass
class ExpertQuery:
    q: str = ""
    skill_ids: list[int] = field(default_factory=list)
    min_rating: float | None = None
    rate_min: int | None = None
    rate_max: int | None = None
    language_id: int | None = None
    country: str = ""
    kind: str = ""
    verified: bool = False


def _rating_field() -> str | None:
    """The average rating, kept by the reviews app (reviews.Reputation), annotated as "rating"."""
    return "rating"


def _with_rating(experts: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    return experts.annotate(
        rating=F("user__reputation__rating_avg"),
        rating_count=F("user__reputation__rating_count"),
    )


def search_experts(*, query: ExpertQuery, page: int = 1) -> ResultPage:
    experts = _with_rating(ExpertProfile.objects.filter(user__is_active=True, user__is_expert=True))
    if query.skill_ids:
        experts = experts.filter(
            Exists(ExpertSkill.objects.filter(profile=OuterRef("pk"), skill_id__in=query.skill_ids))
        )
    if query.min_rating:
        rating = _rating_field()
        experts = (
            experts.filter(**{f"{rating}__gte": query.min_rating}) if rating else experts.none()
        )
    if query.rate_min is not None:
        experts = experts.filter(hourly_rate__gte=query.rate_min)
    if query.rate_max is not None:
        experts = experts.filter(hourly_rate__lte=query.rate_max)
    if query.language_id:
        experts = experts.filter(
            Exists(
                ExpertLanguage.objects.filter(profile=OuterRef("pk"), language_id=query.language_id)
            )
        )
    if query.country:
        experts = experts.filter(country=query.country)
    if query.kind in User.AccountType.values:
        experts = experts.filter(user__account_type=query.kind)
    if query.verified:
        experts = experts.filter(user__company_profile__verification_status="verified")
    order: list[Any] = []
    if query.q:
        skill_hit = Exists(
            ExpertSkill.objects.filter(profile=OuterRef("pk"), skill__name__icontains=query.q)
        )
        if _on_postgres():
            # The stored vector (headline A, skills B, bio C), kept by refresh_expert_index.
            text = SearchQuery(query.q, search_type="websearch", config=SEARCH_CONFIG)
            experts = experts.filter(search_index__vector=text).annotate(
                rank=SearchRank(F("search_index__vector"), text)
            )
            order.append(F("rank").desc())
        else:
            experts = experts.filter(
                Q(headline__icontains=query.q) | Q(bio__icontains=query.q) | skill_hit
            )
    order.append(F("rating").desc(nulls_last=True))  # better rated first, unrated last
    experts = (
        experts.order_by(*order, "-pk")
        .select_related("user", "user__company_profile")
        .prefetch_related(
            Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill")),
        )
        .defer("bio")
    )
    return _paginate(experts, page)


@dataclass
class Suggestion:
    profile: ExpertProfile
    score: int
    reasons: list[str]


def suggested_experts(*, project: Project, limit: int = 5) -> list[Suggestion]:
    """Experts ranked by an explainable score out of 100, with the reasons shown."""
    from marketplace.money import format_money

    wanted = set(project.skills.values_list("pk", flat=True))
    if not wanted:
        return []
    languages = set(project.languages.values_list("pk", flat=True))
    candidates = _with_rating(
        ExpertProfile.objects.filter(user__is_active=True, user__is_expert=True)
    )
    if project.restricted_to_businesses:
        candidates = candidates.filter(user__account_type=User.AccountType.COMPANY)
    candidates = (
        candidates.exclude(user=project.owner_id)
        .filter(Exists(ExpertSkill.objects.filter(profile=OuterRef("pk"), skill__in=wanted)))
        .annotate(overlap=Count("skills", filter=Q(skills__skill__in=wanted), distinct=True))
        .order_by("-overlap", "-updated_at")
        .select_related("user")
        .prefetch_related(
            Prefetch("skills", queryset=ExpertSkill.objects.select_related("skill")),
            "languages",
        )[:50]
    )
    rating_name = _rating_field()
    suggestions: list[Suggestion] = []
    for profile in candidates:
        reasons: list[str] = []
        matched = [s.skill.name for s in profile.skills.all() if s.skill_id in wanted]
        score = round(50 * len(matched) / len(wanted))
        reasons.append(f"Has {len(matched)} of {len(wanted)} skills: {', '.join(matched)}")
        spoken = {language.language_id for language in profile.languages.all()}
        if languages and spoken & languages:
            score += 15
            reasons.append("Speaks a language you asked for")
        elif not languages:
            score += 15
        if profile.hourly_rate:
            hours = project.budget_max // profile.hourly_rate
            if hours >= 10:
                score += 15
                reasons.append(
                    f"Rate {format_money(profile.hourly_rate, profile.currency)}/h fits your "
                    f"budget (about {hours} hours)"
                )
        if project.location_type == Project.Location.REMOTE and profile.remote_ok:
            score += 10
            reasons.append("Works remotely")
        elif (
            project.location_type == Project.Location.ONSITE and profile.country == project.country
        ):
            score += 10
            reasons.append(f"Based in {profile.get_country_display()}")
        rating = getattr(profile, rating_name, None) if rating_name else None
        if rating:
            score += round(10 * float(rating) / 5)
            reasons.append(f"Rated {float(rating):.1f} by clients")
        suggestions.append(Suggestion(profile=profile, score=min(score, 100), reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, -s.profile.pk))
    return suggestions[:limit]
