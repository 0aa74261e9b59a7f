"""Experts I worked with: one click from an invitation on my next project."""

import pytest
from django.urls import reverse

from projects.models import Invitation
from projects.selectors import previous_collaborators
from tests.bids.factories import award_and_confirm, make_open_project, place
from tests.factories import ClientFactory, ExpertFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_user(db):
    return ClientFactory()


@pytest.fixture
def worked_with(client_user):
    expert = ExpertFactory(name="Wanda Worked-Before")
    award_and_confirm(place(make_open_project(owner=client_user), expert))
    return expert


def test_previous_collaborators_lists_experts_from_my_contracts_only(client_user, worked_with):
    stranger = ExpertFactory()
    place(make_open_project(owner=ClientFactory()), stranger)
    project = make_open_project(owner=client_user)
    assert list(previous_collaborators(owner=client_user, project=project)) == [worked_with]


def test_previous_collaborators_leaves_out_experts_already_invited(client_user, worked_with):
    project = make_open_project(owner=client_user)
    Invitation.objects.create(project=project, expert=worked_with, invited_by=client_user)
    assert list(previous_collaborators(owner=client_user, project=project)) == []


def test_owner_invites_a_previous_collaborator_from_the_project_page(
    client, client_user, worked_with
):
    project = make_open_project(owner=client_user)
    client.force_login(client_user)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Experts you worked with" in page
    assert "Wanda Worked-Before" in page
    response = client.post(
        reverse("projects:invite"),
        {"expert": worked_with.pk, "project": project.pk, "next": project.get_absolute_url()},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(project=project, expert=worked_with).exists()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Experts you worked with" not in page


def test_other_people_do_not_see_my_collaborators(client, client_user, worked_with):
    project = make_open_project(owner=client_user)
    client.force_login(ExpertFactory())
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Experts you worked with" not in page
