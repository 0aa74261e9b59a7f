"""Dashboard reads: each panel is one query (or a few), whatever the amount of data.

Client: projects by status with bid counts, workspaces waiting on the client, money held and
spent. Expert: bids by status, invitations, workspaces waiting on the expert, earnings by month
(pending, available, withdrawn) and the SVG chart's geometry. Both: reviews still to write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from marketplace.money import format_money

CLIENT_WAITING = ("start_requested", "awaiting_payment", "delivered", "revision_fee_due")
EXPERT_WAITING = ("planned", "in_progress", "revision_requested")
EARNING_KINDS = ("escrow_release", "escrow_split", "pending_release", "reward")


@dataclass(frozen=True, slots=True)
class StatusCount:
    status: str
    label: str
    count: int


def _counts(rows: QuerySet[Any], choices: Any) -> list[StatusCount]:
    found = {row["status"]: row["n"] for row in rows}
    return [
        StatusCount(value, str(label), found[value])
        for value, label in choices.choices
        if found.get(value)
    ]


# --- client ------------------------------------------------------------------------------------


def projects_by_status(user: Any) -> list[StatusCount]:
    from projects.models import Project

    rows = Project.objects.filter(owner=user).values("status").annotate(n=Count("pk"))
    return _counts(rows.order_by(), Project.Status)


def recent_projects(user: Any, limit: int = 6) -> list[Any]:
    from projects.models import Project

    return list(
        Project.objects.filter(owner=user)
        .only("pk", "title", "status", "bid_count", "created_at")
        .order_by("-created_at", "-pk")[:limit]
    )


def _waiting(user: Any, *, side: str, statuses: tuple[str, ...], limit: int) -> list[Any]:
    from workspaces.models import Milestone, Workspace

    waiting = Milestone.objects.filter(workspace=OuterRef("pk"), status__in=statuses)
    return list(
        Workspace.objects.filter(
            **{f"contract__{side}": user},
            status__in=[Workspace.Status.ACTIVE, Workspace.Status.DISPUTED],
        )
        .filter(Exists(waiting))
        .select_related("contract__project")
        .order_by("-created_at")[:limit]
    )


def workspaces_waiting_on_client(user: Any, limit: int = 6) -> list[Any]:
    return _waiting(user, side="client", statuses=CLIENT_WAITING, limit=limit)


@dataclass(frozen=True, slots=True)
class ClientMoney:
    held: int
    spent: int
    currency: str


def client_money(user: Any) -> ClientMoney:
    """Held for running milestones, and spent (released to experts, net of split refunds)."""
    from escrow.models import HeldFunds

    status = HeldFunds.Status
    totals = HeldFunds.objects.filter(payer=user, currency=settings.PLATFORM_CURRENCY).aggregate(
        held=Sum("amount", filter=Q(status__in=[status.FUNDED, status.FROZEN])),
        spent=Sum(
            F("amount") - F("payer_refund"), filter=Q(status__in=[status.RELEASED, status.SPLIT])
        ),
    )
    return ClientMoney(
        held=totals["held"] or 0, spent=totals["spent"] or 0, currency=settings.PLATFORM_CURRENCY
    )


# --- expert ------------------------------------------------------------------------------------


def bids_by_status(user: Any) -> list[StatusCount]:
    from bids.models import Bid

    rows = Bid.objects.filter(expert=user).values("status").annotate(n=Count("pk"))
    return _counts(rows.order_by(), Bid.Status)


def recent_bids(user: Any, limit: int = 6) -> list[Any]:
    from bids.models import Bid

    return list(
        Bid.objects.filter(expert=user)
        .select_related("project")
        .only("pk", "status", "amount", "currency", "created_at", "project__title")
        .order_by("-created_at", "-pk")[:limit]
    )


def open_invitations(user: Any, limit: int = 6) -> list[Any]:
    """Invitations to open projects the expert has not bid on yet."""
    from bids.models import Bid
    from projects.models import Invitation, Project

    my_bid = Bid.objects.filter(project=OuterRef("project_id"), expert=user)
    return list(
        Invitation.objects.filter(expert=user, project__status=Project.Status.OPEN)
        .exclude(Exists(my_bid))
        .select_related("project")
        .order_by("-created_at")[:limit]
    )


def workspaces_waiting_on_expert(user: Any, limit: int = 6) -> list[Any]:
    return _waiting(user, side="expert", statuses=EXPERT_WAITING, limit=limit)


@dataclass(frozen=True, slots=True)
class MonthEarnings:
    month: date
    pending: int
    available: int
    withdrawn: int

    @property
    def label(self) -> str:
        return self.month.strftime("%b %Y")


def _month_starts(today: date, months: int) -> list[date]:
    year, month = today.year, today.month
    starts = []
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def earnings_by_month(
    user: Any, *, months: int = 6, today: date | None = None
) -> list[MonthEarnings]:
    """One query over the expert's wallet entries, grouped by month:
    pending = earnings credited as pending; available = earnings that reached the available
    balance (released milestones, splits, rewards, pending money that became available);
    withdrawn = withdrawals requested, less any returned."""
    from escrow.models import Account, Entry

    today = today or timezone.localdate()
    starts = _month_starts(today, months)
    first = datetime.combine(starts[0], datetime.min.time(), timezone.get_current_timezone())
    wallet = Q(account__kind=Account.Kind.WALLET)
    rows = (
        Entry.objects.filter(
            account__reference=f"user:{user.pk}",
            account__currency=settings.PLATFORM_CURRENCY,
            created_at__gte=first,
        )
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            pending=Sum(
                "amount", filter=Q(account__kind=Account.Kind.WALLET_PENDING, amount__gt=0)
            ),
            available=Sum("amount", filter=wallet & Q(transaction__kind__in=EARNING_KINDS)),
            withdrawn=Sum(
                "amount",
                filter=wallet & Q(transaction__kind__in=["payout_request", "payout_returned"]),
            ),
        )
        .order_by("month")
    )
    found: dict[date, Any] = {}
    for row in rows:
        month = row["month"]
        key = month.date() if isinstance(month, datetime) else month
        found[key] = row
    result = []
    for start in starts:
        sums = found.get(start, {})
        result.append(
            MonthEarnings(
                month=start,
                pending=sums.get("pending") or 0,
                available=sums.get("available") or 0,
                withdrawn=max(0, -(sums.get("withdrawn") or 0)),
            )
        )
    return result


# --- the chart -----------------------------------------------------------------------------------

# "Withdrawn" here is money paid out, not a withdrawn bid: its own translation context.
SERIES = (
    ("pending", gettext_lazy("Pending"), "pattern-pending"),
    ("available", gettext_lazy("Available"), "pattern-available"),
    ("withdrawn", pgettext_lazy("money", "Withdrawn"), "pattern-withdrawn"),
)


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    label: str
    fill: str
    title: str


@dataclass
class Chart:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar] = field(default_factory=list)
    months: list[tuple[float, str]] = field(default_factory=list)  # (x centre, label)
    gridlines: list[tuple[float, str]] = field(default_factory=list)  # (y, amount label)
    empty: bool = True


def earnings_chart(rows: list[MonthEarnings], *, currency: str) -> Chart:
    """Grouped bars (pending, available, withdrawn) per month, in SVG user units."""
    width, height, left, top, bottom = 640, 260, 64, 16, 220
    chart = Chart(width=width, height=height, plot_top=top, plot_bottom=bottom)
    peak = max((max(r.pending, r.available, r.withdrawn) for r in rows), default=0)
    chart.empty = peak == 0
    scale_top = _nice(peak) if peak else 100
    for step in range(5):
        value = scale_top * step // 4
        y = bottom - (bottom - top) * step / 4
        chart.gridlines.append((y, _compact(format_money(value, currency))))
    slot = (width - left - 8) / max(len(rows), 1)
    bar_width = slot / 4
    for index, row in enumerate(rows):
        slot_x = left + index * slot
        chart.months.append((slot_x + slot / 2, row.month.strftime("%b")))
        for offset, (name, series_label, fill) in enumerate(SERIES):
            label = str(series_label)
            value = getattr(row, name)
            bar_height = (bottom - top) * value / scale_top if scale_top else 0
            chart.bars.append(
                Bar(
                    x=round(slot_x + bar_width * (offset + 0.5), 1),
                    y=round(bottom - bar_height, 1),
                    width=round(bar_width - 2, 1),
                    height=round(bar_height, 1),
                    series=name,
                    label=label,
                    fill=fill,
                    title=f"{row.label}, {label.lower()}: {format_money(value, currency)}",
                )
            )
    return chart


def _compact(label: str) -> str:
    """ "€500.00" -> "€500" for axis labels (the table keeps the cents)."""
    return label.replace(".00", "", 1)


def _nice(value: int) -> int:
    """A round axis maximum at or above value (1, 2 or 5 times a power of ten)."""
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= value:
            return factor * magnitude
    return 10 * magnitude


# --- both ----------------------------------------------------------------------------------------


def client_dashboard(user: Any) -> dict[str, Any]:
    from reviews.selectors import reviews_to_write

    return {
        "project_counts": projects_by_status(user),
        "recent_projects": recent_projects(user),
        "waiting": workspaces_waiting_on_client(user),
        "money": client_money(user),
        "to_review": list(reviews_to_write(user)[:5]),
    }


def expert_dashboard(user: Any) -> dict[str, Any]:
    from reviews.selectors import reputation_of, reviews_to_write

    earnings = earnings_by_month(user)
    return {
        "bid_counts": bids_by_status(user),
        "recent_bids": recent_bids(user),
        "invitations": open_invitations(user),
        "waiting": workspaces_waiting_on_expert(user),
        "earnings": earnings,
        "chart": earnings_chart(earnings, currency=settings.PLATFORM_CURRENCY),
        "reputation": reputation_of(user),
        "to_review": list(reviews_to_write(user)[:5]),
    }
