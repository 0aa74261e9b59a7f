"""Reputation aggregates: kept with each publication, equal to a recomputation, fed into ranking."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import ExpertSkill
from bids.selectors import bids_for_client
from projects.search import ExpertQuery, search_experts, suggested_experts
from reviews.models import Reputation
from reviews.reputation import compute_reputation, reliability
from tests.bids.factories import place
from tests.factories import ExpertProfileFactory
from tests.projects.factories import ClientFactory, ExpertFactory, make_open_project, skill
from tests.reviews.factories import completed_contract, review
from workspaces.models import Workspace

pytestmark = pytest.mark.django_db

FIELDS = [f.name for f in Reputation._meta.fields if f.name not in {"user", "updated_at"}]


def _stored(user) -> dict:
    row = Reputation.objects.get(user=user)
    return {name: getattr(row, name) for name in FIELDS}


def _rated_expert(*ratings: int, client=None):
    """An expert with a profile (logo design) and one published review per rating."""
    expert = ExpertFactory()
    profile = ExpertProfileFactory(user=expert)
    ExpertSkill.objects.create(profile=profile, skill=skill("logo-design"))
    for rating in ratings:
        contract = completed_contract(expert=expert, owner=client or ClientFactory())
        review(contract, contract.client, rating=rating)
        review(contract, expert, rating=5)
    return expert


def test_aggregates_kept_by_publication_match_a_recomputation():
    client = ClientFactory()
    expert = _rated_expert(5, 3, client=client)
    stored = _stored(expert)
    assert stored == {name: compute_reputation(expert.pk)[name] for name in FIELDS}
    assert str(stored["rating_avg"]) == "4.00"
    assert stored["rating_count"] == 2
    assert stored["completed_projects"] == 2
    assert stored["rehire_rate"] == 100
    assert _stored(client) == {name: compute_reputation(client.pk)[name] for name in FIELDS}
    assert _stored(client)["hire_rate"] == 100


def test_recompute_command_repairs_drifted_aggregates():
    expert = _rated_expert(4)
    Reputation.objects.filter(user=expert).update(rating_avg=1, rating_count=99, reliability=1)
    call_command("recompute_reputation", stdout=StringIO())
    stored = _stored(expert)
    assert str(stored["rating_avg"]) == "4.00"
    assert stored["rating_count"] == 1
    assert stored == {name: compute_reputation(expert.pk)[name] for name in FIELDS}


def test_late_completion_lowers_the_on_time_rate():
    contract = completed_contract()
    Workspace.objects.filter(pk=contract.pk).update(
        completed_at=contract.workspace.created_at + timedelta(days=contract.days + 1)
    )
    assert compute_reputation(contract.expert_id)["on_time_rate"] == 0


def test_reliability_explains_each_input_and_waits_for_history():
    empty = compute_reputation(ExpertFactory().pk)
    assert empty["reliability"] is None
    score, inputs = reliability(
        {
            "rating_avg": 5,
            "rating_count": 2,
            "would_work_again": 1,
            "completed_projects": 2,
            "ended_projects": 0,
            "on_time_rate": 50,
        }
    )
    assert [(i.label, i.points, i.max_points) for i in inputs] == [
        ("Average rating", 40, 40),
        ("On-time delivery", 12, 25),
        ("Completion", 20, 20),
        ("Clients who would work again", 8, 15),
    ]
    assert score == 80


def test_best_match_ranks_the_better_rated_bidder_first():
    low = _rated_expert(2)
    high = _rated_expert(5)
    project = make_open_project(ClientFactory())
    low_bid = place(project, low, amount=40_000)
    high_bid = place(project, high, amount=40_000)
    rows = bids_for_client(project)
    assert [b.pk for b in rows] == [high_bid.pk, low_bid.pk]
    labels = [r.label for r in rows[0].match.reasons]
    assert "Rated 5.0/5 by 1 client" in labels
    assert rows[0].match.score - rows[1].match.score == 8  # 10 points vs 2.5 rounded to 2


def test_find_a_freelancer_ranks_by_rating_and_filters_on_it():
    unrated = ExpertProfileFactory(user=ExpertFactory()).user
    low = _rated_expert(3)
    high = _rated_expert(5)
    page = search_experts(query=ExpertQuery())
    order = [p.user_id for p in page.items]
    assert order.index(high.pk) < order.index(low.pk) < order.index(unrated.pk)
    page = search_experts(query=ExpertQuery(min_rating=4))
    assert [p.user_id for p in page.items] == [high.pk]


def test_suggested_experts_give_points_for_rating():
    low = _rated_expert(1)
    high = _rated_expert(5)
    project = make_open_project(ClientFactory())
    suggestions = {s.profile.user_id: s for s in suggested_experts(project=project, limit=10)}
    assert suggestions[high.pk].score > suggestions[low.pk].score
    assert "Rated 5.0 by clients" in suggestions[high.pk].reasons


def test_expert_profile_shows_reputation_and_reviews(client, django_assert_max_num_queries):
    expert = _rated_expert(4)
    url = reverse("accounts:expert_detail", args=[expert.expert_profile.pk])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "4.0 out of 5 stars" in html
    assert "Why this score" in html
    assert "Great work." in html


def test_find_a_freelancer_page_shows_the_rating(client):
    _rated_expert(5)
    html = client.get(reverse("projects:find_freelancer")).content.decode()
    assert "Rated 5.0/5 (1 review)" in html
