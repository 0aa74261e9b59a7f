"""Requests for a missing skill, category or job type: filed where the choice was missing,
decided by staff in the admin, the item put in place and the requester told."""

import pytest
from django.urls import reverse

from accounts import taxonomy
from accounts.exceptions import ReasonRequiredError
from accounts.models import ExpertSkill, Skill, SkillCategory, TaxonomyRequest
from notifications.models import Notification
from tests.factories import ExpertFactory, SkillCategoryFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    return client


def test_an_expert_asks_for_a_missing_skill_from_the_profile(
    client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory()
    category = SkillCategoryFactory(name="Plastics")
    StaffFactory()
    client.force_login(expert)
    page = client.get(reverse("accounts:expert_edit")).content.decode()
    assert reverse("accounts:taxonomy_request") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:taxonomy_request"),
            {"kind": "skill", "name": "Gas-assist moulding", "category": category.pk},
        )
    assert response.status_code == 302
    request = TaxonomyRequest.objects.get()
    assert (request.requester, request.name, request.where) == (
        expert,
        "Gas-assist moulding",
        "profile",
    )
    assert Notification.objects.filter(kind="accounts.taxonomy_requested").exists()


def test_a_skill_request_without_a_category_is_refused_beside_the_field(client):
    client.force_login(ExpertFactory())
    response = client.post(
        reverse("accounts:taxonomy_request"), {"kind": "skill", "name": "Gas-assist moulding"}
    )
    assert response.status_code == 200
    assert "Choose the category the skill belongs to." in response.content.decode()
    assert not TaxonomyRequest.objects.exists()


def test_staff_accept_on_the_request_page_and_the_skill_is_on_the_profile(
    staff_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory()
    category = SkillCategoryFactory(name="Plastics")
    request = taxonomy.request_taxonomy_item(
        by=expert, kind="skill", name="Gas-assist moulding", category=category
    )
    page = staff_client.get(
        reverse("admin:accounts_taxonomyrequest_change", args=[request.pk])
    ).content.decode()
    assert "Accept: add it and put it in place" in page
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:accounts_taxonomyrequest_decide", args=[request.pk]),
            {"decision": "accept"},
        )
    skill = Skill.objects.get(name="Gas-assist moulding")
    assert skill.category == category
    assert ExpertSkill.objects.filter(profile__user=expert, skill=skill).exists()
    request.refresh_from_db()
    assert request.status == TaxonomyRequest.Status.ACCEPTED
    told = Notification.objects.get(user=expert, kind="accounts.taxonomy_request_decided")
    assert "already on your profile" in told.body


def test_an_accepted_category_request_becomes_the_posts_category(
    django_capture_on_commit_callbacks,
):
    from tests.bids.factories import make_standalone_project

    project = make_standalone_project()
    request = taxonomy.request_taxonomy_item(
        by=project.owner, kind="category", name="Failure analysis", project_id=project.pk
    )
    taxonomy.accept_taxonomy_request(request=request, by=StaffFactory())
    project.refresh_from_db()
    assert project.category == SkillCategory.objects.get(name="Failure analysis")


def test_a_skill_request_from_a_post_puts_the_skill_on_the_post():
    from tests.bids.factories import make_standalone_project

    project = make_standalone_project()
    request = taxonomy.request_taxonomy_item(
        by=project.owner,
        kind="skill",
        name="Gas-assist moulding",
        category=project.category,
        project_id=project.pk,
    )
    taxonomy.accept_taxonomy_request(request=request, by=StaffFactory())
    assert project.skills.filter(name="Gas-assist moulding").exists()


def test_staff_refuse_with_a_reason_and_the_requester_reads_it(
    staff_client, django_capture_on_commit_callbacks
):
    expert = ExpertFactory()
    request = taxonomy.request_taxonomy_item(by=expert, kind="category", name="Misc")
    url = reverse("admin:accounts_taxonomyrequest_decide", args=[request.pk])
    staff_client.post(url, {"decision": "refuse", "reason": "  "})
    request.refresh_from_db()
    assert request.status == TaxonomyRequest.Status.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"decision": "refuse", "reason": "Too vague: which field?"})
    request.refresh_from_db()
    assert request.status == TaxonomyRequest.Status.REFUSED
    assert not SkillCategory.objects.filter(name="Misc").exists()
    told = Notification.objects.get(user=expert, kind="accounts.taxonomy_request_decided")
    assert told.body == "Too vague: which field?"


def test_refusing_without_a_reason_changes_nothing():
    request = taxonomy.request_taxonomy_item(by=ExpertFactory(), kind="category", name="Misc")
    with pytest.raises(ReasonRequiredError):
        taxonomy.refuse_taxonomy_request(request=request, by=StaffFactory(), reason=" ")
    request.refresh_from_db()
    assert request.status == TaxonomyRequest.Status.PENDING


def test_the_post_form_and_the_listing_form_link_to_the_request_page(client):
    from tests.factories import ClientFactory

    client.force_login(ClientFactory())
    assert (
        reverse("accounts:taxonomy_request")
        in client.get(reverse("projects:post")).content.decode()
    )
    client.force_login(ExpertFactory())
    page = client.get(reverse("bookings:listing_create")).content.decode()
    assert reverse("accounts:taxonomy_request") in page


def test_a_request_naming_a_skill_by_its_german_name_reuses_that_skill():
    expert = ExpertFactory()
    moulding = Skill.objects.get(slug="injection-moulding")
    request = taxonomy.request_taxonomy_item(
        by=expert, kind="skill", name="spritzguss", category=moulding.category
    )

    taxonomy.accept_taxonomy_request(request=request, by=StaffFactory())

    request.refresh_from_db()
    assert request.created_skill == moulding
    assert not Skill.objects.filter(name__iexact="spritzguss").exists()
