"""Every write on reviews: invite, submit, publish, remind, reply, report, moderate.

Blindness: a review is stored with ``published_at`` empty and only its author sees it. Both
reviews of a contract are published together, in the transaction of the second one, or by the
beat job once the period closes (``REVIEW_WINDOW_DAYS`` after it opened). Reputation aggregates
move in the same transaction as the publication.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.formats import date_lazy
from notifications.services import notify
from reviews.exceptions import AlreadyReviewed, InvalidReview, NotAllowed, NotEligible, ReviewError
from reviews.models import Review, ReviewPeriod, ReviewReport
from reviews.reputation import refresh_reputation

if TYPE_CHECKING:
    from accounts.models import User
    from bids.models import Contract

TEXT_MAX = 5000
REPLY_MAX = 3000


def window_days() -> int:
    return int(getattr(settings, "REVIEW_WINDOW_DAYS", 14))


def reminder_days() -> tuple[int, int]:
    first, second = getattr(settings, "REVIEW_REMINDER_DAYS", (3, 10))
    return int(first), int(second)


def review_url(contract: Contract) -> str:
    return reverse("reviews:contract", args=[contract.pk])


def is_eligible(contract: Contract) -> bool:
    """Completed, or ended by termination after at least one milestone was paid out; a booking
    (platform fee only) once the client confirmed the work."""
    from bookings.selectors import is_booking_completed
    from workspaces.models import Milestone, Workspace

    paid = Q(milestones__status__in=[Milestone.Status.COMPLETED, Milestone.Status.SPLIT])
    return (
        Workspace.objects.filter(pk=contract.pk)
        .filter(
            Q(status=Workspace.Status.COMPLETED) | (Q(status=Workspace.Status.TERMINATED) & paid)
        )
        .exists()
    ) or is_booking_completed(contract)


def role_in(contract: Contract, user: User) -> str:
    if user.pk == contract.client_id:
        return Review.Role.CLIENT
    if user.pk == contract.expert_id:
        return Review.Role.EXPERT
    return ""


def invite_to_review(*, contract: Contract, notify_parties: bool = True) -> ReviewPeriod | None:
    """Open the review period of an eligible contract, once; None if it cannot be reviewed.

    The workspaces app calls it when a contract completes; the beat job catches up on any
    contract that became eligible without it (for instance ended after a paid milestone).
    """
    if not is_eligible(contract):
        return None
    with transaction.atomic():
        now = timezone.now()
        period, created = ReviewPeriod.objects.get_or_create(
            contract=contract, defaults={"opened_at": now, "closes_at": now + _window()}
        )
        if created:
            refresh_reputation(contract.expert_id)
            refresh_reputation(contract.client_id)
            if notify_parties:
                for user in (contract.client, contract.expert):
                    notify(
                        user=user,
                        kind="reviews.requested",
                        title=format_lazy(
                            gettext_lazy("Review your collaboration on “{title}”"),
                            title=contract.project.title,
                        ),
                        body=format_lazy(
                            gettext_lazy(
                                "Reviews stay hidden until both of you have written one or "
                                "{window_days} days have passed."
                            ),
                            window_days=window_days(),
                        ),
                        url=review_url(contract),
                        target=contract,
                    )
    return period


def _window() -> timedelta:
    return timedelta(days=window_days())


def _clean(
    *, role: str, rating: object, text: str, criteria: Mapping[str, object]
) -> dict[str, int]:
    """The validated criteria; InvalidReview with a clear message otherwise."""
    if not _star(rating):
        raise InvalidReview(_("Choose an overall rating from 1 to 5 stars."))
    if not text.strip():
        raise InvalidReview(_("Write a few words about how the work went."))
    if len(text) > TEXT_MAX:
        raise InvalidReview(
            _("Keep the review under {TEXT_MAX} characters.").format(TEXT_MAX=TEXT_MAX)
        )
    names = Review.EXPERT_CRITERIA if role == Review.Role.CLIENT else Review.CLIENT_CRITERIA
    clean: dict[str, int] = {}
    for name, label in names:
        value = criteria.get(name)
        if not _star(value):
            raise InvalidReview(_("Rate “{label}” from 1 to 5 stars.").format(label=label))
        clean[name] = int(value)  # type: ignore[call-overload]
    return clean


def _star(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


def submit_review(
    *,
    contract: Contract,
    by: User,
    rating: int,
    text: str,
    would_work_again: bool,
    criteria: Mapping[str, object],
) -> Review:
    """A party reviews the other; published at once if the other review is already in."""
    role = role_in(contract, by)
    if not role:
        raise NotAllowed()
    text = (text or "").strip()
    clean = _clean(role=role, rating=rating, text=text, criteria=criteria)
    period = invite_to_review(contract=contract)
    if period is None:
        raise NotEligible()
    try:
        with transaction.atomic():
            period = ReviewPeriod.objects.select_for_update().get(pk=period.pk)
            if Review.objects.filter(contract=contract, author=by).exists():
                raise AlreadyReviewed()
            if period.published_at is not None or period.closes_at <= timezone.now():
                raise NotEligible(_("The review period for this contract has ended."))
            review = Review.objects.create(
                contract=contract,
                author=by,
                subject_id=contract.expert_id if role == Review.Role.CLIENT else contract.client_id,
                author_role=role,
                rating=rating,
                text=text,
                would_work_again=bool(would_work_again),
                **clean,
            )
            if Review.objects.filter(contract=contract).count() == 2:
                _publish(period, contract=contract)
            else:
                notify(
                    user=review.subject,
                    kind="reviews.received",
                    title=(
                        format_lazy(
                            gettext_lazy("{name_for} reviewed your work on “{title}”"),
                            name_for=contract.name_for(by, viewer=review.subject),
                            title=contract.project.title,
                        )
                    ),
                    body=gettext_lazy("Write your review to see theirs; both appear together."),
                    url=review_url(contract),
                    target=contract,
                )
    except IntegrityError as error:  # the other tab won the race
        raise AlreadyReviewed() from error
    return review


def _publish(period: ReviewPeriod, *, contract: Contract, now: datetime | None = None) -> int:
    """Publish a locked period's reviews and move both parties' aggregates."""
    now = now or timezone.now()
    published = Review.objects.filter(contract=contract, published_at__isnull=True).update(
        published_at=now
    )
    period.published_at = now
    period.save(update_fields=["published_at"])
    refresh_reputation(contract.expert_id)
    refresh_reputation(contract.client_id)
    if published:
        for user in (contract.client, contract.expert):
            notify(
                user=user,
                kind="reviews.published",
                title=format_lazy(
                    gettext_lazy("Reviews for “{title}” are published"),
                    title=contract.project.title,
                ),
                url=review_url(contract),
                target=contract,
            )
    return published


def publish_due(*, now: datetime | None = None) -> int:
    """The beat job: publish every period whose window closed. Returns periods published."""
    now = now or timezone.now()
    due = list(
        ReviewPeriod.objects.filter(published_at__isnull=True, closes_at__lte=now).values_list(
            "pk", flat=True
        )
    )
    done = 0
    for pk in due:
        with transaction.atomic():
            period = (
                ReviewPeriod.objects.select_for_update(of=("self",))
                .select_related("contract__project", "contract__client", "contract__expert")
                .get(pk=pk)
            )
            if period.published_at is not None:
                continue
            _publish(period, contract=period.contract, now=now)
            done += 1
    return done


def open_missing_periods() -> int:
    """Open the period of contracts that became reviewable without an invitation."""
    from bids.models import Contract
    from bookings.models import Booking
    from workspaces.models import Workspace

    contracts = Contract.objects.filter(
        Q(workspace__status__in=[Workspace.Status.COMPLETED, Workspace.Status.TERMINATED])
        | Q(booking__status=Booking.Status.COMPLETED),
        review_period__isnull=True,
    ).select_related("project", "client", "expert")[:200]
    return sum(1 for contract in contracts if invite_to_review(contract=contract))


def send_reminders(*, now: datetime | None = None) -> int:
    """Remind parties who have not reviewed, 3 and 10 days in; each reminder claimed once."""
    now = now or timezone.now()
    first, second = reminder_days()
    sent = 0
    for field, days in (("reminded_3_at", first), ("reminded_10_at", second)):
        due = ReviewPeriod.objects.filter(
            published_at__isnull=True,
            opened_at__lte=now - timedelta(days=days),
            closes_at__gt=now,
            **{f"{field}__isnull": True},
        ).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                claimed = ReviewPeriod.objects.filter(pk=pk, **{f"{field}__isnull": True}).update(
                    **{field: now}
                )
                if not claimed:
                    continue
                period = ReviewPeriod.objects.select_related(
                    "contract__project", "contract__client", "contract__expert"
                ).get(pk=pk)
                contract = period.contract
                done = set(
                    Review.objects.filter(contract=contract).values_list("author_id", flat=True)
                )
                for user in (contract.client, contract.expert):
                    if user.pk in done:
                        continue
                    notify(
                        user=user,
                        kind="reviews.reminder",
                        title=format_lazy(
                            gettext_lazy("Leave your review of “{title}”"),
                            title=contract.project.title,
                        ),
                        body=format_lazy(
                            gettext_lazy("The review period closes on {date}."),
                            date=date_lazy(period.closes_at),
                        ),
                        url=review_url(contract),
                        target=contract,
                    )
                    sent += 1
    return sent


def reply_to_review(*, review: Review, by: User, text: str) -> Review:
    """The reviewed party answers once, publicly, after publication."""
    text = (text or "").strip()
    if not text:
        raise InvalidReview(_("Write your reply before sending it."))
    if len(text) > REPLY_MAX:
        raise InvalidReview(
            _("Keep the reply under {REPLY_MAX} characters.").format(REPLY_MAX=REPLY_MAX)
        )
    with transaction.atomic():
        review = (
            Review.objects.select_for_update().select_related("contract__project").get(pk=review.pk)
        )
        if by.pk != review.subject_id:
            raise NotAllowed(_("Only the person reviewed can reply."))
        if review.published_at is None:
            raise ReviewError(_("You can reply once the review is published."))
        if review.replied_at is not None:
            raise ReviewError(_("You already replied to this review."))
        review.reply = text
        review.replied_at = timezone.now()
        review.save(update_fields=["reply", "replied_at"])
        notify(
            user=review.author,
            kind="reviews.replied",
            title=format_lazy(
                gettext_lazy("{name_for} replied to your review"),
                name_for=review.contract.name_for(by, viewer=review.author),
            ),
            url=review_url(review.contract),
            target=review.contract,
        )
    return review


def report_review(*, review: Review, by: User, reason: str) -> ReviewReport:
    """A party to the contract flags a review for staff."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidReview(_("Say what is wrong with this review."))
    with transaction.atomic():
        review = Review.objects.select_related("contract").get(pk=review.pk)
        contract = review.contract
        if not role_in(contract, by):
            raise NotAllowed(_("Only the parties to this contract can report its reviews."))
        if review.author_id != by.pk and review.published_at is None:
            raise NotAllowed(_("This review is not published yet."))
        if ReviewReport.objects.filter(review=review, by=by, status="open").exists():
            raise ReviewError(_("You already reported this review; staff will look at it."))
        report = ReviewReport.objects.create(review=review, by=by, reason=reason)
    return report


def decide_report(*, report: ReviewReport, by: User, hide: bool, note: str = "") -> ReviewReport:
    """Staff uphold a report (the review is hidden, aggregates move) or dismiss it."""
    if not by.is_staff:
        raise NotAllowed(_("Only staff moderate reviews."))
    with transaction.atomic():
        report = ReviewReport.objects.select_for_update().select_related("review").get(pk=report.pk)
        if report.status != ReviewReport.Status.OPEN:
            raise ReviewError(_("This report was already decided."))
        report.status = ReviewReport.Status.UPHELD if hide else ReviewReport.Status.DISMISSED
        report.decided_by = by
        report.decided_at = timezone.now()
        report.save(update_fields=["status", "decided_by", "decided_at"])
        if hide:
            set_review_hidden(review=report.review, by=by, hidden=True, note=note)
    return report


def set_review_hidden(*, review: Review, by: User, hidden: bool, note: str = "") -> Review:
    if not by.is_staff:
        raise NotAllowed(_("Only staff moderate reviews."))
    with transaction.atomic():
        review = Review.objects.select_for_update().get(pk=review.pk)
        if review.hidden == hidden:
            return review
        review.hidden = hidden
        review.moderation_note = note or review.moderation_note
        review.save(update_fields=["hidden", "moderation_note"])
        refresh_reputation(review.subject_id)
    return review
