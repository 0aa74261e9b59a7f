"""Skill categories, skills and languages are named in English and German: every page shows
the name in the reader's language (`label`), the cached taxonomy included, and lists sort by
the name shown. Text search still finds a skill by its English name."""

import importlib
from html import escape

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from accounts.models import Language, SkillCategory
from accounts.selectors import grouped_skill_choices, language_choices, search_skills, taxonomy
from projects.forms import ProjectForm
from projects.search import ProjectQuery, search_projects
from tests.factories import SkillCategoryFactory, SkillFactory, StaffFactory
from tests.projects.factories import (
    ClientFactory,
    category,
    language,
    make_expert_with,
    make_open_project,
    skill,
)

pytestmark = pytest.mark.django_db

seeded = importlib.import_module("accounts.migrations.0010_taxonomy_german_names_data")


def _german(function, *args, **kwargs):
    with translation.override("de"):
        return function(*args, **kwargs)


def test_label_is_the_german_name_for_german_readers_and_the_english_name_otherwise():
    moulding = skill("injection-moulding")

    assert _german(lambda: moulding.label) == "Spritzguss"
    assert _german(str, moulding) == "Spritzguss"
    with translation.override("en"):
        assert moulding.label == str(moulding) == "Injection moulding"


def test_label_falls_back_to_the_english_name_when_no_german_name_is_given():
    python = skill("python")

    assert python.name_de == ""
    assert _german(lambda: python.label) == "Python"


def test_seeded_categories_skills_and_languages_have_german_names():
    assert category("engineering").name_de == "Ingenieurwesen"
    assert skill("mould-flow-analysis").name_de == "Füllsimulation"
    assert language("de").name_de == "Deutsch"
    assert language("en").name_de == "Englisch"
    assert not Language.objects.exclude(code="hi").filter(name_de="").exists()


def test_undoing_the_seed_clears_only_the_german_names_it_set():
    SkillCategory.objects.filter(slug="training").update(name_de="Weiterbildung")  # staff's own

    seeded.forget_german_names(apps, None)

    assert skill("injection-moulding").name_de == ""
    assert language("de").name_de == ""
    assert category("training").name_de == "Weiterbildung"
    seeded.name_in_german(apps, None)
    assert skill("injection-moulding").name_de == "Spritzguss"
    assert category("training").name_de == "Weiterbildung"


def test_one_cached_taxonomy_answers_in_each_readers_language(django_assert_num_queries):
    moulding = skill("injection-moulding")
    engineering = category("engineering")
    taxonomy()

    with django_assert_num_queries(0):
        english = taxonomy()
        german = _german(taxonomy)
        assert english.skill_names[moulding.pk] == "Injection moulding"
        assert _german(lambda: german.skill_names[moulding.pk]) == "Spritzguss"
        assert _german(lambda: german.category_names[engineering.pk]) == "Ingenieurwesen"
        assert english.category_names[engineering.pk] == "Engineering"


def test_taxonomy_choices_sort_by_the_name_the_reader_sees():
    def names(pairs):
        return [name for _pk, name in pairs]

    german = _german(lambda: names(taxonomy().languages))
    english = names(taxonomy().languages)

    assert german[:5] == ["Arabisch", "Chinesisch", "Dänisch", "Deutsch", "Englisch"]
    assert english[:5] == ["Arabic", "Chinese", "Czech", "Danish", "Dutch"]
    german_skills = _german(lambda: names(taxonomy().skills))
    # "Ö" sorts with "O", as in a German dictionary, not after "Z".
    assert german_skills.index("Node.js") < german_skills.index("Öffentlichkeitsarbeit")
    assert german_skills.index("Öffentlichkeitsarbeit") < german_skills.index("PHP")
    # Categories keep the order staff set (position), in any language.
    assert _german(lambda: names(taxonomy().categories))[:2] == ["Software", "Design"]


def test_staff_edits_of_a_german_name_reach_the_cached_taxonomy():
    moulding = skill("injection-moulding")
    taxonomy()

    moulding.name_de = "Kunststoffspritzguss"
    moulding.save()

    assert _german(lambda: taxonomy().skill_names[moulding.pk]) == "Kunststoffspritzguss"


def test_project_search_cards_show_skill_and_category_names_in_the_readers_language(settings):
    settings.SEARCH_CACHE_SECONDS = 60
    owner = ClientFactory()
    make_open_project(
        owner,
        title="Housing for a sensor",
        category=category("engineering"),
        skills=[skill("injection-moulding")],
    )
    query = ProjectQuery(sort="newest")

    english = search_projects(query=query, viewer=owner).items[0]
    german = _german(search_projects, query=query, viewer=owner).items[0]

    assert (english.category, english.skills) == ("Engineering", ["Injection moulding"])
    assert (german.category, german.skills) == ("Ingenieurwesen", ["Spritzguss"])


def test_project_text_search_still_finds_a_skill_by_its_english_name_in_german():
    owner = ClientFactory()
    make_open_project(owner, title="Housing", skills=[skill("injection-moulding")])

    page = _german(search_projects, query=ProjectQuery(q="injection moulding"), viewer=owner)

    assert [card.title for card in page.items] == ["Housing"]


def test_find_a_project_filters_are_german_for_german_readers(client):
    html = client.get(reverse("projects:find"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert ">Spritzguss</option>" in html
    assert ">Ingenieurwesen</option>" in html
    assert ">Deutsch</option>" in html
    assert ">Injection moulding</option>" not in html


def test_find_a_project_filters_stay_english_for_english_readers(client):
    html = client.get(reverse("projects:find"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert ">Injection moulding</option>" in html
    assert ">Engineering</option>" in html
    assert ">Spritzguss</option>" not in html


def test_project_page_and_expert_profile_show_german_names(client):
    project = make_open_project(title="Housing", skills=[skill("injection-moulding")])
    expert = make_expert_with("injection-moulding", languages=["en"])

    project_page = client.get(project.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    profile_page = client.get(
        reverse("accounts:expert_detail", args=[expert.expert_profile.pk]),
        HTTP_ACCEPT_LANGUAGE="de",
    )

    assert "Spritzguss" in project_page.content.decode()
    assert "Spritzguss" in profile_page.content.decode()
    assert "Englisch" in profile_page.content.decode()


def test_post_form_offers_languages_and_grouped_skills_in_german_order():
    form = _german(ProjectForm)
    languages = _german(lambda: [str(label) for _pk, label in form.fields["languages"].choices])
    html = _german(lambda: str(form["skills"]))

    assert languages[:3] == ["Arabisch", "Chinesisch", "Dänisch"]
    assert 'label="Ingenieurwesen"' in html
    assert html.index(">Füllsimulation<") < html.index(">Spritzguss<")


def test_skill_picker_finds_a_skill_by_its_english_or_german_name():
    assert [s.slug for s in search_skills(query="injection")] == ["injection-moulding"]
    assert [s.slug for s in search_skills(query="spritzguss")] == ["injection-moulding"]


def test_grouped_skill_and_language_choices_are_labelled_and_sorted_in_german():
    groups = _german(grouped_skill_choices)
    engineering = dict(groups)["Ingenieurwesen"]
    names = [name for _pk, name in engineering]

    assert names == sorted(names, key=str.casefold)
    assert "Spritzguss" in names
    assert [name for _pk, name in _german(language_choices)][:2] == ["Arabisch", "Chinesisch"]


def test_staff_edit_the_german_name_beside_the_english_one_in_the_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    fresh = SkillFactory(name="Gate design", category=category("engineering"))
    url = reverse("admin:accounts_skill_change", args=[fresh.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "name": "Gate design",
            "name_de": "Angussgestaltung",
            "category": fresh.category_id,
            "slug": fresh.slug,
        },
    )

    assert 'name="name_de"' in page
    assert response.status_code == 302
    fresh.refresh_from_db()
    assert _german(lambda: fresh.label) == "Angussgestaltung"


def test_the_admin_refuses_a_german_name_another_entry_has_with_a_clear_message(client):
    client.force_login(StaffFactory(is_superuser=True))
    fresh = SkillFactory(name="Gate design", category=category("engineering"))

    response = client.post(
        reverse("admin:accounts_skill_change", args=[fresh.pk]),
        {
            "name": "Gate design",
            "name_de": "Spritzguss",
            "category": fresh.category_id,
            "slug": fresh.slug,
        },
    )

    assert response.status_code == 200
    assert escape("Another entry already has this German name.") in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.name_de == ""


def test_a_german_name_longer_than_the_column_is_refused_in_the_admin(client):
    client.force_login(StaffFactory(is_superuser=True))
    fresh = SkillCategoryFactory(name="Woodwork", slug="woodwork")

    response = client.post(
        reverse("admin:accounts_skillcategory_change", args=[fresh.pk]),
        {
            "name": "Woodwork",
            "name_de": "H" * 81,
            "slug": "woodwork",
            "position": 9,
            "skills-TOTAL_FORMS": 0,
            "skills-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert "80" in response.content.decode()
    fresh.refresh_from_db()
    assert fresh.name_de == ""
