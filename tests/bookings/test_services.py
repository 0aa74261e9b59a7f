import pytest
from django.utils import translation

from accounts.models import ServiceListing
from bids.models import Bid, Contract
from bookings import services
from bookings.exceptions import InvalidTransition, ListingInvalid, NotAllowed
from bookings.models import Booking, BookingEvent, BookingRequest
from escrow.models import Account, HeldFunds, LedgerTransaction, Purchase
from escrow.services.ledger import platform_account
from notifications.models import Notification
from projects.models import Invitation, Project
from projects.services.lifecycle import invite_expert
from tests.bookings.factories import (
    ServiceListingFactory,
    balance_of,
    booking_awaiting_fee,
    booking_request,
    fund,
    offer,
    paid_booking,
)
from tests.factories import ClientFactory, ExpertFactory, SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


def _values(**overrides):
    category = SkillCategoryFactory()
    values = {
        "title": "Bathroom tiling",
        "description": "Walls and floor, materials not included.",
        "category": category,
        "skills": [SkillFactory(category=category)],
        "price_from": 45_000,
        "delivery_days": 4,
        "remote": False,
        "country": "DE",
        "city": "Berlin",
        "is_active": True,
    }
    values.update(overrides)
    return values


def test_create_listing_publishes_the_service():
    expert = ExpertFactory()
    listing = services.create_listing(by=expert, values=_values())
    assert listing.expert == expert
    assert listing.price_from == 45_000
    assert listing.area == "Berlin, Germany"
    assert listing.skills.count() == 1


def test_a_listings_area_reads_in_the_readers_language():
    listing = services.create_listing(by=ExpertFactory(), values=_values())
    with translation.override("de"):
        assert listing.area == "Berlin, Deutschland"
        listing.remote = True
        assert listing.area == "Aus der Ferne oder in Berlin, Deutschland"
        listing.city, listing.country = "", ""
        assert listing.area == "Aus der Ferne"


@pytest.mark.parametrize("price", [None, 0, -100])
def test_create_listing_refuses_a_listing_without_price(price):
    with pytest.raises(ListingInvalid) as caught:
        services.create_listing(by=ExpertFactory(), values=_values(price_from=price))
    assert "price_from" in caught.value.errors
    assert not ServiceListing.objects.exists()


def test_create_listing_refuses_a_client():
    with pytest.raises(NotAllowed):
        services.create_listing(by=ClientFactory(), values=_values())
    assert not ServiceListing.objects.exists()


def test_create_listing_needs_an_area_when_not_remote():
    with pytest.raises(ListingInvalid) as caught:
        services.create_listing(by=ExpertFactory(), values=_values(country="", remote=False))
    assert "country" in caught.value.errors
    assert not ServiceListing.objects.exists()


def test_update_listing_refuses_another_expert():
    listing = ServiceListingFactory(title="Original")
    with pytest.raises(NotAllowed):
        services.update_listing(listing=listing, by=ExpertFactory(), values=_values())
    listing.refresh_from_db()
    assert listing.title == "Original"


def test_request_booking_makes_a_private_platform_fee_project_and_invites_the_expert():
    listing = ServiceListingFactory()
    client = ClientFactory()
    project = booking_request(listing, client)
    assert project.owner == client
    assert project.status == Project.Status.OPEN
    assert project.visibility == Project.Visibility.PRIVATE
    assert project.payment_model == Project.PaymentModel.PLATFORM_FEE
    assert project.budget_min == 25_000
    assert Invitation.objects.filter(project=project, expert=listing.expert).exists()
    assert BookingRequest.objects.get(project=project).listing == listing


def test_request_booking_refuses_own_listing():
    listing = ServiceListingFactory()
    with pytest.raises(NotAllowed):
        booking_request(listing, listing.expert)
    assert not Project.objects.exists()


def test_request_booking_refuses_a_hidden_listing():
    listing = ServiceListingFactory(is_active=False)
    with pytest.raises(NotAllowed):
        booking_request(listing)
    assert not Project.objects.exists()


def test_accept_offer_makes_the_booking_with_the_fee_from_settings(settings):
    settings.PLATFORM_FEE_BY_KIND = {"booking": {"bps": 500, "min": 100}}
    project = booking_request()
    bid = offer(project, amount=12_345)
    booking = services.accept_offer(bid=bid, by=project.owner)
    assert booking.status == Booking.Status.AWAITING_FEE
    assert booking.price == 12_345
    assert booking.fee == 617  # 5 % of 123.45, rounded half up
    assert booking.settled_directly == 12_345 - 617
    assert booking.listing == project.booking_request.listing
    bid.refresh_from_db()
    project.refresh_from_db()
    assert bid.status == Bid.Status.ACCEPTED
    assert project.status == Project.Status.IN_PROGRESS
    assert Contract.objects.get(project=project).booking == booking
    assert Notification.objects.filter(user=bid.expert, kind="bookings.offer_accepted").exists()


def test_accept_offer_marks_other_offers_lost():
    project = booking_request()
    chosen = offer(project)
    other_expert = ExpertFactory()
    invite_expert(project=project, expert=other_expert, by=project.owner)
    other = offer(project, expert=other_expert, amount=9_000)
    services.accept_offer(bid=chosen, by=project.owner)
    other.refresh_from_db()
    assert other.status == Bid.Status.LOST


def test_accept_offer_refuses_someone_else():
    project = booking_request()
    bid = offer(project)
    with pytest.raises(NotAllowed):
        services.accept_offer(bid=bid, by=ClientFactory())
    bid.refresh_from_db()
    assert bid.status == Bid.Status.ACTIVE
    assert not Booking.objects.exists()


def test_accept_offer_refuses_a_milestone_project():
    project = booking_request()
    Project.objects.filter(pk=project.pk).update(payment_model=Project.PaymentModel.MILESTONES)
    bid = offer(project)
    with pytest.raises(NotAllowed):
        services.accept_offer(bid=bid, by=project.owner)
    assert not Booking.objects.exists()
    assert not Contract.objects.exists()


def test_accept_offer_twice_is_refused():
    booking = booking_awaiting_fee()
    with pytest.raises(InvalidTransition):
        services.accept_offer(bid=booking.contract.bid, by=booking.client)
    assert Booking.objects.count() == 1


def test_paying_the_fee_by_card_moves_only_the_fee(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = paid_booking(12_345)
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.fee == 1_235
    assert booking.fee_paid_at is not None
    assert booking.fee_purchase.status == Purchase.Status.PAID
    assert balance_of(booking.client) == 0
    assert balance_of(booking.expert) == 0
    assert platform_account(Account.Kind.PLATFORM_REVENUE, "EUR").balance == 1_235
    assert platform_account(Account.Kind.CARD_CLEARING, "EUR").balance == -1_235
    assert not HeldFunds.objects.exists()
    assert sorted(LedgerTransaction.objects.values_list("kind", flat=True)) == sorted(
        [LedgerTransaction.Kind.CARD_PAYMENT, LedgerTransaction.Kind.PURCHASE]
    )
    assert Notification.objects.filter(user=booking.expert, kind="bookings.confirmed").exists()


def test_paying_the_fee_from_the_balance_confirms_at_once():
    booking = booking_awaiting_fee(12_345)
    fund(booking.client, 5_000)
    result = services.pay_booking_fee(booking=booking, by=booking.client, source="balance")
    assert result.paid
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert balance_of(booking.client) == 5_000 - 1_235
    assert balance_of(booking.expert) == 0


def test_paying_the_fee_refuses_the_expert():
    booking = booking_awaiting_fee()
    with pytest.raises(NotAllowed):
        services.pay_booking_fee(booking=booking, by=booking.expert, source="card")
    assert not Purchase.objects.exists()


def test_paying_the_fee_twice_is_refused():
    booking = paid_booking()
    with pytest.raises(InvalidTransition):
        services.pay_booking_fee(booking=booking, by=booking.client, source="card")
    assert Purchase.objects.count() == 1


def test_a_booking_without_paying_the_fee_cannot_be_marked_done():
    booking = booking_awaiting_fee()
    with pytest.raises(InvalidTransition, match="platform fee"):
        services.mark_done(booking=booking, by=booking.expert)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.AWAITING_FEE
    assert booking.done_at is None


def test_a_booking_without_paying_the_fee_cannot_be_confirmed():
    booking = booking_awaiting_fee()
    with pytest.raises(InvalidTransition):
        services.confirm_completion(booking=booking, by=booking.client)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.AWAITING_FEE


def test_mark_done_refuses_the_client():
    booking = paid_booking()
    with pytest.raises(NotAllowed):
        services.mark_done(booking=booking, by=booking.client)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_full_cycle_with_changes_then_completion(django_capture_on_commit_callbacks):
    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    services.request_changes(booking=booking, by=booking.client, note="Grout is uneven.")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHANGES_REQUESTED
    services.mark_done(booking=booking, by=booking.expert)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_completion(booking=booking, by=booking.client)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED
    assert booking.completed_at is not None
    assert booking.contract.project.status == Project.Status.COMPLETED
    assert list(booking.events.values_list("to_status", flat=True)) == [
        "awaiting_fee",
        "confirmed",
        "done",
        "changes_requested",
        "done",
        "completed",
    ]


def test_request_changes_needs_a_note():
    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    with pytest.raises(InvalidTransition):
        services.request_changes(booking=booking, by=booking.client, note="  ")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE


def test_confirm_completion_refuses_the_expert():
    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    with pytest.raises(NotAllowed):
        services.confirm_completion(booking=booking, by=booking.expert)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE


def test_completing_twice_is_refused():
    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    services.confirm_completion(booking=booking, by=booking.client)
    events = BookingEvent.objects.count()
    with pytest.raises(InvalidTransition):
        services.confirm_completion(booking=booking, by=booking.client)
    assert BookingEvent.objects.count() == events


def test_fee_handler_runs_once_for_a_paid_booking():
    booking = paid_booking()
    purchase = booking.fee_purchase
    services.on_fee_paid(purchase)
    assert booking.events.filter(to_status=Booking.Status.CONFIRMED).count() == 1


def test_a_free_job_request_with_platform_fee_takes_offers_and_books():
    from projects.services.lifecycle import create_draft, publish_project

    owner = ClientFactory()
    category = SkillCategoryFactory()
    project = create_draft(
        by=owner,
        values={
            "title": "Paint the hallway",
            "description": "About 20 m² of wall.",
            "category": category,
            "skills": [SkillFactory(category=category)],
            "budget_type": "fixed",
            "budget_min": 30_000,
            "budget_max": 30_000,
            "payment_model": Project.PaymentModel.PLATFORM_FEE,
        },
    )
    project = publish_project(project=project, by=owner)
    bid = offer(project, expert=ExpertFactory(), amount=28_000)
    booking = services.accept_offer(bid=bid, by=owner)
    assert booking.listing is None
    assert booking.fee == 2_800
    assert booking.settled_directly == 25_200


def test_is_booking_completed_tells_reviews_when_the_contract_may_be_reviewed():
    from bookings.selectors import is_booking_completed

    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    assert not is_booking_completed(booking.contract)
    services.confirm_completion(booking=booking, by=booking.client)
    assert is_booking_completed(booking.contract)


def test_a_confirmed_booking_opens_two_way_reviews(django_capture_on_commit_callbacks):
    from reviews.models import ReviewPeriod
    from reviews.services import is_eligible

    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    assert not is_eligible(booking.contract)
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_completion(booking=booking, by=booking.client)
    assert is_eligible(booking.contract)
    assert ReviewPeriod.objects.filter(contract=booking.contract).count() == 1
