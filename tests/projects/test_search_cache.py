"""Cached result pages: reused until a listing changes, never stale after a change."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from projects import services
from projects.models import Project
from projects.search import ExpertQuery, ProjectQuery, search_experts, search_projects
from tests.projects.factories import buy_from_balance, make_expert_with, make_open_project, top_up

pytestmark = pytest.mark.django_db

LOGOS = ProjectQuery(q="logo", sort="newest")


def _titles(page):
    return [card.title for card in page.items]


def test_the_same_search_is_answered_from_the_cache(owner, django_assert_num_queries):
    make_open_project(owner, title="Logo for a bakery")
    first = search_projects(query=LOGOS, viewer=owner)
    with django_assert_num_queries(0):
        again = search_projects(query=LOGOS, viewer=owner)
    assert again == first
    assert _titles(search_projects(query=LOGOS, viewer=owner, page=2)) == []  # its own key


def test_a_new_publication_shows_at_once(owner):
    make_open_project(owner, title="Logo for a bakery")
    assert _titles(search_projects(query=LOGOS, viewer=owner)) == ["Logo for a bakery"]
    make_open_project(owner, title="Logo for a brewery")
    assert _titles(search_projects(query=LOGOS, viewer=owner)) == [
        "Logo for a brewery",
        "Logo for a bakery",
    ]


def test_an_edit_or_a_closed_project_shows_at_once(owner):
    project = make_open_project(owner, title="Logo for a bakery")
    search_projects(query=LOGOS, viewer=owner)
    services.update_project(project=project, by=owner, values={"title": "Logo for a cafe"})
    assert _titles(search_projects(query=LOGOS, viewer=owner)) == ["Logo for a cafe"]
    services.close_project(project=project, by=owner)
    assert _titles(search_projects(query=LOGOS, viewer=owner)) == []


def test_a_paid_featured_upgrade_shows_at_once(owner):
    plain = make_open_project(owner, title="Logo for a bakery")
    make_open_project(owner, title="Logo for a brewery")
    assert not search_projects(query=LOGOS, viewer=owner).items[-1].featured
    top_up(owner, 10000)
    result = buy_from_balance(plain, owner, ["featured"])
    assert result.paid
    assert Project.objects.get(pk=plain.pk).featured_until > timezone.now()
    first = search_projects(query=LOGOS, viewer=owner).items[0]
    assert (first.title, first.featured) == ("Logo for a bakery", True)


def test_no_cache_when_the_setting_is_zero(owner, settings, django_assert_num_queries):
    settings.SEARCH_CACHE_SECONDS = 0
    make_open_project(owner, title="Logo for a bakery")
    search_projects(query=LOGOS, viewer=owner)
    # Featured and regular rows (one query where the database allows), skill ids.
    with django_assert_num_queries(
        2 if connection.features.supports_slicing_ordering_in_compound else 3
    ):
        search_projects(query=LOGOS, viewer=owner)


def test_viewers_with_other_skills_get_their_own_best_match(owner):
    designer = make_expert_with("logo-design")
    engineer = make_expert_with("injection-moulding")
    make_open_project(owner, title="Logo for a bakery")
    best = ProjectQuery(mine=True)
    assert _titles(search_projects(query=best, viewer=designer)) == ["Logo for a bakery"]
    assert _titles(search_projects(query=best, viewer=engineer)) == []


@pytest.mark.postgres
def test_a_refreshed_expert_index_shows_at_once():
    make_expert_with("logo-design", headline="Brand designer")
    services.refresh_expert_index()
    query = ExpertQuery(q="designer")
    assert [card.headline for card in search_experts(query=query).items] == ["Brand designer"]
    make_expert_with("logo-design", headline="Logo designer")
    assert len(search_experts(query=query).items) == 1  # not in the index yet
    services.refresh_expert_index()
    assert len(search_experts(query=query).items) == 2


def test_a_page_is_not_kept_past_the_end_of_a_featured_period_on_it(owner):
    ending = timezone.now() + timedelta(seconds=20)
    make_open_project(owner, title="Logo for a bakery", featured_until=ending)
    with mock.patch.object(cache, "set", wraps=cache.set) as stored:
        page = search_projects(query=LOGOS, viewer=owner)
    assert page.items[0].featured
    assert page.stale_at == Project.objects.get().featured_until
    (_key, value, seconds), _ = stored.call_args
    assert value == page
    assert 0 < seconds <= 20
