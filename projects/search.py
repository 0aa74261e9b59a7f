"""Find a Project, Find a Freelancer and suggested experts (read-only selectors).

PostgreSQL: websearch queries ranked over the stored, weighted vectors, which also carry filter
tokens, so one GIN scan answers the words and the filters. SQLite (the embedded default): plain
icontains and joins. Pages fetch one row more than they show to know whether a next page exists,
so no COUNT(*) runs over the whole table, and result pages are cached until a listing changes.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchQueryField, SearchRank
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from accounts.models import (
    CompanyProfile,
    ExpertLanguage,
    ExpertProfile,
    ExpertSkill,
    User,
    display_name,
    place,
)
from accounts.selectors import Taxonomy, taxonomy
from marketplace.money import format_money
from marketplace.sql import CompiledQuery, ShapedQueries
from projects.cards import expert_card_body_html, project_card_html
from projects.models import BudgetType, ListedProject, Project

PAGE_SIZE = 20
FEATURED_PER_PAGE = 3
MAX_PAGE = 500
SEARCH_CONFIG = "english"


@dataclass
class ResultPage:
    items: list[Any]
    number: int
    has_next: bool
    # When the page stops being true by the clock alone (a featured period on it ends).
    stale_at: datetime | None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


# --- Cached pages -------------------------------------------------------------------------------
# A page of results is kept for SEARCH_CACHE_SECONDS under a key naming its query and the current
# generation of its kind. The services start a new generation whenever a listing changes
# (forget_search_results), so a cached page never outlives a publication, an edit, a status
# change or an upgrade, nor the end of a featured period shown on it (ResultPage.stale_at); what
# may lag by up to SEARCH_CACHE_SECONDS is a bid count or a rating shown on a card.
PROJECTS = "projects"
EXPERTS = "experts"


def _generation_key(kind: str) -> str:
    return f"search:{kind}:generation"


def cached_page(kind: str, parts: object, compute: Callable[[], ResultPage]) -> ResultPage:
    seconds = settings.SEARCH_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    generation = cache.get_or_set(_generation_key(kind), time.time_ns, timeout=None)
    # Pages are written in the reader's language (amounts, ages): one copy per language.
    digest = hashlib.sha256(repr((parts, get_language())).encode()).hexdigest()
    key = f"search:{kind}:{generation}:{digest}"
    found = cache.get(key)
    if not isinstance(found, ResultPage):
        found = compute()
        if found.stale_at is not None:
            seconds = min(seconds, int((found.stale_at - timezone.now()).total_seconds()))
        if seconds > 0:
            cache.set(key, found, seconds)
    return found


def forget_search_results(kind: str) -> None:
    """Start a new generation of cached pages: now, and again once the change is committed (a
    page computed meanwhile from the old rows is then never read again)."""

    def renew() -> None:
        cache.set(_generation_key(kind), time.time_ns(), timeout=None)

    renew()
    transaction.on_commit(renew)


# The viewer's skills, most experienced first: asked on every best-match page.
_EXPERT_SKILL_IDS = CompiledQuery(
    lambda user_id: (
        ExpertSkill.objects.filter(profile__user=user_id)
        .order_by("-years", "skill_id")
        .values_list("skill_id")
    )
)


def expert_skill_ids(user: User | AnonymousUser) -> list[int]:
    if not user.is_authenticated:
        return []
    return [skill_id for (skill_id,) in _EXPERT_SKILL_IDS.rows(user.pk)]


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


# What a result card shows; the category and skill names come from the cached taxonomy.
CARD_FIELDS = (
    "pk",
    "title",
    "category_id",
    "budget_type",
    "budget_min",
    "budget_max",
    "currency",
    "location_type",
    "city",
    "restricted_to_businesses",
    "bid_count",
    "published_at",
    "featured_until",
)
# "Posted within" windows up to this many days are matched with day tokens, longer ones with
# month tokens; either way the exact published_at filter decides.
DAY_TOKENS_UP_TO = 7


class TokenQuery(SearchQuery):
    """A tsquery of the filter tokens in Project.search_vector, such as ('#s1' | '#s2') & '#c4',
    combinable with a SearchQuery of words (&) so that one GIN scan answers both. The text is
    built here from integers and codes only, never from what a user typed."""

    template = "%(expressions)s::tsquery"

    def __init__(self, text: str) -> None:
        Func.__init__(self, Value(text), output_field=SearchQueryField())
        self.config = None
        self.invert = False
        self.function = None


class HasTokens(Func):
    """1 when the vector holds the token query, else 0: summed to count matching skills."""

    template = "(%(expressions)s)::int"
    arg_joiner = " @@ "
    output_field = IntegerField()


def _any_token(prefix: str, values: Iterable[object]) -> str:
    return "(" + " | ".join(f"'#{prefix}{value}'" for value in values) + ")"


def _posted_token(now: datetime, days: int) -> str:
    start = (now - timedelta(days=days)).astimezone(UTC).date()
    end = now.astimezone(UTC).date()
    if days <= DAY_TOKENS_UP_TO:
        count = (end - start).days + 1
        return _any_token("d", (f"{start + timedelta(days=n):%Y%m%d}" for n in range(count)))
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year}{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _any_token("m", months)


def _skill_language_tokens(skill_ids: list[int], language_id: int | None) -> list[str]:
    """The tokens both indexes carry: any of these skills, and the language."""
    tokens = [_any_token("s", (int(pk) for pk in skill_ids))] if skill_ids else []
    if language_id:
        tokens.append(f"'#l{int(language_id)}'")
    return tokens


def _filter_tokens(query: ProjectQuery, skill_ids: list[int], now: datetime) -> str:
    tokens = _skill_language_tokens(skill_ids, query.language_id)
    if query.category_id:
        tokens.append(f"'#c{int(query.category_id)}'")
    if query.posted_within_days:
        tokens.append(_posted_token(now, int(query.posted_within_days)))
    return " & ".join(tokens)


def search_projects(
    *,
    query: ProjectQuery,
    viewer: User | AnonymousUser,
    page: int = 1,
    names: Taxonomy | None = None,
) -> ResultPage:
    """Open public projects matching the query; featured first, then the chosen order.

    On PostgreSQL the words and the skill, category, language and posted filters are one
    tsquery over the stored vector (one GIN scan); the other filters are plain columns. Pages
    are cached (see cached_page); the viewer counts only through their skills. `names`: the
    taxonomy the page has already read (its search form's), else it is read here.
    """
    my_skills = expert_skill_ids(viewer) if (query.mine or query.sort == "best") else []
    page = min(max(page, 1), MAX_PAGE)
    return cached_page(
        PROJECTS,
        (query, page, PAGE_SIZE, my_skills),
        lambda: _search_projects(query=query, my_skills=my_skills, page=page, names=names),
    )


def _search_projects(
    *, query: ProjectQuery, my_skills: list[int], page: int, names: Taxonomy | None
) -> ResultPage:
    now = timezone.now()
    skill_ids = sorted(set(query.skill_ids))
    if query.mine:
        skill_ids = sorted(set(skill_ids) | set(my_skills))
        if not skill_ids:
            return ResultPage(items=[], number=1, has_next=False)
    values = _column_values(query, now)
    if not _on_postgres():
        projects = _filter_plainly(_listed(values, query.companies_only), query, skill_ids)
        order = _order(query.sort, ranked=False)
        if my_skills and query.sort not in SORTS:
            projects = projects.annotate(skill_match=_skill_count(my_skills))
            order.insert(0, "-skill_match")
        listing = Listing(projects=projects.order_by(*order), order=order)
        featured_page, regular_page = _page_parts(listing, page=page, now=now)
        rows = [*featured_page, *regular_page]
        return _featured_first(rows, listing=lambda: listing, page=page, now=now, names=names)

    # PostgreSQL: the SQL of each shape of query is compiled once (see ShapedQueries); the
    # values (words, tokens, amounts, times) fill its parameters.
    tokens = _filter_tokens(query, skill_ids, now)
    if tokens:
        values["tokens"] = tokens
    if query.q:
        values["q"] = query.q
    best = bool(my_skills) and query.sort not in SORTS
    matched = my_skills[:SKILLS_MATCHED]
    shape = Shape(
        sort=query.sort if query.sort in SORTS else "best",
        page=page,
        companies_only=query.companies_only,
        skills=len(my_skills) if best else 0,
        grouped=best and not query.q,
        top_featured=len(matched) == len(my_skills),
    )
    if best:
        values |= {f"skill{n}": f"'#s{int(pk)}'" for n, pk in enumerate(my_skills)}
    if shape.grouped:
        # Without words the candidates can be most of the listings: groups by how many of the
        # viewer's skills a project asks for, each newest first, so that the database stops
        # after a page instead of counting skills on every listing (see _skill_groups).
        groups = _skill_groups(matched)
        if not query.mine or len(my_skills) > len(matched):
            groups.append(f"!{_any_token('s', matched)}")
        values |= {
            f"group{n}": " & ".join(part for part in (tokens, group) if part)
            for n, group in enumerate(groups)
        }

    def union(found: dict[str, Any]) -> QuerySet[Any]:
        listing = _listing(shape, found)
        featured_page, regular_page = _page_parts(listing, page=page, now=found["now"])
        return featured_page.union(regular_page, all=True).order_by(
            F("featured_row").desc(), *listing.order
        )

    return _featured_first(
        _PAGES.rows(shape, values, union),
        listing=functools.cache(lambda: _listing(shape, values)),
        page=page,
        now=now,
        names=names,
        featured_from=shape.grouped and shape.top_featured,
        grouped=shape.grouped,
    )


_PAGES = ShapedQueries()


@dataclass(frozen=True)
class Shape:
    """What the SQL of a Find a Project page depends on besides the values it is given."""

    sort: str
    page: int
    companies_only: bool
    skills: int  # best match: the number of the viewer's skills counted
    grouped: bool  # best match without words: read group by group
    top_featured: bool  # every skill is counted: the top group's featured rows come first


@dataclass
class Listing:
    """A page's querysets: `projects` in the page's order; `groups`, when set, the same rows
    split into groups read one after the other; `featured_from`, fewer projects whose featured
    ones come first in `projects`' order."""

    projects: QuerySet[Project]
    order: list[Any]
    groups: list[QuerySet[Project]] = field(default_factory=list)
    featured_from: QuerySet[Project] | None = None
    # Set when the order is by rank (after the viewer's skill count, if any): see RankedInListed.
    ranked: RankedInListed | None = None


@dataclass(frozen=True)
class RankedInListed:
    """Words ranked in ListedProject's narrow rows: `matches`, the matching rows in the page's
    order; `projects`, Project with the same annotations as the listing's, to read only the
    page's rows of `matches` from (see _page_parts)."""

    matches: QuerySet[ListedProject]
    projects: QuerySet[Project]


def _column_values(query: ProjectQuery, now: datetime) -> dict[str, Any]:
    """The values of the filters on plain columns, by name (present only when they apply)."""
    values: dict[str, Any] = {"now": now}
    if query.budget_min is not None:
        values["budget_min"] = query.budget_min
    if query.budget_max is not None:
        values["budget_max"] = query.budget_max
    if query.location in Project.Location.values:
        values["location"] = query.location
    if query.country:
        values["country"] = query.country
    if query.posted_within_days:
        values["since"] = now - timedelta(days=query.posted_within_days)
    return values


def _listed(values: dict[str, Any], companies_only: bool) -> QuerySet[Project]:
    """Open public projects, filtered on the plain columns by `values` (_column_values)."""
    projects = _filtered(
        Project.objects.filter(status=Project.Status.OPEN, visibility=Project.Visibility.PUBLIC),
        values,
    )
    if companies_only:
        projects = projects.filter(owner__account_type=User.AccountType.COMPANY)
    return projects


def _filtered[M: models.Model](rows: QuerySet[M], values: dict[str, Any]) -> QuerySet[M]:
    """Projects or ListedProjects (the same column names) filtered by `values`."""
    if "budget_min" in values:
        rows = rows.filter(budget_max__gte=values["budget_min"])
    if "budget_max" in values:
        rows = rows.filter(budget_min__lte=values["budget_max"])
    if "location" in values:
        rows = rows.filter(location_type=values["location"])
    if "country" in values:
        rows = rows.filter(country=values["country"])
    if "since" in values:
        rows = rows.filter(published_at__gte=values["since"])
    return rows


def _listing(shape: Shape, values: dict[str, Any]) -> Listing:
    """The querysets of a page of this shape (PostgreSQL): built from the shape and the values
    alone, never branching on a value (ShapedQueries compiles them once per shape)."""
    projects = _listed(values, shape.companies_only)
    text = None
    if "q" in values:
        text = SearchQuery(values["q"], search_type="websearch", config=SEARCH_CONFIG)
        projects = projects.annotate(rank=SearchRank(F("search_vector"), text))

    def matching[M: models.Model](tokens: str | None, rows: QuerySet[M]) -> QuerySet[M]:
        """The rows whose vector matches the words and the token query."""
        matcher: Any = TokenQuery(tokens) if tokens else None
        if text is not None:
            matcher = text & matcher if matcher is not None else text
        return rows.filter(search_vector=matcher) if matcher is not None else rows

    order = _order(shape.sort, ranked=text is not None)
    skills = [values[f"skill{n}"] for n in range(shape.skills)]
    counted = {"skill_match": _skill_match(skills)} if skills else {}
    if skills:
        order = ["-skill_match", *order]
    by_match = matching(values.get("tokens"), projects).annotate(**counted).order_by(*order)
    if not shape.grouped:  # the words keep the candidates few: count the skills of each
        ranked = None
        if text is not None and shape.sort not in SORTS and not shape.companies_only:
            listed = _filtered(ListedProject.objects.all(), values)
            ranked = _rank_in_listed(matching(values.get("tokens"), listed), text, counted, order)
        return Listing(projects=by_match, order=order, ranked=ranked)
    count = sum(key.startswith("group") for key in values)
    top, *others = [values[f"group{n}"] for n in range(count)]
    matched = skills[:SKILLS_MATCHED]
    groups = [
        matching(top, projects).annotate(skill_match=_skill_match(matched)).order_by(*order),
        *(matching(group, projects).order_by(*order[1:]) for group in others),
    ]
    # When every skill is counted, the top group comes first in by_match's order too: its
    # featured rows are the first featured rows, read through the word index.
    return Listing(
        projects=by_match,
        order=order,
        groups=groups,
        featured_from=groups[0] if shape.top_featured else None,
    )


def _rank_in_listed(
    matches: QuerySet[ListedProject], text: SearchQuery, counted: dict[str, Any], order: list[Any]
) -> RankedInListed:
    """The listing's order (`order`, ending with "-id") in ListedProject, whose key is the
    project's: the same annotations, rank and the viewer's skill count (`counted`), on both."""
    rank = SearchRank(F("search_vector"), text)
    in_listed = ["-pk" if part == "-id" else part for part in order]
    return RankedInListed(
        matches=matches.annotate(rank=rank, **counted).order_by(*in_listed),
        projects=Project.objects.annotate(rank=rank, **counted).order_by(),
    )


def _skill_match(tokens: list[str]) -> Any:
    """How many of the viewer's skills (their '#s' tokens) a project asks for."""
    return sum((HasTokens(F("search_vector"), TokenQuery(token)) for token in tokens), Value(0))


def _skill_count(my_skills: list[int]) -> Any:
    """_skill_match without the stored vector (SQLite)."""
    return Count("skills", filter=Q(skills__in=my_skills), output_field=IntegerField())


# The explicit sorts; anything else is best match.
SORTS = {
    "newest": ["-published_at"],
    "budget_high": ["-budget_max", "-published_at"],
    "budget_low": ["budget_min", "-published_at"],
    "fewest_bids": ["bid_count", "-published_at"],
}
# Best match without words groups projects by how many of the viewer's skills they ask for, up
# to this many (a project asking for more counts as this many, and that group is ordered by the
# exact number); the viewer's SKILLS_MATCHED most experienced skills are counted.
TOP_GROUP = 3
SKILLS_MATCHED = 12


def _order(sort: str, *, ranked: bool) -> list[Any]:
    if sort in SORTS:
        return [*SORTS[sort], "-id"]
    return [F("rank").desc(), "-published_at", "-id"] if ranked else ["-published_at", "-id"]


def _at_least(tokens: list[str], count: int) -> str:
    return " | ".join("(" + " & ".join(group) + ")" for group in combinations(tokens, count))


def _skill_groups(my_skills: list[int]) -> list[str]:
    """Token queries for "asks for at least TOP_GROUP of my skills", then for exactly n of them,
    n from TOP_GROUP - 1 down to 1."""
    tokens = [f"'#s{int(pk)}'" for pk in my_skills]
    highest = min(len(tokens), TOP_GROUP)
    return [f"({_at_least(tokens, highest)})"] + [
        f"({_at_least(tokens, n)}) & !({_at_least(tokens, n + 1)})"
        for n in range(highest - 1, 0, -1)
    ]


def _concat(groups: list[QuerySet[Any]], start: int, count: int) -> list[Any]:
    """Rows start..start+count of the groups read one after the other. A group is counted only
    when the page lies wholly beyond it (deep pages)."""
    rows: list[Any] = []
    for group in groups:
        if len(rows) >= count:
            break
        found = list(group[start : start + count - len(rows)])
        rows += found
        if found:
            start = 0  # this group is used up: the next one is read from its first row
        elif start:
            start -= group.count()  # the page lies beyond this group
    return rows


def _filter_plainly(
    projects: QuerySet[Project], query: ProjectQuery, skill_ids: list[int]
) -> QuerySet[Project]:
    """The SQLite default: joins and icontains instead of the stored vector."""
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
    if query.language_id:
        projects = projects.filter(
            Exists(
                Project.languages.through.objects.filter(
                    project_id=OuterRef("pk"), language_id=query.language_id
                )
            )
        )
    if query.q:
        projects = projects.filter(
            Q(title__icontains=query.q)
            | Q(description__icontains=query.q, nda_required=False)  # NDA text: never searched
            | Q(public_summary__icontains=query.q, nda_required=True)
            | Q(skills__name__icontains=query.q)
        ).distinct()
    return projects


def _card_rows(projects: QuerySet[Project], *, featured: bool = False) -> QuerySet[Any]:
    """The columns a card shows, and the annotations the order uses, as named rows (a card
    reads row.title as it would read a project's; no model instances are built)."""
    marked = projects.annotate(featured_row=Value(featured))
    return marked.values_list(*CARD_FIELDS, *marked.query.annotations, named=True)


def _page_parts(listing: Listing, *, page: int, now: datetime) -> tuple[QuerySet[Any], ...]:
    """The page's share of the featured rows, and its page of the first regular group, each a
    limited select keeping an order an index can serve (see Project.Meta.indexes); on
    PostgreSQL one UNION ALL."""
    running = Q(featured_until__gt=now)
    start = (page - 1) * FEATURED_PER_PAGE
    offset = (page - 1) * PAGE_SIZE
    first = (listing.groups or [listing.projects])[0]
    featured_from = listing.projects if listing.featured_from is None else listing.featured_from
    featured_rows = featured_from.filter(running)
    featured_page = _card_rows(featured_rows, featured=True)[start : start + FEATURED_PER_PAGE + 1]
    if listing.ranked is not None:
        ranked = listing.ranked.matches.exclude(running).values("pk")
        page_ids = ranked[offset : offset + PAGE_SIZE + 1]
        return featured_page, _card_rows(listing.ranked.projects.filter(pk__in=page_ids))
    regular_page = _card_rows(first.exclude(running))[offset : offset + PAGE_SIZE + 1]
    return featured_page, regular_page


def _featured_first(
    rows: list[Any],
    *,
    listing: Callable[[], Listing],
    page: int,
    now: datetime,
    names: Taxonomy | None = None,
    featured_from: bool = False,
    grouped: bool = False,
) -> ResultPage:
    """Each page opens with its share of the featured matches, then the regular ones: those of
    the listing's projects, or of its groups read one after the other.

    `rows`: the featured and regular rows of _page_parts. Later groups (`grouped`) are read only
    when the first runs out, and every featured listing only when the listing's `featured_from`
    has fewer than the page's share; `listing` builds the querysets for those rarer reads. Every
    featured project is still reachable.
    """
    running = Q(featured_until__gt=now)
    start = (page - 1) * FEATURED_PER_PAGE
    offset = (page - 1) * PAGE_SIZE
    featured = [row for row in rows if row.featured_row]
    regular = [row for row in rows if not row.featured_row]
    if featured_from and len(featured) <= FEATURED_PER_PAGE:
        every_featured = _card_rows(listing().projects.filter(running), featured=True)
        featured = list(every_featured[start : start + FEATURED_PER_PAGE + 1])
    if grouped and len(regular) <= PAGE_SIZE:
        first, *later = [_card_rows(group.exclude(running)) for group in listing().groups]
        if regular:
            regular += _concat(later, 0, PAGE_SIZE + 1 - len(regular))
        else:  # the page lies beyond the first group, or it has none
            regular = _concat([first, *later], offset, PAGE_SIZE + 1)
    shown = [(project, True) for project in featured[:FEATURED_PER_PAGE]]
    shown += [(project, False) for project in regular[:PAGE_SIZE]]
    has_next = len(featured) > FEATURED_PER_PAGE or len(regular) > PAGE_SIZE
    ends = [project.featured_until for project in featured if project.featured_until]
    return ResultPage(
        items=_cards(shown, now=now, names=names),
        number=page,
        has_next=has_next,
        stale_at=min(ends, default=None),
    )


# The skills of a page of cards: (owner id, skill id) pairs, compiled once per number of cards.
_SKILL_PAIRS = ShapedQueries()


def _ids(pks: Iterable[int]) -> dict[str, Any]:
    return {f"id{n}": int(pk) for n, pk in enumerate(pks)}


def _project_skill_pairs(ids: dict[str, Any]) -> QuerySet[Any]:
    through = Project.skills.through.objects
    return through.filter(project_id__in=list(ids.values())).values_list("project_id", "skill_id")


def _expert_skill_pairs(ids: dict[str, Any]) -> QuerySet[Any]:
    pairs = ExpertSkill.objects.filter(profile_id__in=list(ids.values()))
    return pairs.values_list("profile_id", "skill_id")


def _skill_names(pairs: Iterable[tuple[int, int]], names: Taxonomy) -> defaultdict[int, list[str]]:
    """(owner id, skill id) pairs -> each owner's skill names in alphabetical order."""
    found: defaultdict[int, list[str]] = defaultdict(list)
    for owner_id, skill_id in pairs:
        found[owner_id].append(names.skill_names.get(skill_id, ""))
    for skill_names in found.values():
        skill_names.sort()
    return found


@dataclass(frozen=True)
class ProjectCard:
    """One result of Find a Project, ready to show: the page renders 23 of them per request, so
    the formatting happens here once instead of through template filters."""

    pk: int
    url: str
    title: str
    budget: str
    featured: bool
    businesses_only: bool
    category: str
    place: str
    bid_count: int
    posted: str
    skills: list[str]

    @property
    def html(self) -> SafeString:
        """{{ card.html }}: the card's <article>, written in Python (projects/cards.py)."""
        return project_card_html(self)


def pk_url(name: str) -> Callable[[int], str]:
    """The URL of `name` for any primary key, reversed once: a page of cards calls it 23 times."""
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker))
    return lambda pk: f"{head}{int(pk)}{tail}"


def _ago(published: datetime, now: datetime) -> str:
    """ "3 days ago" in the active language, in the largest whole unit: one translatable sentence
    per unit, and cheaper than timesince for a page of cards."""
    seconds = max(int((now - published).total_seconds()), 0)
    days = seconds // 86400
    if days >= 365:
        return ngettext("%(count)d year ago", "%(count)d years ago", days // 365) % {
            "count": days // 365
        }
    if days >= 30:
        return ngettext("%(count)d month ago", "%(count)d months ago", days // 30) % {
            "count": days // 30
        }
    if days >= 7:
        return ngettext("%(count)d week ago", "%(count)d weeks ago", days // 7) % {
            "count": days // 7
        }
    if days:
        return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}
    if seconds >= 3600:
        return ngettext("%(count)d hour ago", "%(count)d hours ago", seconds // 3600) % {
            "count": seconds // 3600
        }
    if seconds >= 60:
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", seconds // 60) % {
            "count": seconds // 60
        }
    return gettext("just now")


def _memo[K, V](compute: Callable[[K], V]) -> Callable[[K], V]:
    """`compute` remembered for the cards of one page (many share a budget or an age)."""
    found: dict[K, V] = {}

    def get(key: K) -> V:
        if key not in found:
            found[key] = compute(key)
        return found[key]

    return get


def _cards(
    shown: list[tuple[Any, bool]], *, now: datetime, names: Taxonomy | None = None
) -> list[ProjectCard]:
    """Cards for the projects shown: one query for their skill ids; names from the taxonomy.
    Written in the active language (cached pages are kept per language)."""
    if not shown:
        return []
    names = names or taxonomy()
    pairs = _SKILL_PAIRS.rows(
        "projects", _ids(project.pk for project, _ in shown), _project_skill_pairs
    )
    skills = _skill_names(pairs, names)
    url = pk_url("projects:detail")
    money: Callable[[tuple[int, str]], str] = _memo(lambda key: format_money(*key))
    remote = gettext("Remote")
    cards = []
    for project, featured in shown:
        budget = money((project.budget_min, project.currency))
        if project.budget_type == BudgetType.RANGE:
            budget += " \N{EN DASH} " + money((project.budget_max, project.currency))
        onsite = project.location_type == Project.Location.ONSITE
        published = project.published_at
        cards.append(
            ProjectCard(
                pk=project.pk,
                url=url(project.pk),
                title=project.title,
                budget=budget,
                featured=featured,
                businesses_only=project.restricted_to_businesses,
                category=names.category_names.get(project.category_id, ""),
                place=gettext("On site · %(city)s") % {"city": project.city} if onsite else remote,
                bid_count=project.bid_count,
                posted=_ago(published, now) if published else "",
                skills=skills[project.pk],
            )
        )
    return cards


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


def _with_rating(experts: QuerySet[ExpertProfile]) -> QuerySet[ExpertProfile]:
    return experts.annotate(
        rating=F("user__reputation__rating_avg"),
        rating_count=F("user__reputation__rating_count"),
    )


def _expert_tokens(query: ExpertQuery) -> str:
    """The filters the expert index's tokens answer (see expert_index.REFRESH_SQL)."""
    tokens = _skill_language_tokens(query.skill_ids, query.language_id)
    if query.country:
        tokens.append(f"'#x{query.country}'")
    if query.kind in User.AccountType.values:
        tokens.append(f"'#k{query.kind}'")
    return " & ".join(tokens)


def search_experts(
    *, query: ExpertQuery, page: int = 1, names: Taxonomy | None = None
) -> ResultPage:
    """Active experts matching the query, best rated first (words first when searched).

    With words on PostgreSQL the stored index answers the words and the skill, language, country
    and kind filters in one GIN scan; without words those filters read the live profile tables.
    Pages are cached (see cached_page).
    """
    page = min(max(page, 1), MAX_PAGE)
    return cached_page(
        EXPERTS,
        (query, page, PAGE_SIZE),
        lambda: _search_experts(query=query, page=page, names=names),
    )


def _search_experts(*, query: ExpertQuery, page: int, names: Taxonomy | None) -> ResultPage:
    if not query.country.isalpha():  # country codes only (the form offers nothing else)
        query = replace(query, country="")
    indexed = bool(query.q) and _on_postgres()
    values: dict[str, Any] = {}
    if indexed:
        values["q"] = query.q
        tokens = _expert_tokens(query)
        if tokens:
            values["tokens"] = tokens
    else:
        values |= {f"skill{n}": int(pk) for n, pk in enumerate(query.skill_ids)}
        if query.language_id:
            values["language"] = int(query.language_id)
        if query.country:
            values["country"] = query.country
        if query.kind in User.AccountType.values:
            values["kind"] = query.kind
        if query.q:
            values["text"] = query.q
    if query.rate_min is not None:
        values["rate_min"] = query.rate_min
    if query.rate_max is not None:
        values["rate_max"] = query.rate_max
    shape = ExpertShape(
        page=page, indexed=indexed, min_rating=query.min_rating, verified=query.verified
    )
    offset = (page - 1) * PAGE_SIZE

    def rows(found: dict[str, Any]) -> QuerySet[Any]:
        return _experts(shape, found)[offset : offset + PAGE_SIZE + 1]

    found = _EXPERT_PAGES.rows(shape, values, rows) if _on_postgres() else list(rows(values))
    return ResultPage(
        items=_expert_cards(found[:PAGE_SIZE], names=names),
        number=page,
        has_next=len(found) > PAGE_SIZE,
    )


_EXPERT_PAGES = ShapedQueries()


@dataclass(frozen=True)
class ExpertShape:
    """What the SQL of a Find a Freelancer page depends on besides the values it is given."""

    page: int
    indexed: bool  # words on PostgreSQL: the stored index answers them and the token filters
    min_rating: float | None
    verified: bool


def _experts(shape: ExpertShape, values: dict[str, Any]) -> QuerySet[Any]:
    """Active experts for a page of this shape, best rated first (words first when searched),
    as named rows of what a card shows; built from the shape and the values alone."""
    experts = _with_rating(ExpertProfile.objects.filter(user__is_active=True, user__is_expert=True))
    skill_ids = [values[f"skill{n}"] for n in range(sum(key.startswith("skill") for key in values))]
    if skill_ids:
        experts = experts.filter(
            Exists(ExpertSkill.objects.filter(profile=OuterRef("pk"), skill_id__in=skill_ids))
        )
    if shape.min_rating:
        experts = experts.filter(Q(rating__gte=shape.min_rating))  # the annotation
    if "rate_min" in values:
        experts = experts.filter(hourly_rate__gte=values["rate_min"])
    if "rate_max" in values:
        experts = experts.filter(hourly_rate__lte=values["rate_max"])
    if "language" in values:
        experts = experts.filter(
            Exists(
                ExpertLanguage.objects.filter(
                    profile=OuterRef("pk"), language_id=values["language"]
                )
            )
        )
    if "country" in values:
        experts = experts.filter(country=values["country"])
    if "kind" in values:
        experts = experts.filter(user__account_type=values["kind"])
    if shape.verified:
        experts = experts.filter(user__company_profile__verification_status="verified")
    order: list[Any] = []
    if shape.indexed:
        # The stored vector (headline A, skills B, bio C, filter tokens), kept by
        # refresh_expert_index.
        text = SearchQuery(values["q"], search_type="websearch", config=SEARCH_CONFIG)
        matcher = text & TokenQuery(values["tokens"]) if "tokens" in values else text
        experts = experts.filter(search_index__vector=matcher).annotate(
            rank=SearchRank(F("search_index__vector"), text)
        )
        order.append(F("rank").desc())
    elif "text" in values:  # SQLite
        words = values["text"]
        skill_hit = Exists(
            ExpertSkill.objects.filter(profile=OuterRef("pk"), skill__name__icontains=words)
        )
        experts = experts.filter(Q(headline__icontains=words) | Q(bio__icontains=words) | skill_hit)
    order.append(F("rating").desc(nulls_last=True))  # better rated first, unrated last
    experts = experts.annotate(
        verified=Exists(
            CompanyProfile.objects.filter(user=OuterRef("user_id"), verification_status="verified")
        )
    )
    return experts.order_by(*order, "-pk").values_list(
        *EXPERT_CARD_FIELDS, *experts.query.annotations, named=True
    )


# What an expert card shows (with the user's name and account type).
EXPERT_CARD_FIELDS = (
    "pk",
    "user_id",
    "headline",
    "hourly_rate",
    "rate_min",
    "rate_max",
    "currency",
    "country",
    "city",
    "remote_ok",
    "user__name",
    "user__email",
    "user__account_type",
)


@dataclass(frozen=True)
class ExpertCard:
    """One result of Find a Freelancer, ready to show (see ProjectCard)."""

    pk: int
    user_id: int
    url: str
    name: str
    rate: str
    is_company: bool
    verified: bool
    rating: float | None
    rating_count: int
    location: str
    remote_ok: bool
    headline: str
    skills: list[str]

    @property
    def body(self) -> SafeString:
        """{{ card.body }}: the card's body, written in Python (projects/cards.py)."""
        return expert_card_body_html(self)


def _expert_cards(rows: list[Any], *, names: Taxonomy | None = None) -> list[ExpertCard]:
    """Cards for the rows of _experts: one query for their skill ids; names from the taxonomy."""
    if not rows:
        return []
    names = names or taxonomy()
    pairs = _SKILL_PAIRS.rows("experts", _ids(row.pk for row in rows), _expert_skill_pairs)
    skills = _skill_names(pairs, names)
    url = pk_url("accounts:expert_detail")
    cards = []
    for row in rows:
        if row.hourly_rate:
            rate = format_money(row.hourly_rate, row.currency) + "/h"
        elif row.rate_min and row.rate_max:
            low = format_money(row.rate_min, row.currency)
            rate = f"{low}\N{EN DASH}{format_money(row.rate_max, row.currency)}/h"
        else:
            rate = ""
        cards.append(
            ExpertCard(
                pk=row.pk,
                user_id=row.user_id,
                url=url(row.pk),
                name=display_name(row.user__name, row.user__email),
                rate=rate,
                is_company=row.user__account_type == User.AccountType.COMPANY,
                verified=bool(row.verified),
                rating=float(row.rating) if row.rating is not None else None,
                rating_count=row.rating_count or 0,
                location=place(row.city, row.country),
                remote_ok=row.remote_ok,
                headline=row.headline,
                skills=skills[row.pk],
            )
        )
    return cards


@dataclass
class Suggestion:
    profile: ExpertProfile
    score: int
    reasons: list[str]


def suggested_experts(*, project: Project, limit: int = 5) -> list[Suggestion]:
    """Experts ranked by an explainable score out of 100, with the reasons shown."""
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
    suggestions: list[Suggestion] = []
    for profile in candidates:
        reasons: list[str] = []
        matched = [s.skill.label for s in profile.skills.all() if s.skill_id in wanted]
        score = round(50 * len(matched) / len(wanted))
        reasons.append(
            ngettext(
                "Has %(matched)d of %(wanted)d skill: %(names)s",
                "Has %(matched)d of %(wanted)d skills: %(names)s",
                len(wanted),
            )
            % {"matched": len(matched), "wanted": len(wanted), "names": ", ".join(matched)}
        )
        spoken = {language.language_id for language in profile.languages.all()}
        if languages and spoken & languages:
            score += 15
            reasons.append(gettext("Speaks a language you asked for"))
        elif not languages:
            score += 15
        if profile.hourly_rate:
            hours = project.budget_max // profile.hourly_rate
            if hours >= 10:
                score += 15
                reasons.append(
                    gettext("Rate %(rate)s/h fits your budget (about %(hours)d hours)")
                    % {"rate": format_money(profile.hourly_rate, profile.currency), "hours": hours}
                )
        if project.location_type == Project.Location.REMOTE and profile.remote_ok:
            score += 10
            reasons.append(gettext("Works remotely"))
        elif (
            project.location_type == Project.Location.ONSITE and profile.country == project.country
        ):
            score += 10
            reasons.append(
                gettext("Based in %(country)s") % {"country": profile.get_country_display()}
            )
        rating = getattr(profile, "rating", None)
        if rating:
            score += round(10 * float(rating) / 5)
            reasons.append(
                gettext("Rated %(rating)s by clients")
                % {"rating": number_format(float(rating), decimal_pos=1)}
            )
        suggestions.append(Suggestion(profile=profile, score=min(score, 100), reasons=reasons))
    suggestions.sort(key=lambda s: (-s.score, -s.profile.pk))
    return suggestions[:limit]
