import pytest
from django.urls import reverse

from tests.factories import ClientFactory, ExpertFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_dashboard_needs_a_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_client_dashboard_offers_post_a_project_and_shows_balances(
    client, django_assert_max_num_queries
):
    client.force_login(ClientFactory())
    with django_assert_max_num_queries(16):  # session, user, wallet, 4 panels, reviews
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("projects:post") in body
    assert "You have not posted a project yet." in body
    assert "Available balance" in body


def test_expert_dashboard_links_to_work_and_leads(client):
    client.force_login(ExpertFactory())
    body = client.get(reverse("dashboard")).content.decode()
    assert reverse("leads:inbox") in body
    assert reverse("leads:criteria") in body
    assert "Find projects with my skills" in body


def test_account_menu_links_each_role_to_its_own_work(client):
    expert = ExpertFactory()
    client.force_login(expert)
    body = client.get(reverse("dashboard")).content.decode()
    for name in ("bids:mine", "bookings:my_listings", "workspaces:index", "bookings:mine"):
        assert reverse(name) in body
    client.force_login(ClientFactory())
    body = client.get(reverse("dashboard")).content.decode()
    assert reverse("projects:mine") in body
    assert reverse("bids:mine") not in body


def test_staff_dashboard_lists_the_queues_in_german(client):
    client.force_login(StaffFactory())

    body = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "Projekte, die auf Freigabe warten" in body
    assert "Projects waiting for approval" not in body


def test_a_staff_account_is_not_offered_a_profile_it_cannot_edit(client):
    staff = StaffFactory()
    client.force_login(staff)

    body = client.get(reverse("dashboard")).content.decode()
    response = client.get(reverse("accounts:profile_edit"))

    assert reverse("accounts:profile_edit") not in body
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email")
    assert client.get(response["Location"]).status_code == 200
