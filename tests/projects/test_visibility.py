"""Who may open which project: anonymous, owner, other client, invited expert, other expert,
company, staff, each against draft / pending / open / private / restricted."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import Project
from tests.projects.factories import ExpertFactory, make_open_project, project_values

pytestmark = pytest.mark.django_db

VIEWERS = [
    "anonymous",
    "owner",
    "other_client",
    "invited_expert",
    "other_expert",
    "company",
    "staff",
]

# state -> viewers who get the page (everyone else gets 404)
EXPECTED = {
    "draft": {"owner", "staff"},
    "pending": {"owner", "staff"},
    "open": set(VIEWERS),
    "private": {"owner", "invited_expert", "staff"},
    "restricted": set(VIEWERS),
}


@pytest.fixture
def people(owner, other_client, expert, company_expert, staff):
    return {
        "anonymous": None,
        "owner": owner,
        "other_client": other_client,
        "invited_expert": expert,
        "other_expert": ExpertFactory(email="other-expert@example.com"),
        "company": company_expert,
        "staff": staff,
    }


def _project(state, owner, invited, settings):
    if state == "draft":
        return services.create_draft(by=owner, values=project_values())
    if state == "pending":
        settings.PROJECT_MODERATION = "all"
        project = services.create_draft(by=owner, values=project_values())
        project = services.publish_project(project=project, by=owner)
        services.invite_expert(project=project, expert=invited, by=owner)
        return project
    project = make_open_project(
        owner,
        restricted_to_businesses=state == "restricted",
        visibility="private" if state == "private" else "public",
    )
    if state != "restricted":
        services.invite_expert(project=project, expert=invited, by=owner)
    return project


@pytest.mark.parametrize("state", list(EXPECTED))
@pytest.mark.parametrize("viewer", VIEWERS)
def test_visibility_matrix(client, people, settings, state, viewer):
    project = _project(state, people["owner"], people["invited_expert"], settings)
    if people[viewer] is not None:
        client.force_login(people[viewer])
    response = client.get(reverse("projects:detail", args=[project.pk]))
    expected = 200 if viewer in EXPECTED[state] else 404
    assert response.status_code == expected


def test_restricted_project_tells_an_individual_expert_why(client, owner, expert):
    project = make_open_project(owner, restricted_to_businesses=True)
    client.force_login(expert)
    response = client.get(project.get_absolute_url())
    assert b"restricted to businesses" in response.content
    assert b"individual account" in response.content


def test_restricted_project_lets_a_company_bid(client, owner, company_expert):
    project = make_open_project(owner, restricted_to_businesses=True)
    client.force_login(company_expert)
    response = client.get(project.get_absolute_url())
    assert response.context["can_bid"] is True


def test_private_project_is_not_in_search_even_for_invited_expert(client, owner, expert):
    project = make_open_project(owner, visibility=Project.Visibility.PRIVATE)
    services.invite_expert(project=project, expert=expert, by=owner)
    client.force_login(expert)
    response = client.get(reverse("projects:find"))
    assert project not in response.context["page"].items


def test_attachment_download_follows_project_visibility(client, owner, other_client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    project = make_open_project(owner, visibility=Project.Visibility.PRIVATE)
    attachment = services.add_attachment(
        project=project, by=owner, file=SimpleUploadedFile("spec.txt", b"secret spec")
    )
    url = attachment.get_absolute_url()
    client.force_login(other_client)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"secret spec"
    assert "attachment" in response["Content-Disposition"]
