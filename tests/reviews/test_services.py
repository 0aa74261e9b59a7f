"""Reviews: eligibility, refusals, blindness, publication, reminders, replies and reports."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from reviews import selectors, services
from reviews.exceptions import AlreadyReviewed, InvalidReview, NotAllowed, NotEligible, ReviewError
from reviews.models import Reputation, Review, ReviewPeriod, ReviewReport
from tests.factories import ClientFactory, StaffFactory
from tests.reviews.factories import (
    CLIENT_CRITERIA,
    EXPERT_CRITERIA,
    active_contract,
    ended_contract,
    review,
)

pytestmark = pytest.mark.django_db


def test_completing_the_workspace_opens_the_review_period_once(contract):
    period = ReviewPeriod.objects.get(pk=contract.pk)
    assert period.published_at is None
    assert period.closes_at - period.opened_at == timedelta(days=14)
    assert services.invite_to_review(contract=contract) == period
    assert ReviewPeriod.objects.count() == 1
    review_page = services.review_url(contract)
    for user in (contract.client, contract.expert):
        # Asked once, by the completing event's own notification, which links to the reviews.
        assert user.notifications.filter(url=review_page).count() == 1


def test_client_review_is_saved_hidden_from_the_expert(contract, client_user, expert):
    saved = review(contract, client_user, rating=4)
    assert saved.published_at is None
    assert saved.subject == expert
    assert (saved.quality, saved.communication, saved.timeliness, saved.value) == (5, 4, 5, 4)
    seen_by_expert = selectors.contract_reviews(contract=contract, viewer=expert)
    assert seen_by_expert.theirs is None
    assert seen_by_expert.theirs_waiting
    assert selectors.contract_reviews(contract=contract, viewer=client_user).mine == saved
    assert selectors.public_reviews(expert) == []
    assert expert.notifications.filter(kind="reviews.received").count() == 1


def test_second_review_publishes_both_and_moves_the_aggregates(contract, client_user, expert):
    review(contract, client_user, rating=4, would_work_again=True)
    review(contract, expert, rating=5)
    assert Review.objects.filter(contract=contract, published_at__isnull=True).count() == 0
    assert ReviewPeriod.objects.get(pk=contract.pk).published_at is not None
    assert selectors.contract_reviews(contract=contract, viewer=expert).theirs.rating == 4
    assert selectors.contract_reviews(contract=contract, viewer=client_user).theirs.rating == 5
    expert_rep = Reputation.objects.get(user=expert)
    assert str(expert_rep.rating_avg) == "4.00"
    assert expert_rep.rating_count == 1
    assert expert_rep.completed_projects == 1
    assert expert_rep.reliability is not None
    client_rep = Reputation.objects.get(user=client_user)
    assert str(client_rep.client_rating_avg) == "5.00"
    assert client_rep.payment_verified


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5", None])
def test_rating_outside_one_to_five_is_refused(contract, client_user, rating):
    with pytest.raises(InvalidReview, match="1 to 5"):
        review(contract, client_user, rating=rating)
    assert not Review.objects.exists()


def test_empty_text_is_refused(contract, client_user):
    with pytest.raises(InvalidReview, match="Write a few words"):
        review(contract, client_user, text="   ")
    assert not Review.objects.exists()


def test_missing_criterion_is_refused(contract, client_user):
    criteria = {**EXPERT_CRITERIA}
    del criteria["value"]
    with pytest.raises(InvalidReview, match="Value for money"):
        review(contract, client_user, criteria=criteria)
    assert not Review.objects.exists()


def test_client_criteria_are_asked_of_the_expert(contract, expert):
    saved = review(contract, expert, criteria=CLIENT_CRITERIA)
    assert [label for label, _ in saved.criteria] == [
        "Clarity of requirements",
        "Responsiveness",
        "Payment promptness",
    ]


def test_second_review_by_the_same_party_is_refused(contract, client_user):
    first = review(contract, client_user)
    with pytest.raises(AlreadyReviewed):
        review(contract, client_user, rating=1, text="Changed my mind")
    assert list(Review.objects.all()) == [first]
    assert Review.objects.get().rating == 5


def test_database_allows_one_review_per_party(contract, client_user):
    first = review(contract, client_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(
            contract=contract,
            author=client_user,
            subject=first.subject,
            author_role=Review.Role.CLIENT,
            rating=3,
            text="Again",
            would_work_again=False,
        )


def test_someone_outside_the_contract_cannot_review(contract):
    with pytest.raises(NotAllowed):
        review(contract, ClientFactory())
    assert not Review.objects.exists()


def test_contract_still_running_cannot_be_reviewed(db):
    contract = active_contract()
    with pytest.raises(NotEligible):
        review(contract, contract.client)
    assert not Review.objects.exists()
    assert not ReviewPeriod.objects.exists()


def test_contract_ended_before_any_paid_milestone_cannot_be_reviewed(db):
    contract = ended_contract(paid=False)
    with pytest.raises(NotEligible):
        review(contract, contract.client)
    assert not Review.objects.exists()
    assert not ReviewPeriod.objects.exists()


def test_contract_ended_after_a_paid_milestone_invites_and_can_be_reviewed(db):
    contract = ended_contract(paid=True)
    assert ReviewPeriod.objects.filter(pk=contract.pk).exists()
    assert contract.expert.notifications.filter(kind="reviews.requested").count() == 1
    assert review(contract, contract.client).pk


def test_review_after_the_period_closed_is_refused(contract, client_user):
    ReviewPeriod.objects.filter(pk=contract.pk).update(closes_at=timezone.now())
    with pytest.raises(NotEligible, match="ended"):
        review(contract, client_user)
    assert not Review.objects.exists()


def test_publish_job_publishes_a_one_sided_review_after_fourteen_days(
    contract, client_user, expert
):
    review(contract, client_user, rating=3)
    assert services.publish_due() == 0
    later = timezone.now() + timedelta(days=14, minutes=1)
    assert services.publish_due(now=later) == 1
    assert services.publish_due(now=later) == 0
    assert selectors.contract_reviews(contract=contract, viewer=expert).theirs.rating == 3
    assert Reputation.objects.get(user=expert).rating_count == 1
    assert selectors.contract_reviews(contract=contract, viewer=expert).can_review is False


def test_reminders_go_at_three_and_ten_days_to_whoever_has_not_reviewed(
    contract, client_user, expert
):
    review(contract, client_user)
    opened = ReviewPeriod.objects.get(pk=contract.pk).opened_at
    assert services.send_reminders(now=opened + timedelta(days=2)) == 0
    assert services.send_reminders(now=opened + timedelta(days=3, minutes=1)) == 1
    assert services.send_reminders(now=opened + timedelta(days=4)) == 0
    assert services.send_reminders(now=opened + timedelta(days=10, minutes=1)) == 1
    assert expert.notifications.filter(kind="reviews.reminder").count() == 2
    assert not client_user.notifications.filter(kind="reviews.reminder").exists()


def test_reviewed_party_replies_once_publicly(contract, client_user, expert):
    received = review(contract, client_user)
    review(contract, expert)
    received.refresh_from_db()
    services.reply_to_review(review=received, by=expert, text="Thank you!")
    received.refresh_from_db()
    assert received.reply == "Thank you!"
    with pytest.raises(ReviewError, match="already replied"):
        services.reply_to_review(review=received, by=expert, text="Again")
    received.refresh_from_db()
    assert received.reply == "Thank you!"


def test_reply_is_refused_to_the_author_and_before_publication(contract, client_user, expert):
    received = review(contract, client_user)
    with pytest.raises(ReviewError, match="published"):
        services.reply_to_review(review=received, by=expert, text="Early")
    review(contract, expert)
    with pytest.raises(NotAllowed):
        services.reply_to_review(review=received, by=client_user, text="Mine")
    received.refresh_from_db()
    assert received.reply == ""


def test_parties_report_and_staff_hide_a_review(contract, client_user, expert):
    received = review(contract, client_user, rating=1, text="Rude words")
    review(contract, expert)
    assert Reputation.objects.get(user=expert).rating_count == 1
    report = services.report_review(review=received, by=expert, reason="Insulting")
    with pytest.raises(NotAllowed):
        services.report_review(review=received, by=ClientFactory(), reason="Spam")
    with pytest.raises(NotAllowed):
        services.decide_report(report=report, by=expert, hide=True)
    services.decide_report(report=report, by=StaffFactory(), hide=True)
    received.refresh_from_db()
    assert received.hidden
    assert ReviewReport.objects.get().status == ReviewReport.Status.UPHELD
    assert Reputation.objects.get(user=expert).rating_count == 0
    assert selectors.public_reviews(expert) == []
