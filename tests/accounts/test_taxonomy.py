"""The cached taxonomy: read once, forgotten whenever staff change a category, skill or language."""

import pytest
from django.urls import reverse

from accounts.selectors import taxonomy
from tests.factories import LanguageFactory, SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


def test_taxonomy_is_read_once_then_served_from_the_cache(django_assert_num_queries):
    with django_assert_num_queries(3):  # categories, skills, languages
        first = taxonomy()
    with django_assert_num_queries(0):
        assert taxonomy() == first
    assert first.skill_names[first.skills[0][0]] == first.skills[0][1]


def test_a_new_or_renamed_skill_shows_at_once():
    taxonomy()
    added = SkillFactory(name="Tooling audits")
    assert taxonomy().skill_names[added.pk] == "Tooling audits"
    added.name = "Tooling and gauge audits"
    added.save()  # what the admin does
    assert taxonomy().skill_names[added.pk] == "Tooling and gauge audits"


def test_deleting_a_category_or_language_forgets_the_cached_copy():
    category = SkillCategoryFactory(name="Aerospace")
    language = LanguageFactory(name="Icelandic", code="is")
    assert category.pk in taxonomy().category_names
    category.delete()
    language.delete()
    found = taxonomy()
    assert category.pk not in found.category_names
    assert "Icelandic" not in dict(found.languages).values()


def test_search_forms_offer_a_new_skill_and_refuse_an_unknown_one(client):
    added = SkillFactory(name="Gauge calibration")
    page = client.get(reverse("projects:find")).content.decode()
    assert f'<option value="{added.pk}">Gauge calibration</option>' in page
    response = client.get(reverse("projects:find"), {"skills": [added.pk + 10_000]})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
