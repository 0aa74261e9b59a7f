"""Staff moderation in the admin, the beat jobs, and client reputation shown to experts."""

import pytest
from django.urls import reverse

from reviews import tasks
from reviews.models import Reputation, Review, ReviewPeriod, ReviewReport
from reviews.services import report_review
from tests.bids.factories import place
from tests.factories import ExpertProfileFactory, StaffFactory
from tests.projects.factories import ExpertFactory, make_open_project
from tests.reviews.factories import review

pytestmark = pytest.mark.django_db


def test_staff_uphold_a_report_from_the_admin(client, contract, client_user, expert):
    received = review(contract, client_user, rating=1)
    review(contract, expert)
    report = report_review(review=received, by=expert, reason="Not true")
    client.force_login(StaffFactory(is_superuser=True))
    response = client.post(
        reverse("admin:reviews_reviewreport_changelist"),
        {"action": "uphold", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    assert ReviewReport.objects.get().status == ReviewReport.Status.UPHELD
    assert Review.objects.get(pk=received.pk).hidden
    assert Reputation.objects.get(user=expert).rating_count == 0


def test_staff_show_a_hidden_review_again_from_the_admin(client, contract, client_user, expert):
    received = review(contract, client_user, rating=4)
    review(contract, expert)
    Review.objects.filter(pk=received.pk).update(hidden=True)
    client.force_login(StaffFactory(is_superuser=True))
    client.post(
        reverse("admin:reviews_review_changelist"),
        {"action": "show", "_selected_action": [received.pk]},
    )
    assert not Review.objects.get(pk=received.pk).hidden
    assert Reputation.objects.get(user=expert).rating_count == 1


def test_publish_job_opens_a_missing_period_without_publishing_it(contract):
    ReviewPeriod.objects.all().delete()
    assert tasks.publish_due_reviews() == 0
    period = ReviewPeriod.objects.get(pk=contract.pk)
    assert period.published_at is None
    assert tasks.send_review_reminders() == 0


def test_recompute_job_covers_clients_and_experts(contract, client_user, expert):
    Reputation.objects.all().delete()
    assert tasks.recompute_reputation() >= 2
    assert Reputation.objects.get(user=expert).completed_projects == 1


def test_experts_see_the_client_reputation_on_a_project_and_their_bid(
    client, contract, client_user, expert
):
    review(contract, client_user)
    review(contract, expert, rating=4)
    project = make_open_project(client_user)
    bidder = ExpertFactory()
    ExpertProfileFactory(user=bidder)
    bid = place(project, bidder)
    client.force_login(bidder)
    html = client.get(project.get_absolute_url()).content.decode()
    assert "About the client" in html
    assert "Payment verified" in html
    assert "4.0 out of 5 stars" in html
    html = client.get(reverse("bids:detail", args=[bid.pk])).content.decode()
    assert "About the client" in html
