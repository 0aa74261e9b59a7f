"""Bid pages: the form and its errors, the client's list (fixed queries), HTMX toggles,
comparison, award and confirm through the pages, the contract page, and who sees what."""

import pytest
from django.urls import reverse

from bids import services
from bids.models import Bid, Contract
from tests.bids.factories import (
    BidFactory,
    ExpertFactory,
    award_and_confirm,
    make_open_project,
    place,
    plan,
)

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


def test_bid_form_page_prompts_for_missing_skills(client, project, expert):
    client.force_login(expert)
    response = client.get(reverse("bids:place", args=[project.pk]))
    assert response.status_code == 200
    assert "not on your profile" in response.text
    assert "Add to my profile" in response.text


def test_add_skills_button_adds_them(client, project, expert):
    client.force_login(expert)
    client.post(reverse("bids:add_skills", args=[project.pk]))
    assert expert.expert_profile.skills.filter(skill__slug="logo-design").exists()


def test_place_bid_through_the_form(client, project, expert):
    client.force_login(expert)
    response = client.post(reverse("bids:place", args=[project.pk]), _form())
    bid = Bid.objects.get()
    assert response.status_code == 302
    assert response["Location"] == bid.get_absolute_url()
    assert bid.amount == 30_000
    assert bid.milestones.count() == 3


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": "0"}, "Enter an amount greater than zero."),
        ({"amount": "-5"}, "Enter the amount without a sign"),
        ({"amount": "99999999999"}, "The largest amount accepted"),
        ({"days": "0"}, "Estimate at least one day."),
        ({"proposal": ""}, "Describe how you will do the work."),
        ({"milestones-2-amount": "50"}, "The milestones add up to €250.00"),
    ],
)
def test_bad_bid_input_shows_message_beside_field_and_saves_nothing(
    client, project, expert, overrides, message
):
    client.force_login(expert)
    response = client.post(reverse("bids:place", args=[project.pk]), _form(**overrides))
    assert response.status_code in {200, 400}
    assert message in response.text
    assert 'class="field__error"' in response.text
    assert not Bid.objects.exists()


def test_bid_form_keeps_typed_values_on_error(client, project, expert):
    client.force_login(expert)
    response = client.post(reverse("bids:place", args=[project.pk]), _form(days="0"))
    assert "Three concepts, two rounds of changes." in response.text
    assert 'value="Concepts"' in response.text


def test_refused_expert_sees_the_reason_instead_of_the_form(client, project):
    client.force_login(project.owner)
    response = client.get(reverse("bids:place", args=[project.pk]))
    assert "This is your own project." in response.text
    assert "Send bid" not in response.text


def test_client_bid_list_with_200_bids_has_fixed_query_count(
    client, project, django_assert_max_num_queries
):
    for number in range(1, 201):
        BidFactory(project=project, number=number)
    client.force_login(project.owner)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("bids:project_bids", args=[project.pk]))
    assert response.status_code == 200
    assert response.text.count('class="card bid-card') == 200


def test_bid_list_is_not_for_other_people(client, project, expert):
    place(project, expert)
    client.force_login(expert)
    assert client.get(reverse("bids:project_bids", args=[project.pk])).status_code == 404


def test_shortlist_toggle_returns_the_card_for_htmx(client, project, expert):
    bid = place(project, expert)
    client.force_login(project.owner)
    response = client.post(
        reverse("bids:shortlist", args=[bid.pk]), {"shortlisted": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<article")
    assert "Remove from shortlist" in response.text
    bid.refresh_from_db()
    assert bid.shortlisted


def test_hide_toggle_without_javascript_redirects_to_the_list(client, project, expert):
    bid = place(project, expert)
    client.force_login(project.owner)
    response = client.post(reverse("bids:hide", args=[bid.pk]), {"hidden": "1"})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.hidden


def test_compare_two_bids_side_by_side(client, project, expert, other_expert):
    first, second = place(project, expert), place(project, other_expert, amount=35_000)
    client.force_login(project.owner)
    response = client.get(
        reverse("bids:compare", args=[project.pk]), {"bid": [first.pk, second.pk]}
    )
    assert response.status_code == 200
    assert "€400.00" in response.text
    assert "€350.00" in response.text


def test_compare_needs_two_or_three(client, project, expert):
    bid = place(project, expert)
    client.force_login(project.owner)
    response = client.get(reverse("bids:compare", args=[project.pk]), {"bid": [bid.pk]})
    assert response.status_code == 302


def test_award_and_confirm_through_the_pages(client, project, expert):
    bid = place(project, expert, amount=30_000, milestones=plan(10_000, 20_000))
    client.force_login(project.owner)
    client.post(reverse("bids:award", args=[bid.pk]))
    client.force_login(expert)
    page = client.get(reverse("bids:confirm", args=[bid.pk]))
    assert "Contract summary" in page.text
    response = client.post(reverse("bids:confirm", args=[bid.pk]), {"accept_terms": "on"})
    contract = Contract.objects.get()
    assert response["Location"] == contract.get_absolute_url()
    assert contract.accepted_ip == "127.0.0.1"


def test_confirm_page_without_terms_shows_error(client, project, expert):
    bid = place(project, expert)
    services.award_bid(bid=bid, by=project.owner)
    client.force_login(expert)
    response = client.post(reverse("bids:confirm", args=[bid.pk]), {})
    assert "Accept the contract terms" in response.text
    assert not Contract.objects.exists()


def test_contract_page_for_both_parties_only(client, project, expert, other_expert):
    contract = award_and_confirm(place(project, expert))
    for person in (project.owner, expert):
        client.force_login(person)
        response = client.get(contract.get_absolute_url())
        assert response.status_code == 200
        assert 'id="workspace"' in response.text
    client.force_login(other_expert)
    assert client.get(contract.get_absolute_url()).status_code == 404


def test_bid_page_hidden_from_other_experts(client, project, expert, other_expert):
    bid = place(project, expert)
    client.force_login(other_expert)
    assert client.get(bid.get_absolute_url()).status_code == 404


def test_bid_page_query_count_is_bounded(client, project, expert, django_assert_max_num_queries):
    bid = place(project, expert, amount=30_000, milestones=plan(10_000, 20_000))
    client.force_login(project.owner)
    with django_assert_max_num_queries(25):
        assert client.get(bid.get_absolute_url()).status_code == 200


def test_contract_milestones_page_saves_a_split(client, project, expert):
    contract = award_and_confirm(place(project, expert, amount=30_000, milestones=plan(30_000)))
    [only] = contract.milestones.all()
    client.force_login(expert)
    data = {
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "1",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "20",
        "milestones-0-id": str(only.pk),
        "milestones-0-order": "2",
        "milestones-0-title": "Second half",
        "milestones-0-amount": "150",
        "milestones-0-due_in_days": "20",
        "milestones-1-order": "1",
        "milestones-1-title": "First half",
        "milestones-1-amount": "150",
        "milestones-1-due_in_days": "10",
    }
    response = client.post(reverse("bids:contract_milestones", args=[contract.pk]), data)
    assert response.status_code == 302
    assert [m.title for m in contract.milestones.order_by("position")] == [
        "First half",
        "Second half",
    ]


def test_my_bids_lists_the_experts_bids(client, project, expert):
    place(project, expert)
    client.force_login(expert)
    response = client.get(reverse("bids:mine"))
    assert project.title in response.text


def test_expert_without_profile_skills_can_still_bid(client, project):
    newcomer = ExpertFactory()
    client.force_login(newcomer)
    client.post(reverse("bids:place", args=[project.pk]), _form())
    assert Bid.objects.filter(expert=newcomer).exists()


def test_client_sees_accept_offer_not_award_on_a_platform_fee_job(client, project, expert):
    from projects.models import Project

    Project.objects.filter(pk=project.pk).update(payment_model=Project.PaymentModel.PLATFORM_FEE)
    bid = place(project, expert)
    client.force_login(project.owner)
    body = client.get(reverse("bids:detail", args=[bid.pk])).content.decode()
    assert reverse("bookings:accept_offer", args=[bid.pk]) in body
    assert reverse("bids:award", args=[bid.pk]) not in body


def test_the_offer_form_of_a_booking_says_the_fee_is_paid_here_and_the_rest_directly(
    client, client_user, expert
):
    booking_job = make_open_project(owner=client_user, payment_model="platform_fee")
    client.force_login(expert)
    page = client.get(reverse("bids:place", args=[booking_job.pk])).content.decode()
    assert "deducted from each milestone" not in page
    assert "pays you the rest directly" in page


def test_the_offer_form_of_a_milestone_project_says_the_fee_comes_off_each_release(
    client, project, expert
):
    client.force_login(expert)
    page = client.get(reverse("bids:place", args=[project.pk])).content.decode()
    assert "minus our fee" in page
    assert "pays you the rest directly" not in page


def test_bid_proposal_with_disguised_contact_is_refused_and_nothing_saved(client, project, expert):
    client.force_login(expert)
    proposal = "Three concepts. Reach me on gmail: johndoe1987 to talk faster."
    response = client.post(reverse("bids:place", args=[project.pk]), _form(proposal=proposal))
    assert "Remove the contact details" in response.text
    assert not Bid.objects.exists()


def test_bid_attachment_named_with_a_contact_is_refused(client, project, expert):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(expert)
    upload = SimpleUploadedFile("portfolio jane.doe@gmail.com.pdf", b"%PDF-1.4 x")
    response = client.post(
        reverse("bids:place", args=[project.pk]), {**_form(), "attachments": [upload]}
    )
    assert "Remove the contact details" in response.text
    assert not Bid.objects.exists()
