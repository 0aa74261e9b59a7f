"""Find a Project and Find a Freelancer: ranking, filters, pagination, bad input, query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from accounts.selectors import taxonomy
from projects import services
from projects.models import Project
from projects.search import PAGE_SIZE, ProjectQuery, _ago, search_projects
from tests.factories import verified_company
from tests.projects.factories import (
    category,
    language,
    make_expert_with,
    make_open_project,
    skill,
)

pytestmark = pytest.mark.django_db

FIND = reverse("projects:find")
FREELANCERS = reverse("projects:find_freelancer")


def _titles(page):
    return [project.title for project in page.items]


def _engineering(**overrides):
    return {
        "category": category("engineering"),
        "skills": [skill("injection-moulding")],
        **overrides,
    }


@pytest.mark.postgres
def test_text_search_ranks_title_above_skills_above_description(owner):
    make_open_project(
        owner, title="Packaging artwork", description="Our supplier mentions injection moulding."
    )
    make_open_project(owner, **_engineering(title="Plastic housing review"))
    make_open_project(owner, **_engineering(title="Injection moulding defect analysis"))
    page = search_projects(query=ProjectQuery(q="injection moulding"), viewer=owner)
    assert _titles(page) == [
        "Injection moulding defect analysis",
        "Plastic housing review",
        "Packaging artwork",
    ]


@pytest.mark.postgres
def test_websearch_syntax_excludes_words(owner):
    make_open_project(owner, title="Logo for a bakery")
    make_open_project(owner, title="Logo for a brewery")
    page = search_projects(query=ProjectQuery(q="logo -brewery"), viewer=owner)
    assert _titles(page) == ["Logo for a bakery"]


@pytest.mark.postgres
def test_edit_updates_the_stored_search_vector(owner):
    project = make_open_project(owner, title="Signboard for a bakery", description="Cakes.")
    services.update_project(project=project, by=owner, values={"title": "Mascot for a bakery"})
    assert _titles(search_projects(query=ProjectQuery(q="mascot"), viewer=owner)) == [
        "Mascot for a bakery"
    ]
    assert _titles(search_projects(query=ProjectQuery(q="signboard"), viewer=owner)) == []


@pytest.mark.postgres
def test_featured_project_comes_first_and_expires_by_time(owner):
    now = timezone.now()
    make_open_project(owner, title="Newest plain logo")
    featured = make_open_project(
        owner, title="Featured logo", featured_until=now + timedelta(days=1)
    )
    Project.objects.filter(pk=featured.pk).update(published_at=now - timedelta(days=5))
    make_open_project(owner, title="Expired logo", featured_until=now - timedelta(minutes=1))
    page = search_projects(query=ProjectQuery(q="logo", sort="newest"), viewer=owner)
    assert _titles(page)[0] == "Featured logo"
    assert not next(p for p in page.items if p.title == "Expired logo").featured


@pytest.mark.postgres
def test_filters_combine(owner):
    company = verified_company()
    make_open_project(
        company,
        title="On-site mould audit",
        location_type="onsite",
        country="DE",
        city="Stuttgart",
        languages=[language("de")],
        budget_type="range",
        budget_min=200000,
        budget_max=400000,
        **_engineering(),
    )
    make_open_project(owner, title="Remote mould audit", **_engineering())
    make_open_project(company, title="Logo", budget_min=30000, budget_max=30000)
    query = ProjectQuery(
        skill_ids=[skill("injection-moulding").pk],
        category_id=category("engineering").pk,
        budget_min=250000,
        language_id=language("de").pk,
        location="onsite",
        country="DE",
        posted_within_days=1,
        companies_only=True,
    )
    assert _titles(search_projects(query=query, viewer=owner)) == ["On-site mould audit"]


@pytest.mark.postgres
def test_budget_sorts_and_fewest_bids(owner):
    make_open_project(owner, title="Small", budget_min=10000, budget_max=10000)
    big = make_open_project(owner, title="Big", budget_min=90000, budget_max=90000)
    make_open_project(owner, title="Middle", budget_min=50000, budget_max=50000)
    Project.objects.filter(pk=big.pk).update(bid_count=0)
    Project.objects.exclude(pk=big.pk).update(bid_count=3)
    assert _titles(search_projects(query=ProjectQuery(sort="budget_high"), viewer=owner)) == [
        "Big",
        "Middle",
        "Small",
    ]
    assert _titles(search_projects(query=ProjectQuery(sort="budget_low"), viewer=owner))[0] == (
        "Small"
    )
    assert _titles(search_projects(query=ProjectQuery(sort="fewest_bids"), viewer=owner))[0] == (
        "Big"
    )


@pytest.mark.postgres
def test_find_projects_with_my_skills_and_best_match(owner):
    expert = make_expert_with("injection-moulding", "failure-analysis")
    make_open_project(owner, title="Logo")
    make_open_project(owner, title="One skill", **_engineering())
    make_open_project(
        owner,
        title="Both skills",
        **_engineering(skills=[skill("injection-moulding"), skill("failure-analysis")]),
    )
    Project.objects.filter(title="Both skills").update(
        published_at=timezone.now() - timedelta(days=3)
    )
    page = search_projects(query=ProjectQuery(mine=True), viewer=expert)
    assert _titles(page) == ["Both skills", "One skill"]


def test_mine_without_skills_finds_nothing(owner, expert):
    make_open_project(owner)
    assert search_projects(query=ProjectQuery(mine=True), viewer=expert).items == []


def test_pagination_fetches_one_more_instead_of_counting(owner, django_assert_num_queries):
    for number in range(PAGE_SIZE + 1):
        make_open_project(owner, title=f"Logo {number}")
    taxonomy()  # cached between requests: names of categories and skills cost no query
    # The featured and regular slices (+1 row each) in one UNION ALL where the database allows,
    # then the cards' skill ids.
    with django_assert_num_queries(
        2 if connection.features.supports_slicing_ordering_in_compound else 3
    ):
        first = search_projects(query=ProjectQuery(sort="newest"), viewer=owner)
    assert len(first.items) == PAGE_SIZE
    assert first.has_next
    second = search_projects(query=ProjectQuery(sort="newest"), viewer=owner, page=2)
    assert len(second.items) == 1
    assert not second.has_next
    assert second.has_previous


def test_find_page_query_count_does_not_grow(client, owner, django_assert_max_num_queries):
    for number in range(25):
        make_open_project(owner, title=f"Logo {number}")
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(FIND, {"q": "logo", "sort": "newest"})
    assert response.status_code == 200
    assert len(response.context["page"].items) == PAGE_SIZE


def test_find_htmx_returns_only_results_fragment(client, owner):
    make_open_project(owner, title="Logo for a bakery")
    response = client.get(FIND, {"q": "bakery"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "Logo for a bakery" in body
    assert "<html" not in body


def test_find_page_without_javascript_has_form_and_links(client, owner):
    make_open_project(owner)
    body = client.get(FIND).content.decode()
    assert 'action="/projects/"' in body
    assert 'hx-push-url="true"' in body


@pytest.mark.parametrize(
    "q",
    [
        "x" * 1000,
        "'; DROP TABLE projects_project; --",
        "<script>alert(1)</script>",
        '"unbalanced & | ! ( quotes',
    ],
)
def test_hostile_search_input_is_safe(client, owner, q):
    make_open_project(owner, title="Logo for a bakery")
    response = client.get(FIND, {"q": q})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert Project.objects.count() == 1


def test_overlong_search_gets_a_message_beside_the_field(client):
    response = client.get(FIND, {"q": "x" * 1000})
    assert "at most 200 characters" in response.content.decode()


def test_bad_budget_filter_is_reported_not_fatal(client, owner):
    make_open_project(owner)
    response = client.get(FIND, {"budget_min": "lots"})
    assert response.status_code == 200
    assert "Enter an amount as a number" in response.content.decode()
    assert len(response.context["page"].items) == 1


def test_sqlite_or_postgres_plain_words_find_title(client, owner):
    make_open_project(owner, title="Logo for a bakery")
    make_open_project(owner, title="Mobile app", description="An app for runners.")
    response = client.get(FIND, {"q": "bakery"})
    assert [p.title for p in response.context["page"].items] == ["Logo for a bakery"]


# --- Find a Freelancer ------------------------------------------------------------------------


def test_find_freelancer_filters_by_skill_rate_language_country_and_kind(client):
    make_expert_with(
        "injection-moulding",
        headline="Mould engineer",
        hourly_rate=9000,
        country="DE",
        languages=["de"],
    )
    make_expert_with("logo-design", headline="Logo designer", hourly_rate=4000, country="FR")
    make_expert_with(
        "injection-moulding", company=True, headline="Mould shop", hourly_rate=12000, country="DE"
    )
    response = client.get(
        FREELANCERS,
        {
            "skills": [skill("injection-moulding").pk],
            "rate_max": "100",
            "language": language("de").pk,
            "country": "DE",
            "kind": "individual",
        },
    )
    assert [p.headline for p in response.context["page"].items] == ["Mould engineer"]


def test_find_freelancer_unknown_filter_values_are_reported_and_left_out(client):
    make_expert_with("logo-design", headline="Logo designer", country="FR")
    response = client.get(
        FREELANCERS,
        {"skills": ["999999", "x"], "language": "999999", "country": "ZZ", "rate_min": "lots"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Some filters were not understood" in body
    assert "Select a valid choice" in body
    assert "Enter an amount as a number" in body
    assert [card.headline for card in response.context["page"].items] == ["Logo designer"]


def test_find_freelancer_min_rating_exists_and_excludes_unrated(client):
    make_expert_with("logo-design", headline="Unrated designer")
    response = client.get(FREELANCERS, {"min_rating": "4"})
    assert response.status_code == 200
    assert response.context["page"].items == []


def test_find_freelancer_text_search_matches_headline_and_skills(client):
    make_expert_with("logo-design", headline="Brand designer")
    make_expert_with("injection-moulding", headline="Process engineer")
    services.refresh_expert_index()
    response = client.get(FREELANCERS, {"q": "designer"})
    assert [p.headline for p in response.context["page"].items] == ["Brand designer"]
    response = client.get(FREELANCERS, {"q": "moulding"})
    assert [p.headline for p in response.context["page"].items] == ["Process engineer"]


def test_find_freelancer_verified_filter(client):
    from accounts.models import CompanyProfile

    verified = make_expert_with("logo-design", company=True, headline="Verified studio")
    make_expert_with("logo-design", company=True, headline="New studio")
    CompanyProfile.objects.create(
        user=verified,
        legal_name="Studio GmbH",
        verification_status="verified",
        verified_at=timezone.now(),
    )
    response = client.get(FREELANCERS, {"verified": "on"})
    assert [p.headline for p in response.context["page"].items] == ["Verified studio"]


def test_find_freelancer_query_count_is_bounded(client, owner, django_assert_max_num_queries):
    for _ in range(25):
        make_expert_with("logo-design", "brand-identity", headline="Designer")
    services.refresh_expert_index()
    make_open_project(owner)
    client.force_login(owner)
    with django_assert_max_num_queries(12):
        response = client.get(FREELANCERS, {"q": "designer"})
    assert len(response.context["page"].items) == PAGE_SIZE
    assert response.context["page"].has_next


def test_invite_to_bid_from_search_in_one_click(client, owner):
    from projects.models import Invitation

    expert = make_expert_with("logo-design", headline="Designer")
    project = make_open_project(owner)
    client.force_login(owner)
    page = client.get(FREELANCERS).content.decode()
    assert f'name="expert" value="{expert.pk}"' in page
    response = client.post(
        reverse("projects:invite"),
        {"expert": expert.pk, "project": project.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "was invited" in response.content.decode()
    assert Invitation.objects.filter(project=project, expert=expert).exists()


def test_invite_onto_someone_elses_project_is_404(client, owner, other_client):
    from projects.models import Invitation

    expert = make_expert_with("logo-design")
    project = make_open_project(owner)
    client.force_login(other_client)
    response = client.post(reverse("projects:invite"), {"expert": expert.pk, "project": project.pk})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.postgres
def test_expert_index_follows_profile_and_skill_changes(client):
    from accounts.models import ExpertSkill

    expert = make_expert_with("logo-design", headline="Brand designer")
    assert services.refresh_expert_index() == 1
    assert services.refresh_expert_index() == 0  # nothing changed: nothing rewritten
    profile = expert.expert_profile
    ExpertSkill.objects.filter(profile=profile).delete()
    ExpertSkill.objects.create(profile=profile, skill=skill("injection-moulding"))
    assert services.refresh_expert_index(profile_ids=[profile.pk]) == 1
    response = client.get(FREELANCERS, {"q": "injection moulding"})
    assert [p.headline for p in response.context["page"].items] == ["Brand designer"]
    response = client.get(FREELANCERS, {"q": "logo"})
    assert response.context["page"].items == []


def test_invite_with_garbage_ids_is_404(client, owner):
    client.force_login(owner)
    response = client.post(reverse("projects:invite"), {"expert": "1 OR 1=1", "project": "x"})
    assert response.status_code == 404


def test_find_a_project_pages_link_both_ways_and_swap_the_results_with_htmx(client, owner):
    for number in range(PAGE_SIZE + 1):
        make_open_project(owner, title=f"Logo {number}")
    first = client.get(reverse("projects:find"), {"sort": "newest"}).content.decode()
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'hx-get="?sort=newest&amp;page=2"' in first
    second = client.get(reverse("projects:find"), {"sort": "newest", "page": 2}).content.decode()
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    assert "Page 2" in second


@pytest.mark.postgres
def test_featured_comes_first_on_a_ranked_search_and_the_rest_keep_their_rank(owner):
    soon = timezone.now() + timedelta(days=1)
    make_open_project(owner, title="Bakery sign", description="It needs a logo as well.")
    make_open_project(owner, title="Logo for a bakery")
    make_open_project(
        owner, title="Shop window", description="A logo on the glass.", featured_until=soon
    )
    page = search_projects(query=ProjectQuery(q="logo"), viewer=owner)
    assert _titles(page) == ["Shop window", "Logo for a bakery", "Bakery sign"]
    assert [card.featured for card in page.items] == [True, False, False]


def test_result_cards_are_written_in_the_readers_language(owner, settings):
    settings.SEARCH_CACHE_SECONDS = 60
    project = make_open_project(owner, title="Logo for a bakery")
    Project.objects.filter(pk=project.pk).update(
        published_at=timezone.now() - timedelta(days=3, hours=2)
    )
    query = ProjectQuery(q="logo", sort="newest")
    with translation.override("en"):
        english = search_projects(query=query, viewer=owner).items[0]
    with translation.override("de"):
        german = search_projects(query=query, viewer=owner).items[0]
    assert (english.posted, english.place) == ("3 days ago", "Remote")
    assert (german.posted, german.place) == ("vor 3 Tagen", "Aus der Ferne")
    assert german.budget.replace("\N{NO-BREAK SPACE}", " ").startswith("€")


def test_project_age_is_written_in_the_largest_whole_unit():
    now = timezone.now()
    ages = {
        timedelta(seconds=20): "just now",
        timedelta(minutes=1, seconds=5): "1 minute ago",
        timedelta(hours=5): "5 hours ago",
        timedelta(days=1): "1 day ago",
        timedelta(days=15): "2 weeks ago",
        timedelta(days=61): "2 months ago",
        timedelta(days=800): "2 years ago",
        timedelta(seconds=-30): "just now",  # a clock a little ahead is not "in the future"
    }
    with translation.override("en"):
        assert {age: _ago(now - age, now) for age in ages} == ages


def test_search_boxes_suggest_words_in_the_readers_language(client):
    client.cookies["django_language"] = "de"
    for url, example in ((FIND, "z. B. Füllsimulation"), (FREELANCERS, "z. B. Spritzguss")):
        html = client.get(url, headers={"accept-language": "de"}).content.decode()
        assert f'placeholder="{example}' in html
        assert "e.g." not in html
