"""The bid pages' error summaries: the milestone plan's row errors and the note forms, each error
linked to its field, in the reader's language."""

import pytest
from django.urls import reverse

from bids import services
from bids.models import Bid
from tests.bids.factories import ExpertFactory, make_open_project, place
from tests.factories import StaffFactory
from tests.marketplace.test_form_errors import Page, _assert_tied

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "amount": "300",
        "days": "14",
        "proposal": "Three concepts, two rounds of changes.",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "20",
    }
    for i, (title, amount) in enumerate([("Concepts", "100"), ("Refine", "100"), ("Files", "100")]):
        data[f"milestones-{i}-title"] = title
        data[f"milestones-{i}-amount"] = amount
        data[f"milestones-{i}-due_in_days"] = str(5 * (i + 1))
    data.update(overrides)
    return data


def test_a_bad_milestone_row_is_in_the_summary_with_a_link_to_its_field(client, project, expert):
    client.force_login(expert)
    response = client.post(
        reverse("bids:place", args=[project.pk]),
        _form(**{"milestones-1-amount": "abc", "days": "0"}),
    )

    page = Page(response.content.decode())
    assert page.summaries == 1
    _assert_tied(page, "id_days", "Estimate at least one day.")
    _assert_tied(page, "id_milestones-1-amount", "Enter an amount as a number")
    assert page.summary_links == ["#id_days", "#id_milestones-1-amount"]
    assert "Row 2, Amount:" in response.text
    assert not Bid.objects.exists()


def test_the_plan_total_error_is_in_the_summary_linked_to_the_plan(client, project, expert):
    client.force_login(expert)
    response = client.post(
        reverse("bids:place", args=[project.pk]), _form(**{"milestones-2-amount": "50"})
    )

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.summaries == 1
    assert page.summary_links == ["#milestone-plan"]
    assert "milestone-plan-error" in page.by_id["milestone-plan"]["aria-describedby"].split()
    assert "The milestones add up to €250.00 but the price is €300.00" in response.text


def test_the_summary_and_the_plan_errors_are_german_for_a_german_expert(client, project):
    client.force_login(ExpertFactory(language="de"))
    response = client.post(
        reverse("bids:place", args=[project.pk]),
        _form(**{"milestones-1-title": "", "milestones-2-amount": "50"}),
    )

    text = response.content.decode()
    assert "Bitte korrigieren Sie Folgendes:" in text
    assert "Geben Sie Meilenstein 2 einen Titel." in text
    assert "Meilensteinplan (optional)" in text
    assert "Milestone plan" not in text
    assert "Give milestone" not in text


def test_an_empty_negotiation_note_comes_back_with_a_summary(client, expert):
    project = make_open_project(managed=True)
    bid = place(project, expert)
    client.force_login(project.owner)
    response = client.post(reverse("bids:negotiate", args=[bid.pk]), {"message": " "})

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.summaries == 1
    _assert_tied(page, "id_message", "Write what you would like to change.")


def test_an_empty_staff_relay_note_comes_back_with_a_summary_in_german(client, expert):
    project = make_open_project(managed=True)
    bid = place(project, expert)
    client.force_login(StaffFactory(language="de"))
    response = client.post(reverse("bids:relay", args=[bid.pk]), {"message": ""})

    assert response.status_code == 400
    page = Page(response.content.decode())
    assert page.summaries == 1
    _assert_tied(page, "id_message", "Schreiben Sie die Nachricht an den Experten.")


def test_an_empty_reason_to_decline_an_award_comes_back_with_a_summary(client, project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    client.force_login(expert)
    response = client.post(reverse("bids:reject", args=[bid.pk]), {"reason": ""})

    assert response.status_code == 400
    page = Page(response.content.decode())
    _assert_tied(page, "id_reason", "Tell the client why you decline.")
    bid.refresh_from_db()
    assert bid.status == Bid.Status.AWARDED
