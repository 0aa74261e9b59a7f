"""ListedProject: the narrow copy of open public projects that word searches rank, kept in step
by triggers, and the search pages it serves (the same pages as ranking Project's rows)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import LISTED, ListedProject, Project
from projects.search import PAGE_SIZE, SEARCH_CONFIG, ProjectQuery, search_projects
from tests.projects.factories import make_expert_with, make_open_project, project_values, skill

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Every column but the key: a column added to the model and not to the trigger fails here.
COPIED = tuple(
    field.attname for field in ListedProject._meta.concrete_fields if not field.primary_key
)


def _copies() -> dict[int, tuple]:
    return {row[0]: row[1:] for row in ListedProject.objects.values_list("project", *COPIED)}


def _expected() -> dict[int, tuple]:
    listed = Project.objects.filter(LISTED)
    return {row[0]: row[1:] for row in listed.values_list("pk", *COPIED)}


def _xmin(project: Project) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT xmin::text FROM projects_listedproject WHERE project_id = %s", [project.pk]
        )
        return cursor.fetchone()[0]


def test_rows_follow_every_change_of_a_listing(owner):
    draft = services.create_draft(by=owner, values=project_values())
    assert _copies() == {}, "a draft is not listed"

    listed = make_open_project(owner, title="Mould flow study", country="DE")
    other = make_open_project(owner, title="Logo for a bakery")
    assert set(_copies()) == {listed.pk, other.pk}
    assert _copies() == _expected()
    assert draft.pk not in _copies()

    # Edits through a save, a queryset update and the vector's own refresh all reach the copy.
    listed.budget_max = listed.budget_min = 90000
    listed.save()
    Project.objects.filter(pk=listed.pk).update(featured_until=timezone.now() + timedelta(days=3))
    Project.objects.filter(pk=listed.pk).update(title="Gate design for a mould")
    services.refresh_search_vector(listed)
    assert _copies() == _expected()
    assert _copies()[listed.pk][COPIED.index("budget_max")] == 90000

    # Leaving the listing removes the copy; coming back restores it.
    Project.objects.filter(pk=listed.pk).update(visibility=Project.Visibility.PRIVATE)
    assert listed.pk not in _copies()
    Project.objects.filter(pk=listed.pk).update(visibility=Project.Visibility.PUBLIC)
    assert listed.pk in _copies()
    services.close_project(project=Project.objects.get(pk=listed.pk), by=owner)
    assert listed.pk not in _copies()
    assert _copies() == _expected()

    # A deleted project takes its copy with it.
    Project.objects.filter(pk=other.pk).delete()
    assert _copies() == {}


def test_a_change_to_other_columns_leaves_the_copy_alone(owner):
    project = make_open_project(owner)
    before = _xmin(project)
    Project.objects.filter(pk=project.pk).update(bid_count=F("bid_count") + 1)
    project.refresh_from_db()
    project.save()  # every column written, none of the copied ones changed
    assert _xmin(project) == before
    Project.objects.filter(pk=project.pk).update(country="DE")
    assert _xmin(project) != before


def _ranked_over_projects(q: str, **filters) -> list[int]:
    """The order of regular (not featured) matches as ranking Project's own rows gives it."""
    text = SearchQuery(q, search_type="websearch", config=SEARCH_CONFIG)
    running = Q(featured_until__gt=timezone.now())
    matches = Project.objects.filter(LISTED, search_vector=text, **filters).exclude(running)
    ranked = matches.annotate(rank=SearchRank(F("search_vector"), text))
    return list(ranked.order_by("-rank", "-published_at", "-id").values_list("pk", flat=True))


def test_word_search_pages_equal_ranking_the_projects_themselves(owner, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    now = timezone.now()
    for number in range(PAGE_SIZE * 2 + 5):
        # Ranks differ (title, or description only, once or twice) and ages differ.
        title = f"Mould tooling {number}" if number % 3 == 0 else f"Housing part {number}"
        description = "A mould for a housing. " * (1 + number % 2)
        project = make_open_project(
            owner,
            title=title,
            description=description,
            budget_min=10000 * (1 + number % 4),
            budget_max=10000 * (1 + number % 4),
        )
        Project.objects.filter(pk=project.pk).update(published_at=now - timedelta(hours=number))
    featured = make_open_project(owner, title="Mould for a featured housing")
    Project.objects.filter(pk=featured.pk).update(featured_until=now + timedelta(days=2))
    hidden = make_open_project(owner, title="Mould for a private housing")
    Project.objects.filter(pk=hidden.pk).update(visibility=Project.Visibility.PRIVATE)
    services.refresh_search_vectors()

    expected = _ranked_over_projects("mould")
    assert len(expected) == PAGE_SIZE * 2 + 5
    found = []
    for page in (1, 2, 3):
        result = search_projects(query=ProjectQuery(q="mould"), viewer=owner, page=page)
        assert [card.pk for card in result.items if card.featured] == (
            [featured.pk] if page == 1 else []
        )
        found += [card.pk for card in result.items if not card.featured]
    assert found == expected
    assert hidden.pk not in found

    # With the plain-column filters too.
    expected = _ranked_over_projects("mould", budget_max__gte=30000)
    result = search_projects(query=ProjectQuery(q="mould", budget_min=30000), viewer=owner)
    assert [card.pk for card in result.items if not card.featured] == expected[:PAGE_SIZE]


def test_a_closed_project_leaves_word_search_at_once(owner, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    project = make_open_project(owner, title="Mould flow study")
    query = ProjectQuery(q="mould flow")
    assert [card.pk for card in search_projects(query=query, viewer=owner).items] == [project.pk]
    services.close_project(project=project, by=owner)
    assert search_projects(query=query, viewer=owner).items == []


def test_a_ranked_word_search_is_still_one_query_and_the_cards_skills(
    owner, settings, django_assert_num_queries
):
    settings.SEARCH_CACHE_SECONDS = 0
    for number in range(3):
        make_open_project(owner, title=f"Mould study {number}")
    visitor = AnonymousUser()
    search_projects(query=ProjectQuery(q="mould"), viewer=visitor)  # taxonomy cached
    with django_assert_num_queries(2):
        page = search_projects(query=ProjectQuery(q="mould"), viewer=visitor)
    assert len(page.items) == 3


def test_an_experts_word_search_counts_their_skills_first_then_ranks(owner, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    expert = make_expert_with("injection-moulding", "failure-analysis")
    now = timezone.now()
    asked = {"injection-moulding": 0, "failure-analysis": 0}
    for number in range(PAGE_SIZE + 6):
        slugs = ["logo-design", *list(asked)[: number % 3]]
        project = make_open_project(
            owner,
            title=f"Mould tooling {number}" if number % 2 else f"Housing part {number}",
            description="A mould for a housing.",
            skills=[skill(slug) for slug in slugs],
        )
        Project.objects.filter(pk=project.pk).update(published_at=now - timedelta(hours=number))
    services.refresh_search_vectors()

    text = SearchQuery("mould", search_type="websearch", config=SEARCH_CONFIG)
    mine = Count("skills", filter=Q(skills__slug__in=list(asked)))
    expected = list(
        Project.objects.filter(LISTED, search_vector=text)
        .annotate(skill_match=mine, rank=SearchRank(F("search_vector"), text))
        .order_by("-skill_match", "-rank", "-published_at", "-id")
        .values_list("pk", flat=True)
    )
    found = []
    for page in (1, 2):
        result = search_projects(query=ProjectQuery(q="mould"), viewer=expert, page=page)
        found += [card.pk for card in result.items]
    assert found == expected


@pytest.mark.parametrize("q", ["the and of", "!!! ---", '"unbalanced & | ( quotes'])
def test_words_that_match_nothing_give_an_empty_page_not_an_error(client, owner, settings, q):
    settings.SEARCH_CACHE_SECONDS = 0
    make_open_project(owner, title="Mould flow study")
    expert = make_expert_with("injection-moulding")
    for viewer in (AnonymousUser(), expert):
        page = search_projects(query=ProjectQuery(q=q), viewer=viewer)
        assert (page.items, page.has_next) == ([], False)
    response = client.get(reverse("projects:find"), {"q": q})
    assert response.status_code == 200
    assert "No projects match" in response.content.decode()


def test_a_page_beyond_the_matches_is_empty_and_points_back(client, owner, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    for number in range(3):
        make_open_project(owner, title=f"Mould study {number}")
    page = search_projects(query=ProjectQuery(q="mould"), viewer=AnonymousUser(), page=7)
    assert (page.items, page.has_next, page.has_previous) == ([], False, True)
    # The page does not claim that nothing matches: it says this page is past the end and links
    # to the first page of the same search.
    for name in ("projects:find", "projects:find_freelancer"):
        html = client.get(reverse(name), {"q": "mould", "page": 7}).content.decode()
        assert "No results on this page" in html
        assert 'href="?q=mould"' in html
        assert "match</h2>" not in html


def test_the_copy_is_named_after_its_project(owner):
    project = make_open_project(owner, title="Mould flow study")
    assert str(ListedProject.objects.get(project=project)) == "Search listing of “Mould flow study”"
