"""Reputation aggregates: how they are computed from the source rows, and stored.

Expert side:
  rating           average of published, visible reviews written by clients (1 to 5)
  completed        contracts whose workspace completed; "ended" ones were terminated
  on-time rate     completed contracts finished within the agreed number of days
  rehire rate      share of the expert's clients who hired them more than once
  reliability      0 to 100, from the inputs below, each shown to visitors ("why this score"):
                     rating 40, on-time delivery 25, completion 20, would work again 15;
                   inputs without data are left out and the rest scaled to 100. No score until
                   there is at least one completed project or one review.
Client side: rating from experts' reviews, projects posted, hires, hire rate (projects posted that
led to a contract) and whether a payment was ever made (payment verified).

``refresh_reputation`` recomputes one user's row from scratch in a fixed number of queries; the
review services call it inside the transaction that publishes reviews, and the
``recompute_reputation`` command calls it for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db.models import Avg, Count, Q
from django.utils import timezone

from reviews.models import Reputation, Review

WEIGHTS = {"rating": 40, "on_time": 25, "completion": 20, "work_again": 15}
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Input:
    label: str
    value: str
    points: int
    max_points: int


def _avg(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def compute_reputation(user_id: int) -> dict[str, Any]:
    """Every aggregate field of one user's Reputation, from the source rows (five queries)."""
    from bids.models import Contract
    from escrow.models import HeldFunds
    from projects.models import Project
    from workspaces.models import Workspace

    visible = Q(reviews_received__published_at__isnull=False, reviews_received__hidden=False)
    by_client = visible & Q(reviews_received__author_role=Review.Role.CLIENT)
    by_expert = visible & Q(reviews_received__author_role=Review.Role.EXPERT)
    from accounts.models import User

    ratings = User.objects.filter(pk=user_id).aggregate(
        expert_avg=Avg("reviews_received__rating", filter=by_client),
        expert_count=Count("reviews_received", filter=by_client),
        work_again=Count(
            "reviews_received", filter=by_client & Q(reviews_received__would_work_again=True)
        ),
        client_avg=Avg("reviews_received__rating", filter=by_expert),
        client_count=Count("reviews_received", filter=by_expert),
    )
    finished = list(
        Workspace.objects.filter(
            contract__expert_id=user_id,
            status__in=[Workspace.Status.COMPLETED, Workspace.Status.TERMINATED],
        ).values_list("status", "created_at", "completed_at", "contract__days")
    )
    completed = [row for row in finished if row[0] == Workspace.Status.COMPLETED]
    on_time = sum(
        1
        for _, created, done, days in completed
        if done is not None and done <= created + timedelta(days=days)
    )
    per_client = list(
        Contract.objects.filter(expert_id=user_id)
        .values("client_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )
    projects = Project.objects.filter(owner_id=user_id).exclude(
        status__in=[
            Project.Status.DRAFT,
            Project.Status.PENDING,
            Project.Status.CLARIFICATION,
            Project.Status.REJECTED,
        ]
    )
    client = projects.aggregate(
        posted=Count("pk"), hired=Count("pk", filter=Q(contract__isnull=False))
    )
    paid = HeldFunds.objects.filter(payer_id=user_id, funded_at__isnull=False).exists()

    values: dict[str, Any] = {
        "rating_avg": _avg(ratings["expert_avg"]),
        "rating_count": ratings["expert_count"],
        "would_work_again": ratings["work_again"],
        "completed_projects": len(completed),
        "ended_projects": len(finished) - len(completed),
        "on_time_rate": _percent(on_time, len(completed)),
        "rehire_rate": _percent(sum(1 for n in per_client if n > 1), len(per_client)),
        "client_rating_avg": _avg(ratings["client_avg"]),
        "client_rating_count": ratings["client_count"],
        "projects_posted": client["posted"],
        "hires": client["hired"],
        "hire_rate": _percent(client["hired"], client["posted"]),
        "payment_verified": paid,
    }
    score, inputs = reliability(values)
    values["reliability"] = score
    values["reliability_inputs"] = [
        {"label": i.label, "value": i.value, "points": i.points, "max_points": i.max_points}
        for i in inputs
    ]
    return values


def reliability(values: dict[str, Any]) -> tuple[int | None, list[Input]]:
    """The reliability score and its inputs (only those with data count)."""
    inputs: list[Input] = []
    count = values["rating_count"]
    if count:
        avg = float(values["rating_avg"])
        inputs.append(
            Input(
                "Average rating",
                f"{avg:.1f} of 5 from {count} review{'s' if count != 1 else ''}",
                round(WEIGHTS["rating"] * (avg - 1) / 4),
                WEIGHTS["rating"],
            )
        )
    done = values["completed_projects"]
    if values["on_time_rate"] is not None:
        rate = values["on_time_rate"]
        inputs.append(
            Input(
                "On-time delivery",
                f"{rate}% of {done} completed project{'s' if done != 1 else ''}",
                round(WEIGHTS["on_time"] * rate / 100),
                WEIGHTS["on_time"],
            )
        )
    ended = values["ended_projects"]
    if done + ended:
        inputs.append(
            Input(
                "Completion",
                f"{done} completed, {ended} ended early",
                round(WEIGHTS["completion"] * done / (done + ended)),
                WEIGHTS["completion"],
            )
        )
    if count:
        again = values["would_work_again"]
        inputs.append(
            Input(
                "Clients who would work again",
                f"{again} of {count}",
                round(WEIGHTS["work_again"] * again / count),
                WEIGHTS["work_again"],
            )
        )
    if not count and not done:
        return None, inputs
    total = sum(i.max_points for i in inputs)
    return round(100 * sum(i.points for i in inputs) / total), inputs


def refresh_reputation(user_id: int) -> Reputation:
    """Recompute and store one user's aggregates (call inside the caller's transaction)."""
    values = compute_reputation(user_id)
    values["updated_at"] = timezone.now()
    reputation, _ = Reputation.objects.update_or_create(user_id=user_id, defaults=values)
    return reputation


def refresh_reputation_on_commit(*user_ids: int) -> None:
    """The events that change what a profile says (publish, hire, funding, review) call this:
    the figures are recomputed once the event is committed, not only by the nightly job."""
    from django.db import transaction

    for user_id in dict.fromkeys(user_ids):
        transaction.on_commit(partial(_refresh_committed, user_id))


def _refresh_committed(user_id: int) -> None:
    from django.db import transaction

    with transaction.atomic():
        refresh_reputation(user_id)


def recompute_all(*, user_ids: list[int] | None = None) -> int:
    """Recompute every client's and expert's aggregates (the command and the nightly job)."""
    from django.db import transaction

    from accounts.models import User

    users = User.objects.filter(Q(is_expert=True) | Q(is_client=True))
    if user_ids:
        users = User.objects.filter(pk__in=user_ids)
    count = 0
    for pk in users.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=500):
        with transaction.atomic():
            refresh_reputation(pk)
        count += 1
    return count
