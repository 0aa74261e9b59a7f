"""The filter tokens of the stored vectors, and best match grouped by how many skills match."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import search, services
from projects.models import Project
from projects.search import ExpertQuery, ProjectQuery, search_experts, search_projects
from tests.projects.factories import (
    category,
    language,
    make_expert_with,
    make_open_project,
    skill,
)

pytestmark = pytest.mark.django_db

ENGINEERING = ("injection-moulding", "mould-design", "failure-analysis")


def _titles(page):
    return [card.title for card in page.items]


def _published(project, days_ago):
    Project.objects.filter(pk=project.pk).update(
        published_at=timezone.now() - timedelta(days=days_ago)
    )
    services.refresh_search_vector(project)


def test_posted_within_a_week_uses_one_token_per_day():
    now = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    assert search._posted_token(now, 1) == "('#d20261130' | '#d20261201')"
    assert search._posted_token(now, 7).count("#d") == 8


def test_posted_within_a_month_uses_month_tokens_across_the_year():
    now = datetime(2027, 1, 10, 7, 0, tzinfo=UTC)
    assert search._posted_token(now, 30) == "('#m202612' | '#m202701')"


@pytest.mark.postgres
def test_posted_within_keeps_the_exact_window(owner):
    recent = make_open_project(owner, title="Recent logo")
    _published(recent, 5)
    older = make_open_project(owner, title="Older logo")
    _published(older, 25)
    oldest = make_open_project(owner, title="Oldest logo")
    _published(oldest, 40)

    def within(days):
        return _titles(
            search_projects(
                query=ProjectQuery(posted_within_days=days, sort="newest"), viewer=owner
            )
        )

    assert within(3) == []
    assert within(7) == ["Recent logo"]
    assert within(30) == ["Recent logo", "Older logo"]


@pytest.mark.postgres
def test_words_shaped_like_filter_tokens_match_nothing(owner):
    design = category("design")
    make_open_project(owner, title="Logo for a bakery", category=design)
    for words in (f"#c{design.pk}", f"c{design.pk}", f"'#c{design.pk}'", "#s1 | #c1", "~c1"):
        assert _titles(search_projects(query=ProjectQuery(q=words), viewer=owner)) == []
    query = ProjectQuery(category_id=design.pk)
    assert _titles(search_projects(query=query, viewer=owner)) == ["Logo for a bakery"]


@pytest.mark.postgres
def test_words_and_filters_are_answered_together(owner):
    moulding, german = skill("injection-moulding"), language("de")
    make_open_project(
        owner,
        title="Injection moulding audit",
        category=category("engineering"),
        skills=[moulding],
        languages=[german],
    )
    make_open_project(
        owner, title="Injection moulding quote", category=category("engineering"), skills=[moulding]
    )
    make_open_project(owner, title="Moulding logo", languages=[german])
    query = ProjectQuery(q="moulding", skill_ids=[moulding.pk], language_id=german.pk)
    assert _titles(search_projects(query=query, viewer=owner)) == ["Injection moulding audit"]


@pytest.mark.postgres
def test_editing_skills_and_languages_moves_the_tokens(owner):
    project = make_open_project(owner, title="Logo for a bakery")
    services.update_project(
        project=project,
        by=owner,
        values={"skills": [skill("brand-identity")], "languages": [language("fr")]},
    )

    def found(**filters):
        return _titles(search_projects(query=ProjectQuery(q="logo", **filters), viewer=owner))

    assert found(skill_ids=[skill("brand-identity").pk], language_id=language("fr").pk) == [
        "Logo for a bakery"
    ]
    assert found(skill_ids=[skill("logo-design").pk]) == []


def _best_match_projects(owner):
    """One project per number of matching skills, the fewer matches the newer."""
    engineering = category("engineering")
    three = make_open_project(
        owner,
        title="All three",
        category=engineering,
        skills=[skill(slug) for slug in ENGINEERING],
    )
    _published(three, 6)
    two_old = make_open_project(
        owner, title="Two, older", category=engineering, skills=[skill(s) for s in ENGINEERING[:2]]
    )
    _published(two_old, 5)
    two_new = make_open_project(
        owner, title="Two, newer", category=engineering, skills=[skill(s) for s in ENGINEERING[1:]]
    )
    _published(two_new, 4)
    one = make_open_project(
        owner, title="One", category=engineering, skills=[skill("injection-moulding")]
    )
    _published(one, 3)
    make_open_project(owner, title="None, newest")


@pytest.mark.postgres
def test_best_match_puts_more_matching_skills_first_then_the_rest(owner):
    expert = make_expert_with(*ENGINEERING)
    _best_match_projects(owner)
    assert _titles(search_projects(query=ProjectQuery(), viewer=expert)) == [
        "All three",
        "Two, newer",
        "Two, older",
        "One",
        "None, newest",
    ]
    assert _titles(search_projects(query=ProjectQuery(mine=True), viewer=expert)) == [
        "All three",
        "Two, newer",
        "Two, older",
        "One",
    ]


@pytest.mark.postgres
@pytest.mark.parametrize("mine", [False, True])
def test_best_match_pages_read_the_groups_in_order(owner, monkeypatch, mine):
    expert = make_expert_with(*ENGINEERING)
    _best_match_projects(owner)
    expected = _titles(search_projects(query=ProjectQuery(mine=mine), viewer=expert))
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    pages, number = [], 1
    while True:
        page = search_projects(query=ProjectQuery(mine=mine), viewer=expert, page=number)
        pages += _titles(page)
        if not page.has_next:
            break
        number += 1
    assert pages == expected
    assert number == (len(expected) + 1) // 2
    beyond = search_projects(query=ProjectQuery(mine=mine), viewer=expert, page=number + 1)
    assert beyond.items == []


@pytest.mark.postgres
def test_skills_beyond_the_counted_ones_still_find_projects(owner, monkeypatch):
    monkeypatch.setattr(search, "SKILLS_MATCHED", 1)
    expert = make_expert_with("injection-moulding", "failure-analysis")
    make_open_project(
        owner,
        title="Failure analysis only",
        category=category("engineering"),
        skills=[skill("failure-analysis")],
    )
    page = search_projects(query=ProjectQuery(mine=True), viewer=expert)
    assert _titles(page) == ["Failure analysis only"]


def test_best_match_page_for_an_expert_has_a_bounded_query_count(
    client, owner, django_assert_max_num_queries
):
    expert = make_expert_with(*ENGINEERING)
    _best_match_projects(owner)
    for number in range(25):
        make_open_project(owner, title=f"Logo {number}")
    client.force_login(expert)
    client.get(reverse("projects:find"))  # the taxonomy is cached after the first page
    with django_assert_max_num_queries(12):
        response = client.get(reverse("projects:find"))
    assert response.status_code == 200
    assert _titles(response.context["page"])[0] == "All three"


@pytest.mark.postgres
def test_expert_search_answers_words_and_filters_from_the_index():
    make_expert_with(
        "injection-moulding", headline="Mould engineer", country="DE", languages=["de"]
    )
    make_expert_with("injection-moulding", headline="Mould engineer", country="FR")
    make_expert_with("injection-moulding", company=True, headline="Mould shop", country="DE")
    services.refresh_expert_index()
    query = ExpertQuery(
        q="mould",
        skill_ids=[skill("injection-moulding").pk],
        language_id=language("de").pk,
        country="DE",
        kind="individual",
    )
    page = search_experts(query=query)
    assert [(card.headline, card.location) for card in page.items] == [
        ("Mould engineer", "Germany")
    ]
    assert search_experts(query=ExpertQuery(q="mould", kind="company")).items[0].is_company


@pytest.mark.postgres
def test_expert_search_words_shaped_like_tokens_match_nothing():
    make_expert_with("injection-moulding", headline="Mould engineer", country="DE")
    services.refresh_expert_index()
    for words in ("#xDE", "xDE", "#kindividual"):
        assert search_experts(query=ExpertQuery(q=words)).items == []


@pytest.mark.postgres
def test_best_match_pages_with_featured_projects_show_each_project_once(owner, monkeypatch):
    """The featured rows and the first group's page are one query: paging through groups that run
    out mid-page still shows every project once, the featured ones at the top of their page."""
    expert = make_expert_with(*ENGINEERING)
    _best_match_projects(owner)
    soon = timezone.now() + timedelta(days=1)
    for number in range(3):
        make_open_project(owner, title=f"Featured {number}", featured_until=soon)
    monkeypatch.setattr(search, "PAGE_SIZE", 2)
    monkeypatch.setattr(search, "FEATURED_PER_PAGE", 1)
    seen, number = [], 1
    while True:
        page = search_projects(query=ProjectQuery(), viewer=expert, page=number)
        titles = _titles(page)
        if number <= 3:
            assert titles[0].startswith("Featured")
            assert page.items[0].featured
        seen += titles
        if not page.has_next:
            break
        number += 1
    regular = [title for title in seen if not title.startswith("Featured")]
    assert regular == ["All three", "Two, newer", "Two, older", "One", "None, newest"]
    assert sorted(title for title in seen if title.startswith("Featured")) == [
        "Featured 0",
        "Featured 1",
        "Featured 2",
    ]


@pytest.mark.postgres
def test_best_match_featured_rows_come_from_the_top_group_until_it_runs_out(
    owner, monkeypatch, settings
):
    """Page 1 reads its featured rows from the projects asking for all the expert's skills alone;
    later pages, where those run out, read every featured listing in best-match order."""

    def _reads_featured_alone(sql):
        return 'true AS "featured_row"' in sql and "UNION" not in sql

    expert = make_expert_with(*ENGINEERING)
    soon = timezone.now() + timedelta(days=1)
    engineering = category("engineering")
    for title, slugs, days_ago in (
        ("Featured three, newer", ENGINEERING, 1),
        ("Featured three, older", ENGINEERING, 2),
        ("Featured one", ENGINEERING[:1], 3),
        ("Featured none (a logo)", (), 0),
    ):
        asks = {"category": engineering, "skills": [skill(s) for s in slugs]} if slugs else {}
        project = make_open_project(owner, title=title, featured_until=soon, **asks)
        _published(project, days_ago)
    monkeypatch.setattr(search, "FEATURED_PER_PAGE", 1)
    settings.SEARCH_CACHE_SECONDS = 0
    search_projects(query=ProjectQuery(), viewer=expert, page=5)  # reads the taxonomy
    featured, queries = [], []
    for number in (1, 2, 3, 4):
        with CaptureQueriesContext(connection) as done:
            page = search_projects(query=ProjectQuery(), viewer=expert, page=number)
        queries.append(sum(_reads_featured_alone(query["sql"]) for query in done))
        featured += [card.title for card in page.items if card.featured]
    assert featured == [
        "Featured three, newer",
        "Featured three, older",
        "Featured one",
        "Featured none (a logo)",
    ]
    assert queries == [0, 1, 1, 1]  # page 1 finds both its rows in the top group
