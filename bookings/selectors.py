"""Reads the bookings pages share: the services catalogue, an expert's listings, bookings."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import ServiceListing, ServiceListingImage, User
from bids.models import Bid, Contract
from bookings.models import Booking, BookingRequest
from projects.models import Project


def _with_cards(listings: QuerySet[ServiceListing]) -> QuerySet[ServiceListing]:
    return listings.select_related("expert__expert_profile", "category").prefetch_related(
        Prefetch("images", queryset=ServiceListingImage.objects.order_by("position", "id"))
    )


@dataclass(frozen=True, slots=True)
class CataloguePage:
    listings: list[ServiceListing]
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_number(self) -> int:
        return self.number - 1

    @property
    def next_number(self) -> int:
        return self.number + 1


def catalogue(*, query: str = "", category: str = "", page: int = 1) -> CataloguePage:
    """Active listings, newest first, searched in title, description and skills; paginated by
    fetching one row past the page instead of counting every match."""
    size = settings.SERVICES_PAGE_SIZE
    page = max(page, 1)
    listings = ServiceListing.objects.filter(is_active=True, expert__is_active=True)
    if category:
        listings = listings.filter(category__slug=category)
    for word in query.split()[:8]:
        listings = listings.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(
                pk__in=ServiceListing.skills.through.objects.filter(
                    skill__name__icontains=word
                ).values("servicelisting_id")
            )
        )
    start = (page - 1) * size
    rows = list(_with_cards(listings.order_by("-created_at", "-id"))[start : start + size + 1])
    return CataloguePage(
        listings=rows[:size], number=page, has_previous=page > 1, has_next=len(rows) > size
    )


def listings_of(expert: User, *, include_inactive: bool = False) -> list[ServiceListing]:
    listings = ServiceListing.objects.filter(expert=expert)
    if not include_inactive:
        listings = listings.filter(is_active=True)
    return list(_with_cards(listings.order_by("-created_at", "-id")))


def get_listing(*, pk: int, viewer: User | None = None) -> ServiceListing:
    """A listing anyone may see while active; its expert sees it always."""
    listing = _with_cards(ServiceListing.objects.filter(pk=pk)).prefetch_related("skills").first()
    if listing is None:
        raise Http404("No such service.")
    if not listing.is_active and (viewer is None or viewer.pk != listing.expert_id):
        raise Http404("No such service.")
    return listing


def get_own_listing(*, pk: int, user: User) -> ServiceListing:
    listing = ServiceListing.objects.filter(pk=pk, expert=user).first()
    if listing is None:
        raise Http404("No such service.")
    return listing


def get_booking_for(*, user: User, pk: int) -> Booking:
    """The booking if the user is its client, its expert or staff; else 404."""
    booking = (
        Booking.objects.select_related(
            "contract__project", "client", "expert", "listing", "fee_purchase"
        )
        .filter(pk=pk)
        .first()
    )
    if booking is None or not (user.is_staff or user.pk in {booking.client_id, booking.expert_id}):
        raise Http404("No such booking.")
    return booking


def bookings_for(user: User) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(Q(client=user) | Q(expert=user))
        .select_related("contract__project", "client", "expert")
        .order_by("-created_at", "-id")
    )


def open_requests_of(user: User) -> QuerySet[Project]:
    """The client's platform-fee projects still waiting for an offer to accept."""
    return (
        Project.objects.filter(
            owner=user,
            payment_model=Project.PaymentModel.PLATFORM_FEE,
            status__in=[Project.Status.OPEN, Project.Status.PENDING],
        )
        .select_related("booking_request__listing")
        .order_by("-created_at", "-id")
    )


def get_request_for(*, user: User, pk: int) -> Project:
    """A platform-fee project its owner (or staff) reviews offers on."""
    project = (
        Project.objects.filter(pk=pk, payment_model=Project.PaymentModel.PLATFORM_FEE)
        .select_related("category", "owner")
        .first()
    )
    if project is None or not (user.is_staff or project.owner_id == user.pk):
        raise Http404("No such booking request.")
    return project


def offers_on(project: Project) -> list[Bid]:
    return list(
        Bid.objects.filter(project=project, status__in=Bid.LIVE_STATUSES)
        .select_related("expert")
        .order_by("amount", "created_at", "id")
    )


def booking_of_project(project: Project) -> Booking | None:
    return Booking.objects.filter(contract__project=project).first()


def listing_of_request(project: Project) -> BookingRequest | None:
    return BookingRequest.objects.filter(project=project).select_related("listing").first()


def is_booking_completed(contract: Contract) -> bool:
    """For reviews: a booking's contract may be reviewed once the client confirmed the work."""
    return Booking.objects.filter(contract=contract, status=Booking.Status.COMPLETED).exists()
