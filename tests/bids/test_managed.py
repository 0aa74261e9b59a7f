"""Managed projects: aliases, negotiation through staff, revised offers both parties accept."""

import pytest
from django.urls import reverse

from bids import services
from bids.exceptions import BidInvalid, InvalidTransition, NotAllowed
from bids.models import OfferRevision
from bids.selectors import bids_for_client
from messaging.models import Conversation, Message
from notifications.models import Notification
from tests.bids.factories import make_open_project, place, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def managed(client_user):
    return make_open_project(owner=client_user, managed=True)


def test_client_sees_bidders_under_aliases(managed, expert, other_expert):
    place(managed, expert)
    place(managed, other_expert)
    names = {bid.shown_name for bid in bids_for_client(managed)}
    assert names == {"Expert A", "Expert B"}


def test_bid_conversation_shows_the_expert_by_alias(managed, expert):
    bid = place(managed, expert)
    seat = Conversation.objects.get(key=f"bid:{bid.pk}").participants.get(user=expert)
    assert seat.shown_name == "Expert A"


def test_negotiation_request_goes_to_staff(managed, expert, staff):
    bid = place(managed, expert)
    chat = services.request_negotiation(bid=bid, by=managed.owner, message="Could it be €350?")
    assert chat.kind == Conversation.Kind.NEGOTIATION
    assert list(chat.participants.values_list("user", flat=True)) == [managed.owner.pk]
    assert Message.objects.get(conversation=chat).body == "Could it be €350?"
    assert Notification.objects.filter(user=staff, kind="bids.negotiation").exists()


def test_negotiation_refused_on_ordinary_projects(project, expert):
    bid = place(project, expert)
    with pytest.raises(NotAllowed):
        services.request_negotiation(bid=bid, by=project.owner, message="Lower?")
    assert not Conversation.objects.filter(kind=Conversation.Kind.NEGOTIATION).exists()


def test_staff_relay_to_expert_in_a_separate_conversation(managed, expert, staff):
    bid = place(managed, expert)
    chat = services.relay_to_expert(bid=bid, by=staff, message="The client asks about €350.")
    assert list(chat.participants.values_list("user", flat=True)) == [expert.pk]
    assert chat.messages.get().from_staff


def test_relay_refused_for_non_staff(managed, expert):
    bid = place(managed, expert)
    with pytest.raises(NotAllowed):
        services.relay_to_expert(bid=bid, by=managed.owner, message="Hi")


def test_revised_offer_applies_once_both_accept(managed, expert, staff):
    bid = place(managed, expert, amount=40_000, milestones=plan(40_000))
    revision = services.revise_offer(
        bid=bid, by=staff, amount=35_000, days=15, milestones=plan(15_000, 20_000)
    )
    services.accept_offer(revision=revision, by=managed.owner)
    bid.refresh_from_db()
    assert bid.amount == 40_000
    revision = services.accept_offer(revision=revision, by=expert)
    bid.refresh_from_db()
    assert revision.status == OfferRevision.Status.ACCEPTED
    assert (bid.amount, bid.days) == (35_000, 15)
    assert [m.amount for m in bid.milestones.all()] == [15_000, 20_000]


def test_revise_offer_refuses_non_staff_and_bad_sums(managed, expert, staff):
    bid = place(managed, expert)
    with pytest.raises(NotAllowed):
        services.revise_offer(bid=bid, by=managed.owner, amount=1000, days=1)
    with pytest.raises(BidInvalid):
        services.revise_offer(bid=bid, by=staff, amount=1000, days=1, milestones=plan(10))
    assert not OfferRevision.objects.exists()


def test_accepting_a_superseded_offer_is_refused(managed, expert, staff):
    bid = place(managed, expert)
    old = services.revise_offer(bid=bid, by=staff, amount=30_000, days=10)
    services.revise_offer(bid=bid, by=staff, amount=32_000, days=10)
    with pytest.raises(InvalidTransition):
        services.accept_offer(revision=old, by=expert)
    bid.refresh_from_db()
    assert bid.amount == 40_000


def _identifiable_expert(managed):
    """A verified expert company with a telling headline, an institution and a track record."""
    from django.utils import timezone

    from accounts.models import CompanyProfile, ExpertSkill
    from tests.factories import ExpertFactory, QualificationFactory, StaffFactory
    from tests.reviews.factories import completed_contract, review

    expert = ExpertFactory(account_type="company", name="Lukas Brandt")
    CompanyProfile.objects.create(
        user=expert,
        legal_name="Brandt Moulding GmbH",
        verification_status=CompanyProfile.Status.VERIFIED,
        verified_at=timezone.now(),
        verified_by=StaffFactory(),
    )
    profile = expert.expert_profile
    profile.headline = "Mould designer, ex-Brandt Moulding"
    profile.save()
    ExpertSkill.objects.create(
        profile=profile, skill=managed.skills.get(), level=ExpertSkill.Level.EXPERT, years=8
    )
    QualificationFactory(
        profile=profile, title="MSc Polymer Engineering", institution="Hochschule Aalen", year=2015
    )
    earlier = completed_contract(30_000, expert=expert)
    review(earlier, earlier.client, rating=4)
    review(earlier, expert, rating=5)
    return expert


def test_an_anonymous_bid_card_shows_what_helps_the_choice_without_identifying(
    client, managed, client_user
):
    expert = _identifiable_expert(managed)
    place(managed, expert)
    client.force_login(client_user)
    page = client.get(reverse("bids:project_bids", args=[managed.pk])).content.decode()
    for identifying in (
        "Lukas Brandt",
        "Brandt Moulding",
        "Hochschule Aalen",
        "2015",
        "Verified company",
        "ex-Brandt",
    ):
        assert identifying not in page, identifying
    assert "Expert A" in page
    assert "Master&#x27;s degree in Polymer Engineering" in page
    assert f"{managed.skills.get().name} (expert, 8 years)" in page
    assert "4.0 ★ from 1 review" in page
    assert "1 completed project" in page


def test_an_open_project_bid_card_still_names_the_bidder_and_their_school(
    client, project, client_user
):
    expert = _identifiable_expert(project)
    place(project, expert)
    client.force_login(client_user)
    page = client.get(reverse("bids:project_bids", args=[project.pk])).content.decode()
    assert "Lukas Brandt" in page
    assert "Hochschule Aalen" in page
    assert "Verified company" in page
