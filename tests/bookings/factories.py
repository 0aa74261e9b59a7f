"""Factories for listings and helpers that build bookings through the real services."""

import factory

from accounts.models import ServiceListing, User
from bids.models import Bid
from bids.services import place_bid
from bookings import services
from bookings.models import Booking
from escrow.services import credit_user, fulfil_checkout
from escrow.services.ledger import wallet_account
from projects.models import Project
from tests.factories import ClientFactory, ExpertFactory, SkillCategoryFactory, SkillFactory


class ServiceListingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceListing
        skip_postgeneration_save = True

    expert = factory.SubFactory(ExpertFactory)
    title = factory.Sequence(lambda n: f"Kitchen tiling job {n}")
    description = factory.Faker("paragraph")
    category = factory.SubFactory(SkillCategoryFactory)
    price_from = 20_000
    currency = "EUR"
    delivery_days = 5
    remote = True

    @factory.post_generation
    def skills(self, create: bool, extracted: list | None, **kwargs: object) -> None:
        if not create:
            return
        self.skills.set(extracted or [SkillFactory(category=self.category)])


def booking_request(
    listing: ServiceListing | None = None, client: User | None = None, budget: int = 25_000
) -> Project:
    listing = listing or ServiceListingFactory()
    return services.request_booking(
        listing=listing,
        by=client or ClientFactory(),
        description="Tile the kitchen wall, about 6 square metres.",
        budget=budget,
    )


def offer(project: Project, expert: User | None = None, amount: int = 12_345) -> Bid:
    if expert is None:
        expert = project.booking_request.listing.expert
    return place_bid(
        project=project, by=expert, amount=amount, days=3, proposal="I can do it this week."
    )


def booking_awaiting_fee(amount: int = 12_345) -> Booking:
    project = booking_request()
    bid = offer(project, amount=amount)
    return services.accept_offer(bid=bid, by=project.owner)


def paid_booking(amount: int = 12_345) -> Booking:
    booking = booking_awaiting_fee(amount)
    result = services.pay_booking_fee(booking=booking, by=booking.client, source="card")
    checkout = result.purchase.checkouts.get()
    fulfil_checkout(checkout_id=checkout.pk, charge_ref=f"test-{booking.pk}")
    booking.refresh_from_db()
    return booking


def fund(user: User, amount: int) -> None:
    credit_user(user=user, amount=amount, kind="credit", key=f"test:{user.pk}", memo="Test credit")


def balance_of(user: User) -> int:
    return wallet_account(user).balance
