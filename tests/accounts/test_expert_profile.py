import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts import services
from accounts.exceptions import LimitReachedError
from accounts.models import ExpertSkill, PortfolioItem, Qualification, Skill
from tests.accounts.conftest import image_upload
from tests.factories import ExpertFactory, ExpertSkillFactory, QualificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert():
    return ExpertFactory()


@pytest.fixture
def signed_in(client, expert):
    client.force_login(expert)
    return client


def _basics(**fields):
    return {
        "headline": "Mould designer",
        "bio": "Twenty years of tools.",
        "hourly_rate": "",
        "rate_min": "",
        "rate_max": "",
        "country": "DE",
        "city": "Stuttgart",
        "remote_ok": "on",
        **fields,
    }


def test_expert_edit_page_shows_every_section(signed_in):
    response = signed_in.get(reverse("accounts:expert_edit"))
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("basics", "photo", "skills", "languages", "qualifications", "experience"):
        assert f'id="{section}"' in html
    assert 'id="portfolio"' in html
    assert 'hx-get="/skills/search/' in html


def test_expert_edit_page_query_count_does_not_grow_with_skills(
    signed_in, expert, django_assert_max_num_queries
):
    for _ in range(12):
        ExpertSkillFactory(profile=expert.expert_profile)
    with django_assert_max_num_queries(14):
        assert signed_in.get(reverse("accounts:expert_edit")).status_code == 200


def test_saving_basics_stores_rate_in_minor_units(signed_in, expert):
    response = signed_in.post(reverse("accounts:expert_basics"), _basics(hourly_rate="72.50"))
    assert response.status_code == 302
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.hourly_rate == 7250
    assert expert.expert_profile.headline == "Mould designer"


def test_bad_rate_range_shows_error_beside_field_keeps_values_and_saves_nothing(signed_in, expert):
    before = expert.expert_profile.headline
    response = signed_in.post(
        reverse("accounts:expert_basics"),
        _basics(headline="Changed headline", rate_min="90", rate_max="40"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The upper end must be at least the lower end." in html
    assert 'value="Changed headline"' in html
    assert 'value="90"' in html
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.headline == before


def test_non_numeric_rate_is_refused_with_message(signed_in, expert):
    response = signed_in.post(reverse("accounts:expert_basics"), _basics(hourly_rate="lots"))
    assert "Enter an amount as a number" in response.content.decode()
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.hourly_rate == 6500


def test_too_long_headline_is_refused_beside_the_field(signed_in, expert):
    response = signed_in.post(reverse("accounts:expert_basics"), _basics(headline="x" * 121))
    html = response.content.decode()
    assert "field--invalid" in html
    assert "at most 120 characters" in html


def _skills_post(rows):
    data = {
        "skills-TOTAL_FORMS": str(len(rows)),
        "skills-INITIAL_FORMS": "0",
        "skills-MIN_NUM_FORMS": "0",
        "skills-MAX_NUM_FORMS": "30",
    }
    for index, (skill, level, years) in enumerate(rows):
        data[f"skills-{index}-skill"] = str(skill.pk) if skill else ""
        data[f"skills-{index}-level"] = level
        data[f"skills-{index}-years"] = str(years)
    return data


def test_saving_skills_replaces_them_with_levels_and_years(signed_in, expert):
    django, python = Skill.objects.get(name="Django"), Skill.objects.get(name="Python")
    ExpertSkillFactory(profile=expert.expert_profile)
    response = signed_in.post(
        reverse("accounts:expert_skills"),
        _skills_post([(django, "expert", 8), (python, "intermediate", 3), (None, "beginner", 0)]),
    )
    assert response.status_code == 302
    rows = {s.skill.name: (s.level, s.years) for s in expert.expert_profile.skills.all()}
    assert rows == {"Django": ("expert", 8), "Python": ("intermediate", 3)}


def test_duplicate_skill_is_refused_and_nothing_changes(signed_in, expert):
    existing = ExpertSkillFactory(profile=expert.expert_profile)
    django = Skill.objects.get(name="Django")
    response = signed_in.post(
        reverse("accounts:expert_skills"),
        _skills_post([(django, "expert", 8), (django, "beginner", 1)]),
    )
    assert response.status_code == 200
    assert "Django is listed twice." in response.content.decode()
    assert list(expert.expert_profile.skills.all()) == [existing]


def test_negative_years_is_refused_beside_the_field(signed_in, expert):
    django = Skill.objects.get(name="Django")
    response = signed_in.post(
        reverse("accounts:expert_skills"), _skills_post([(django, "expert", -2)])
    )
    assert "greater than or equal to 0" in response.content.decode()
    assert not expert.expert_profile.skills.exists()


def test_set_expert_skills_refuses_more_than_the_limit():
    expert = ExpertFactory()
    skills = list(Skill.objects.all()[: services.MAX_SKILLS + 1])
    with pytest.raises(LimitReachedError):
        services.set_expert_skills(
            profile=expert.expert_profile,
            by=expert,
            skills=[services.SkillChoice(skill=s) for s in skills],
        )
    assert not ExpertSkill.objects.exists()


def test_set_expert_skills_refuses_another_users_profile():
    owner, other = ExpertFactory(), ExpertFactory()
    with pytest.raises(PermissionDenied):
        services.set_expert_skills(
            profile=owner.expert_profile,
            by=other,
            skills=[services.SkillChoice(skill=Skill.objects.first())],
        )
    assert not ExpertSkill.objects.exists()


def test_saving_languages(signed_in, expert):
    from accounts.models import Language

    german = Language.objects.get(code="de")
    data = {
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "15",
        "languages-0-language": str(german.pk),
        "languages-0-level": "native",
    }
    assert signed_in.post(reverse("accounts:expert_languages"), data).status_code == 302
    assert [(x.language.code, x.level) for x in expert.expert_profile.languages.all()] == [
        ("de", "native")
    ]


def test_skill_search_htmx_returns_matching_options_only(client):
    response = client.get(
        reverse("accounts:skill_search"),
        {"q": "mould", "field": "skills-3-skill"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'name="skills-3-skill"' in html
    assert "Mould design" in html
    assert "Injection moulding" in html
    assert "Django" not in html


def test_skill_search_without_htmx_is_a_full_page(client):
    response = client.get(reverse("accounts:skill_search"), {"q": "django"})
    html = response.content.decode()
    assert "<html" in html
    assert "Django" in html


def test_skill_search_refuses_odd_field_names(client):
    response = client.get(
        reverse("accounts:skill_search"),
        {"q": "x", "field": '"><script>'},
        HTTP_HX_REQUEST="true",
    )
    assert "<script>" not in response.content.decode()
    assert 'name="skill"' in response.content.decode()


def test_add_and_remove_qualification(signed_in, expert):
    response = signed_in.post(
        reverse("accounts:qualification_add"),
        {
            "qualification-kind": "certification",
            "qualification-title": "Certified Moldflow Analyst",
            "qualification-institution": "Autodesk",
            "qualification-year": "2016",
        },
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get(profile=expert.expert_profile)
    signed_in.post(reverse("accounts:qualification_remove", args=[qualification.pk]))
    assert not Qualification.objects.exists()


def test_qualification_without_title_shows_error_and_keeps_values(signed_in, expert):
    response = signed_in.post(
        reverse("accounts:qualification_add"),
        {"qualification-kind": "education", "qualification-institution": "TU Munich"},
    )
    html = response.content.decode()
    assert "This field is required." in html
    assert 'value="TU Munich"' in html
    assert not Qualification.objects.exists()


def test_cannot_remove_someone_elses_qualification(signed_in):
    other = QualificationFactory()
    response = signed_in.post(reverse("accounts:qualification_remove", args=[other.pk]))
    assert response.status_code == 404
    assert Qualification.objects.filter(pk=other.pk).exists()


def test_experience_end_before_start_is_refused(signed_in, expert):
    response = signed_in.post(
        reverse("accounts:experience_add"),
        {
            "experience-title": "Engineer",
            "experience-start_year": "2020",
            "experience-end_year": "2018",
        },
    )
    assert "The end year cannot be before the start year." in response.content.decode()
    assert not expert.expert_profile.experiences.exists()


def test_portfolio_item_with_image_gets_thumbnail(signed_in, expert):
    response = signed_in.post(
        reverse("accounts:portfolio_add"),
        {
            "portfolio-title": "Gearbox housing",
            "portfolio-description": "Mould design",
            "portfolio-url": "",
            "portfolio-image": image_upload("housing.png", size=(1200, 800)),
        },
    )
    assert response.status_code == 302
    item = PortfolioItem.objects.get(profile=expert.expert_profile)
    assert item.image.name.startswith("portfolio/")
    assert item.image_thumbnail.width == 480


def test_portfolio_item_with_fake_image_saves_nothing(signed_in, expert):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = signed_in.post(
        reverse("accounts:portfolio_add"),
        {
            "portfolio-title": "Gearbox housing",
            "portfolio-image": SimpleUploadedFile("x.png", b"not really a png"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not an image we can read" in html
    assert 'value="Gearbox housing"' in html
    assert not PortfolioItem.objects.exists()


def test_add_qualification_service_refuses_bad_year_without_saving():
    expert = ExpertFactory()
    with pytest.raises(ValidationError):
        services.add_qualification(
            profile=expert.expert_profile, by=expert, kind="education", title="BSc", year=1800
        )
    assert not Qualification.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"headline": "Mould designer, skype: mould.pete_77"},
        {"bio": "Twenty years of tools. Mail j o h n @ g m a i l . c o m"},
        {"bio": "Call me: zero one five one two three four five six seven eight"},
    ],
    ids=["headline-handle", "bio-spaced-email", "bio-spelled-phone"],
)
def test_public_headline_and_bio_refuse_contact_details(signed_in, expert, fields):
    before = expert.expert_profile.headline, expert.expert_profile.bio
    response = signed_in.post(reverse("accounts:expert_basics"), _basics(**fields))
    assert response.status_code == 200
    assert "Remove the contact details" in response.content.decode()
    expert.expert_profile.refresh_from_db()
    assert (expert.expert_profile.headline, expert.expert_profile.bio) == before
