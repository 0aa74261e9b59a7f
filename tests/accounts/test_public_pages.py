import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts import services
from tests.factories import (
    CompanyClientFactory,
    CompanyDocumentFactory,
    ExperienceFactory,
    ExpertFactory,
    ExpertLanguageFactory,
    ExpertSkillFactory,
    PortfolioItemFactory,
    QualificationFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


def _full_profile(items: int):
    expert = ExpertFactory(name="Lena Vogt")
    profile = expert.expert_profile
    for _ in range(items):
        ExpertSkillFactory(profile=profile)
        ExpertLanguageFactory(profile=profile)
        QualificationFactory(profile=profile)
        ExperienceFactory(profile=profile)
        PortfolioItemFactory(profile=profile)
    return profile


def test_expert_page_shows_profile_and_honest_zero_states(client):
    profile = _full_profile(1)
    skill = profile.skills.get()
    response = client.get(profile.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lena Vogt" in html
    assert escape(profile.headline) in html  # a random headline may hold an apostrophe
    assert escape(skill.skill.name) in html
    assert "€65.00" in html
    assert "No completed projects yet." in html
    assert "No reviews yet." in html
    assert "Verified company" not in html


def test_empty_expert_profile_says_so_instead_of_inventing(client):
    expert = ExpertFactory(expert_profile__headline="", expert_profile__bio="")
    html = client.get(expert.expert_profile.get_absolute_url()).content.decode()
    assert "No skills listed yet." in html
    assert "No portfolio items yet." in html
    assert "has not written an introduction yet" in html


@pytest.mark.parametrize("items", [1, 8])
def test_expert_page_query_count_is_fixed(client, items, django_assert_max_num_queries):
    profile = _full_profile(items)
    with django_assert_max_num_queries(9):  # includes the reviews panel (one query)
        assert client.get(profile.get_absolute_url()).status_code == 200


def test_expert_page_404_for_unknown_or_inactive_expert(client):
    assert client.get(reverse("accounts:expert_detail", args=[999999])).status_code == 404
    expert = ExpertFactory(is_active=False)
    assert client.get(expert.expert_profile.get_absolute_url()).status_code == 404


def _verified_company():
    owner = CompanyClientFactory()
    company = owner.company_profile
    CompanyDocumentFactory(company=company)
    services.submit_company_for_verification(company=company, by=owner)
    return services.verify_company(company=company, by=StaffFactory())


def test_company_page_shows_verified_badge_only_when_verified(client):
    unverified = CompanyClientFactory().company_profile
    html = client.get(unverified.get_absolute_url()).content.decode()
    assert unverified.legal_name in html
    assert "Verified company" not in html
    assert "has not been verified yet" in html
    company = _verified_company()
    html = client.get(company.get_absolute_url()).content.decode()
    assert "Verified company" in html
    assert "No completed projects yet." in html
    assert "No reviews yet." in html


def test_company_page_query_count_is_fixed(client, django_assert_max_num_queries):
    company = _verified_company()
    with django_assert_max_num_queries(4):
        assert client.get(company.get_absolute_url()).status_code == 200


def test_expert_of_verified_company_shows_badge(client):
    company = _verified_company()
    user = company.user
    services.switch_role(user=user, role="expert")
    html = client.get(user.expert_profile.get_absolute_url()).content.decode()
    assert "Verified company" in html
    assert company.get_absolute_url() in html
