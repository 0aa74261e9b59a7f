"""Reads: what a viewer may see of a contract's reviews, public reviews, reviews still to write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from reviews.models import Reputation, Review, ReviewPeriod
from reviews.services import is_eligible, role_in

if TYPE_CHECKING:
    from accounts.models import User
    from bids.models import Contract


@dataclass
class ContractReviews:
    contract: Contract
    role: str
    period: ReviewPeriod | None
    mine: Review | None
    theirs: Review | None  # None while hidden from the viewer
    theirs_waiting: bool  # the other party reviewed, still hidden from the viewer
    eligible: bool

    @property
    def can_review(self) -> bool:
        period_open = self.period is None or (
            self.period.published_at is None and self.period.closes_at > timezone.now()
        )
        return self.eligible and self.mine is None and bool(self.role) and period_open


def get_contract_for(*, user: User, pk: int) -> Contract:
    from bids.models import Contract

    contract = Contract.objects.select_related("project", "client", "expert").filter(pk=pk).first()
    if contract is None or not (user.is_staff or role_in(contract, user)):
        raise Http404("No such contract.")
    return contract


def contract_reviews(*, contract: Contract, viewer: User) -> ContractReviews:
    """The viewer's own review, and the other one only once published and not hidden."""
    reviews = list(Review.objects.filter(contract=contract).select_related("author", "subject"))
    period = ReviewPeriod.objects.filter(pk=contract.pk).first()
    mine = next((r for r in reviews if r.author_id == viewer.pk), None)
    other = next((r for r in reviews if r.author_id != viewer.pk), None)
    visible = other is not None and other.published_at is not None and not other.hidden
    return ContractReviews(
        contract=contract,
        role=role_in(contract, viewer),
        period=period,
        mine=mine,
        theirs=other if visible else None,
        theirs_waiting=other is not None and other.published_at is None,
        eligible=period is not None or is_eligible(contract),
    )


def public_reviews(user: Any, *, role: str = Review.Role.CLIENT, limit: int = 10) -> list[Review]:
    """Published, visible reviews a user received (by clients: as an expert)."""
    return list(
        Review.objects.filter(
            subject=user, author_role=role, published_at__isnull=False, hidden=False
        )
        .select_related("author", "contract__project")
        .order_by("-published_at", "-pk")[:limit]
    )


def reputation_of(user: Any) -> Reputation | None:
    return Reputation.objects.filter(user=user).first()


def reviews_to_write(user: User) -> QuerySet[ReviewPeriod]:
    """Open review periods of the user's contracts that the user has not reviewed yet."""
    written = Review.objects.filter(contract_id=OuterRef("contract_id"), author=user)
    return (
        ReviewPeriod.objects.filter(published_at__isnull=True, closes_at__gt=timezone.now())
        .filter(Q(contract__client=user) | Q(contract__expert=user))
        .filter(~Exists(written))
        .select_related("contract__project")
        .order_by("closes_at")
    )
