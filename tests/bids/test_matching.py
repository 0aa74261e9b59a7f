"""Best match: the score's parts and the order it gives."""

import pytest

from accounts.models import ExpertLanguage, ExpertSkill
from bids.models import Bid
from bids.selectors import bids_for_client
from projects.models import Invitation
from tests.bids.factories import ExpertFactory, award_and_confirm, make_open_project, place
from tests.projects.factories import language, skill

pytestmark = pytest.mark.django_db


def _expert(*skills, languages=()):
    user = ExpertFactory()
    for slug in skills:
        ExpertSkill.objects.create(profile=user.expert_profile, skill=skill(slug))
    for code in languages:
        ExpertLanguage.objects.create(profile=user.expert_profile, language=language(code))
    return user


@pytest.fixture
def two_skill_project(client_user):
    project = make_open_project(
        owner=client_user, skills=[skill("logo-design"), skill("python")], budget_min=50_000
    )
    project.languages.set([language("de")])
    return project


def test_best_match_ranks_skills_and_language_above_a_lower_price(two_skill_project):
    strong = place(
        two_skill_project, _expert("logo-design", "python", languages=["de"]), amount=49_000
    )
    cheap = place(two_skill_project, _expert(), amount=20_000)
    half = place(two_skill_project, _expert("python"), amount=45_000)
    order = [bid.pk for bid in bids_for_client(two_skill_project, order="best")]
    assert order == [strong.pk, half.pk, cheap.pk]


def test_best_match_explains_each_part(two_skill_project):
    place(two_skill_project, _expert("python", languages=["de"]), amount=75_000, days=400)
    [bid] = bids_for_client(two_skill_project)
    labels = [reason.label for reason in bid.match.reasons]
    assert labels[0] == "Has 1 of 2 required skills (Python)"
    assert labels[1] == "50% over your budget of €500.00"
    assert "past the deadline" in labels[2]
    assert labels[3] == "Speaks German"
    assert bid.match.score == 20 + 10 + 0 + 10


def test_invited_expert_and_previous_collaborator_score_higher(client_user):
    project = make_open_project(owner=client_user)
    invited, stranger, previous = _expert(), _expert(), _expert()
    Invitation.objects.create(project=project, expert=invited, invited_by=client_user)
    earlier = make_open_project(owner=client_user)
    award_and_confirm(place(earlier, previous))
    for person in (stranger, invited, previous):
        place(project, person, amount=40_000)
    by_expert = {bid.expert_id: bid.match for bid in bids_for_client(project)}
    assert by_expert[previous.pk].score > by_expert[invited.pk].score > by_expert[stranger.pk].score
    assert "Worked with you before" in [r.label for r in by_expert[previous.pk].reasons]


@pytest.mark.parametrize(
    ("order", "expected"),
    [("price_asc", [1, 3, 2]), ("price_desc", [2, 3, 1]), ("newest", [3, 2, 1])],
)
def test_bid_list_orders(project, order, expected):
    bids = [place(project, _expert(), amount=amount) for amount in (10_000, 30_000, 20_000)]
    numbers = [bid.number for bid in bids_for_client(project, order=order)]
    assert numbers == [bids[i - 1].number for i in expected]


def test_shortlisted_first_and_hidden_left_out(project):
    _first, second, third = (place(project, _expert()) for _ in range(3))
    Bid.objects.filter(pk=third.pk).update(shortlisted=True)
    Bid.objects.filter(pk=second.pk).update(hidden=True)
    assert [b.pk for b in bids_for_client(project, order="shortlisted")][:1] == [third.pk]
    assert second.pk not in [b.pk for b in bids_for_client(project)]
    assert second.pk in [b.pk for b in bids_for_client(project, show_hidden=True)]


def test_a_price_over_budget_is_a_shortfall_not_a_good_point(two_skill_project):
    # 25% over: still 15 of 20 points, which used to be shown in the colour of a good point.
    place(two_skill_project, _expert("python"), amount=62_500)
    [bid] = bids_for_client(two_skill_project)
    over = next(r for r in bid.match.reasons if "over your budget" in r.label)
    assert over.label.startswith("25% over")
    assert over.shortfall
    assert not over.good
