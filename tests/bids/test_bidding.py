"""Placing, editing and withdrawing bids, and every refusal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from accounts.models import ExpertSkill
from bids import services
from bids.exceptions import AlreadyBid, BiddingClosed, BidInvalid, InvalidTransition, NotAllowed
from bids.models import Bid
from messaging.models import Conversation
from notifications.models import Notification
from projects.models import Invitation, Project
from projects.services import close_project
from tests.bids.factories import BidFactory, company_expert, make_open_project, place, plan
from tests.projects.factories import skill

pytestmark = pytest.mark.django_db


def _count(project):
    project.refresh_from_db()
    return project.bid_count


def test_place_bid_saves_bid_plan_and_tells_the_client(project, expert):
    bid = place(project, expert, amount=30_000, milestones=plan(10_000, 10_000, 10_000))
    assert bid.status == Bid.Status.ACTIVE
    assert [m.amount for m in bid.milestones.all()] == [10_000, 10_000, 10_000]
    assert _count(project) == 1
    assert Notification.objects.filter(user=project.owner, kind="bids.received").count() == 1
    assert Conversation.objects.filter(key=f"bid:{bid.pk}").exists()


def test_place_bid_keeps_attachments(project, expert):
    upload = SimpleUploadedFile("plan.pdf", b"%PDF small", content_type="application/pdf")
    bid = place(project, expert, files=[upload])
    assert [a.name for a in bid.attachments.all()] == ["plan.pdf"]


def test_place_bid_refuses_oversized_attachment_and_saves_nothing(project, expert):
    upload = SimpleUploadedFile("huge.pdf", b"x" * 2048)
    with pytest.raises(BidInvalid) as error:
        place(project, expert, files=[upload])
    assert "attachments" in error.value.errors
    assert not Bid.objects.exists()
    assert _count(project) == 0


def test_place_bid_refuses_second_bid(project, expert):
    place(project, expert)
    with pytest.raises(AlreadyBid):
        place(project, expert, amount=20_000)
    assert Bid.objects.filter(expert=expert).count() == 1
    assert _count(project) == 1


def test_database_allows_one_live_bid_per_expert_and_project(project, expert):
    BidFactory(project=project, expert=expert, number=1)
    with pytest.raises(IntegrityError):
        BidFactory(project=project, expert=expert, number=2)


def test_place_bid_after_withdrawing_is_allowed(project, expert):
    first = place(project, expert)
    services.withdraw_bid(bid=first, by=expert)
    second = place(project, expert, amount=35_000)
    assert second.number == 2
    assert _count(project) == 1


def test_place_bid_refuses_closed_project(project, expert):
    close_project(project=project, by=project.owner)
    with pytest.raises(BiddingClosed):
        place(project, expert)
    assert not Bid.objects.exists()


@pytest.mark.parametrize(
    ("amount", "days", "proposal", "field"),
    [
        (0, 10, "Plan", "amount"),
        (-500, 10, "Plan", "amount"),
        (10**12, 10, "Plan", "amount"),
        (None, 10, "Plan", "amount"),
        (10_000, 0, "Plan", "days"),
        (10_000, 100_000, "Plan", "days"),
        (10_000, 10, "   ", "proposal"),
    ],
)
def test_place_bid_refuses_bad_input_and_saves_nothing(
    project, expert, amount, days, proposal, field
):
    with pytest.raises(BidInvalid) as error:
        place(project, expert, amount=amount, days=days, proposal=proposal)
    assert field in error.value.errors
    assert not Bid.objects.exists()
    assert _count(project) == 0


def test_place_bid_refuses_milestones_not_summing_to_price(project, expert):
    with pytest.raises(BidInvalid) as error:
        place(project, expert, amount=30_000, milestones=plan(10_000, 10_000))
    assert "add up to €200.00" in error.value.errors["milestones"]
    assert not Bid.objects.exists()


def test_place_bid_refuses_milestone_without_title(project, expert):
    steps = [services.MilestoneInput(title=" ", amount=30_000, due_in_days=3)]
    with pytest.raises(BidInvalid):
        place(project, expert, amount=30_000, milestones=steps)
    assert not Bid.objects.exists()


def test_place_bid_refuses_individual_on_business_only_project(client_user, expert):
    project = make_open_project(owner=client_user, restricted_to_businesses=True)
    with pytest.raises(NotAllowed, match="restricted to businesses"):
        place(project, expert)
    assert not Bid.objects.exists()


def test_place_bid_tells_unverified_company_what_to_do(client_user):
    project = make_open_project(owner=client_user, restricted_to_businesses=True)
    company = company_expert(verified=False)
    with pytest.raises(NotAllowed, match="registration documents"):
        place(project, company)
    assert not Bid.objects.exists()


def test_place_bid_accepts_verified_company_on_business_only_project(client_user):
    project = make_open_project(owner=client_user, restricted_to_businesses=True)
    bid = place(project, company_expert(verified=True))
    assert bid.pk


def test_place_bid_refuses_uninvited_expert_on_private_project(client_user, expert):
    project = make_open_project(owner=client_user, visibility=Project.Visibility.PRIVATE)
    with pytest.raises(NotAllowed, match="private"):
        place(project, expert)
    assert not Bid.objects.exists()


def test_place_bid_accepts_invited_expert_on_private_project(client_user, expert):
    project = make_open_project(owner=client_user, visibility=Project.Visibility.PRIVATE)
    Invitation.objects.create(project=project, expert=expert, invited_by=client_user)
    assert place(project, expert).pk


def test_place_bid_refuses_client_bidding_on_own_project(project):
    with pytest.raises(NotAllowed):
        place(project, project.owner)
    assert not Bid.objects.exists()


def test_bid_cap_closes_bidding_when_reached(settings, project, expert, other_expert):
    settings.BID_CAP = 1
    place(project, expert)
    with pytest.raises(BiddingClosed, match="limit of 1"):
        place(project, other_expert)
    assert Bid.objects.count() == 1


def test_update_bid_changes_price_and_plan(project, expert):
    bid = place(project, expert)
    services.update_bid(
        bid=bid, by=expert, amount=50_000, days=9, proposal="New", milestones=plan(20_000, 30_000)
    )
    bid.refresh_from_db()
    assert (bid.amount, bid.days, bid.proposal) == (50_000, 9, "New")
    assert [m.amount for m in bid.milestones.all()] == [20_000, 30_000]


def test_update_bid_refuses_someone_else(project, expert, other_expert):
    bid = place(project, expert)
    with pytest.raises(NotAllowed):
        services.update_bid(bid=bid, by=other_expert, amount=1, days=1, proposal="x")
    bid.refresh_from_db()
    assert bid.amount == 40_000


def test_update_bid_refuses_once_project_closed(project, expert):
    bid = place(project, expert)
    close_project(project=project, by=project.owner)
    with pytest.raises(BiddingClosed):
        services.update_bid(bid=bid, by=expert, amount=1000, days=1, proposal="x")
    bid.refresh_from_db()
    assert bid.amount == 40_000


def test_withdraw_bid_twice_is_refused(project, expert):
    bid = place(project, expert)
    services.withdraw_bid(bid=bid, by=expert)
    with pytest.raises(InvalidTransition):
        services.withdraw_bid(bid=bid, by=expert)
    assert _count(project) == 0
    assert bid.events.count() == 2


def test_withdraw_bid_refuses_another_expert(project, expert, other_expert):
    bid = place(project, expert)
    with pytest.raises(NotAllowed):
        services.withdraw_bid(bid=bid, by=other_expert)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.ACTIVE


def test_shortlist_and_hide_are_for_the_client_only(project, expert, other_expert):
    bid = place(project, expert)
    services.set_shortlisted(bid=bid, by=project.owner, shortlisted=True)
    services.set_hidden(bid=bid, by=project.owner, hidden=True)
    with pytest.raises(NotAllowed):
        services.set_shortlisted(bid=bid, by=other_expert, shortlisted=False)
    bid.refresh_from_db()
    assert bid.shortlisted
    assert bid.hidden


def test_add_missing_skills_puts_project_skills_on_profile(project, expert):
    ExpertSkill.objects.create(profile=expert.expert_profile, skill=skill("python"))
    added = services.add_missing_skills(project=project, by=expert)
    assert [s.slug for s in added] == ["logo-design"]
    slugs = set(expert.expert_profile.skills.values_list("skill__slug", flat=True))
    assert slugs == {"python", "logo-design"}


def test_closing_a_project_tells_its_bidders(
    project, expert, other_expert, django_capture_on_commit_callbacks
):
    place(project, expert)
    withdrawn = place(project, other_expert)
    services.withdraw_bid(bid=withdrawn, by=other_expert)
    with django_capture_on_commit_callbacks(execute=True):
        close_project(project=project, by=project.owner)
    assert Notification.objects.filter(user=expert, kind="projects.project_closed").exists()
    assert not Notification.objects.filter(
        user=other_expert, kind="projects.project_closed"
    ).exists()
