"""Best match: an explainable score for each bid on a project (0 to 100, higher is better).

Points, each with a reason the client sees:
  skills overlap        40  share of the project's skills on the bidder's profile
  price vs budget       20  full within the budget, falling to 0 at twice the top of the budget
  days vs deadline      10  full if the estimate fits before the deadline, falling to 0 at double
  language              10  speaks one of the project's languages (only when the project asks)
  relationship           5  previous collaborator 5, invited 2
  track record           5  one point per completed contract, up to 5
  rating                10  average of published reviews (reviews.Reputation): 1 star 0, 5 stars 10
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy, ngettext_lazy

from accounts.models import in_language
from marketplace.money import format_money_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


SKILLS = 40
PRICE = 20
DAYS = 10
LANGUAGE = 10
RELATIONSHIP = 5
TRACK_RECORD = 5
RATING = 10


@dataclass(frozen=True)
class Reason:
    label: StrOrPromise
    points: int
    max_points: int
    shortfall: bool = False  # a point against the bid (over budget, late), whatever its points

    @property
    def good(self) -> bool:
        return not self.shortfall and self.points * 2 >= self.max_points


@dataclass
class Match:
    score: int = 0
    reasons: list[Reason] = field(default_factory=list)

    def add(
        self, label: StrOrPromise, points: float, max_points: int, *, shortfall: bool = False
    ) -> None:
        whole = max(0, min(max_points, round(points)))
        self.score += whole
        self.reasons.append(Reason(label, whole, max_points, shortfall))


@dataclass(frozen=True)
class ProjectFacts:
    """What scoring needs about the project and the client, fetched once per list."""

    skill_names: dict[int, str]
    language_names: dict[int, str]
    budget_min: int
    budget_max: int
    currency: str
    days_left: int | None
    invited: frozenset[int]
    previous: frozenset[int]
    completed: dict[int, int]
    ratings: dict[int, tuple[float, int]] = field(default_factory=dict)


def _labels(rows: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """Taxonomy names by id, in the reader's language."""
    return {pk: in_language(name, name_de) for pk, name, name_de in rows}


def project_facts(project, expert_ids: list[int], *, today: date | None = None) -> ProjectFacts:  # type: ignore[no-untyped-def]
    """Six queries whatever the number of bids."""
    from bids.models import Contract
    from projects.models import Project
    from reviews.models import Reputation

    today = today or timezone.localdate()
    days_left = (project.deadline - today).days if project.deadline else None
    previous = Contract.objects.filter(client_id=project.owner_id, expert_id__in=expert_ids)
    completed = (
        Contract.objects.filter(expert_id__in=expert_ids, project__status=Project.Status.COMPLETED)
        .values("expert_id")
        .annotate(n=Count("id"))
    )
    return ProjectFacts(
        skill_names=_labels(project.skills.values_list("id", "name", "name_de")),
        language_names=_labels(project.languages.values_list("id", "name", "name_de")),
        budget_min=project.budget_min,
        budget_max=project.budget_max,
        currency=project.currency,
        days_left=days_left,
        invited=frozenset(
            project.invitations.filter(expert_id__in=expert_ids).values_list("expert_id", flat=True)
        ),
        previous=frozenset(previous.exclude(project=project).values_list("expert_id", flat=True)),
        completed={row["expert_id"]: row["n"] for row in completed},
        ratings={
            user_id: (float(avg or 0), count)
            for user_id, avg, count in Reputation.objects.filter(
                user_id__in=expert_ids, rating_count__gt=0
            ).values_list("user_id", "rating_avg", "rating_count")
        },
    )


def score(
    *,
    amount: int,
    days: int,
    expert_id: int,
    skill_ids: set[int],
    language_ids: set[int],
    facts: ProjectFacts,
) -> Match:
    match = Match()
    wanted = facts.skill_names
    if wanted:
        have = [name for pk, name in wanted.items() if pk in skill_ids]
        label: StrOrPromise = format_lazy(
            gettext_lazy("Has {have} of {wanted} required skills"),
            have=len(have),
            wanted=len(wanted),
        )
        if have:
            label = format_lazy("{label} ({names})", label=label, names=", ".join(sorted(have)))
        match.add(label, SKILLS * len(have) / len(wanted), SKILLS)
    top = facts.budget_max
    if amount <= top:
        match.add(gettext_lazy("Price within your budget"), PRICE, PRICE)
    else:
        over = (amount - top) / top
        match.add(
            format_lazy(
                gettext_lazy("{round}% over your budget of {amount}"),
                round=round(over * 100),
                amount=format_money_lazy(top, facts.currency),
            ),
            PRICE * max(0.0, 1 - over),
            PRICE,
            shortfall=True,
        )
    if facts.days_left is None:
        match.add(format_lazy(gettext_lazy("{days} days; no deadline set"), days=days), DAYS, DAYS)
    elif days <= facts.days_left:
        match.add(
            format_lazy(gettext_lazy("{days} days: fits before the deadline"), days=days),
            DAYS,
            DAYS,
        )
    else:
        late = days - facts.days_left
        match.add(
            format_lazy(
                ngettext_lazy(
                    "{days} days: {late} day past the deadline",
                    "{days} days: {late} days past the deadline",
                    late,
                ),
                days=days,
                late=late,
            ),
            DAYS * max(0.0, 1 - late / max(facts.days_left, 1)),
            DAYS,
            shortfall=True,
        )
    if facts.language_names:
        spoken = [name for pk, name in facts.language_names.items() if pk in language_ids]
        if spoken:
            match.add(
                format_lazy(gettext_lazy("Speaks {join}"), join=", ".join(sorted(spoken))),
                LANGUAGE,
                LANGUAGE,
            )
        else:
            match.add(
                format_lazy(
                    gettext_lazy("Does not list {join}"),
                    join=" or ".join(sorted(facts.language_names.values())),
                ),
                0,
                LANGUAGE,
                shortfall=True,
            )
    if expert_id in facts.previous:
        match.add(gettext_lazy("Worked with you before"), RELATIONSHIP, RELATIONSHIP)
    elif expert_id in facts.invited:
        match.add(gettext_lazy("You invited this expert"), RELATIONSHIP / 2, RELATIONSHIP)
    done = facts.completed.get(expert_id, 0)
    if done:
        match.add(
            format_lazy(
                ngettext_lazy(
                    "{done} completed project on Guildhall",
                    "{done} completed projects on Guildhall",
                    done,
                ),
                done=done,
            ),
            min(done, TRACK_RECORD),
            TRACK_RECORD,
        )
    if expert_id in facts.ratings:
        avg, count = facts.ratings[expert_id]
        match.add(
            format_lazy(
                ngettext_lazy(
                    "Rated {avg:.1f}/5 by {count} client",
                    "Rated {avg:.1f}/5 by {count} clients",
                    count,
                ),
                avg=avg,
                count=count,
            ),
            RATING * (avg - 1) / 4,
            RATING,
        )
    return match
