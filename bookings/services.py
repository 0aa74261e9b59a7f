"""Every write on service listings and bookings. Views, admin actions and tests call these.

A booking is made when the client accepts an offer (a bid) on a platform-fee project: the bid is
accepted and a Contract made at once (no held funds, so no expert confirmation step and no
milestones), and the booking waits for the platform fee. The fee is paid through escrow's
purchase checkout; its on_paid handler confirms the booking inside the paying transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.images import PORTFOLIO_THUMBNAIL, make_thumbnail, validate_image
from accounts.models import ServiceListing, ServiceListingImage, Skill, SkillCategory, User
from bids.models import Bid, BidEvent, Contract
from bids.services import open_bid_conversation
from bookings.exceptions import InvalidTransition, ListingInvalid, NotAllowed
from bookings.models import Booking, BookingEvent, BookingRequest
from escrow.fees import quote_fee
from escrow.services import PurchaseResult, pay_for_purchase
from marketplace.history import money_params
from marketplace.money import format_money_lazy
from messaging.selectors import conversation_by_key
from messaging.services import lift_contact_guard
from notifications.services import notify
from projects.exceptions import ProjectError, ProjectInvalid
from projects.models import Project, ProjectStatusChange
from projects.services.contracting import mark_awarded, mark_completed, mark_in_progress
from projects.services.lifecycle import create_draft, invite_expert, publish_project

if TYPE_CHECKING:
    from escrow.models import Purchase

FEE_PURPOSE = "booking_fee"
FEE_KIND = "booking"
MAX_LISTING_IMAGES = 5
MAX_DELIVERY_DAYS = 365
MAX_PRICE = 1_000_000_000


# --- Listings ---------------------------------------------------------------------------------


def validate_listing(values: Mapping[str, Any]) -> dict[str, str]:
    """The rules a listing must meet; field name -> message."""
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = "Give the service a title."
    if not str(values.get("description") or "").strip():
        errors["description"] = "Describe what the client gets."
    if not values.get("category"):
        errors["category"] = "Choose a category."
    if not list(values.get("skills") or []):
        errors["skills"] = "Choose at least one skill."
    price = values.get("price_from")
    if not price or price <= 0:
        errors["price_from"] = "Enter a starting price above zero."
    elif price > MAX_PRICE:
        errors["price_from"] = "That price is too high."
    days = values.get("delivery_days")
    if not days or not 0 < days <= MAX_DELIVERY_DAYS:
        errors["delivery_days"] = f"Enter a delivery time from 1 to {MAX_DELIVERY_DAYS} days."
    if not values.get("remote") and not values.get("country"):
        errors["country"] = "Say where you work, or offer the service remotely."
    return errors


def _check_images(images: Sequence[UploadedFile], *, existing: int) -> None:
    if existing + len(images) > MAX_LISTING_IMAGES:
        raise ListingInvalid(
            {
                "images": _("A listing can have at most %(count)s images.")
                % {"count": MAX_LISTING_IMAGES}
            }
        )
    for upload in images:
        try:
            validate_image(upload)
        except ValidationError as exc:
            raise ListingInvalid({"images": " ".join(exc.messages)}) from None


def _add_images(listing: ServiceListing, images: Sequence[UploadedFile], *, start: int) -> None:
    for position, upload in enumerate(images, start=start):
        row = ServiceListingImage(listing=listing, position=position)
        row.image.save(upload.name or "image", upload, save=False)
        thumbnail = make_thumbnail(upload, size=PORTFOLIO_THUMBNAIL)
        row.thumbnail.save(thumbnail.name or "thumbnail.webp", thumbnail, save=False)
        row.save()


def _delete_files(*files: FieldFile) -> None:
    for stored in files:
        stored.delete(save=False)


LISTING_FIELDS = (
    "title",
    "description",
    "category",
    "price_from",
    "delivery_days",
    "remote",
    "country",
    "city",
    "is_active",
)


def _apply(listing: ServiceListing, values: Mapping[str, Any]) -> None:
    for field in LISTING_FIELDS:
        if field in values:
            setattr(listing, field, values[field])
    listing.title = listing.title.strip()
    if not listing.country:
        listing.city = ""


@transaction.atomic
def create_listing(
    *, by: User, values: Mapping[str, Any], images: Sequence[UploadedFile] = ()
) -> ServiceListing:
    """An expert publishes a service at a starting price."""
    if not by.is_authenticated or not by.is_expert:
        raise NotAllowed(_("Only experts can offer services: add an expert profile first."))
    errors = validate_listing(values)
    if errors:
        raise ListingInvalid(errors)
    _check_images(images, existing=0)
    listing = ServiceListing(expert=by)
    _apply(listing, values)
    listing.save()
    listing.skills.set(values["skills"])
    _add_images(listing, images, start=0)
    return listing


@transaction.atomic
def update_listing(
    *,
    listing: ServiceListing,
    by: User,
    values: Mapping[str, Any],
    images: Sequence[UploadedFile] = (),
    remove_images: Sequence[int] = (),
) -> ServiceListing:
    """Change the listing; images in remove_images go (after commit, their files too)."""
    listing = ServiceListing.objects.select_for_update().get(pk=listing.pk)
    if listing.expert_id != by.pk:
        raise NotAllowed(_("Only the expert who offers this service can change it."))
    errors = validate_listing(values)
    if errors:
        raise ListingInvalid(errors)
    removed = list(listing.images.filter(pk__in=list(remove_images)))
    existing = listing.images.count() - len(removed)
    _check_images(images, existing=existing)
    _apply(listing, values)
    listing.save()
    listing.skills.set(values["skills"])
    for row in removed:
        row.delete()
        transaction.on_commit(partial(_delete_files, row.image, row.thumbnail))
    last = listing.images.order_by("-position").values_list("position", flat=True).first()
    _add_images(listing, images, start=0 if last is None else last + 1)
    return listing


# --- Booking requests -------------------------------------------------------------------------


@transaction.atomic
def request_booking(
    *,
    listing: ServiceListing,
    by: User,
    description: str,
    budget: int | None,
    deadline: datetime.date | None = None,
) -> Project:
    """A private platform-fee project for the listing's expert, who is invited to make an offer."""
    if not by.is_authenticated or not by.is_active:
        raise NotAllowed(_("Log in to request a booking."))
    if not listing.is_active:
        raise NotAllowed(_("This service is not offered at the moment."))
    if listing.expert_id == by.pk:
        raise NotAllowed(_("This is your own service."))
    category: SkillCategory = listing.category
    skills: list[Skill] = list(listing.skills.all())
    on_site = not listing.remote
    values = {
        "title": f"Booking: {listing.title}"[:120],
        "description": description,
        "category": category,
        "skills": skills,
        "budget_type": "fixed",
        "budget_min": budget,
        "budget_max": budget,
        "deadline": deadline,
        "location_type": Project.Location.ONSITE if on_site else Project.Location.REMOTE,
        "country": listing.get_country_display() if on_site else "",
        "city": listing.city if on_site else "",
        "payment_model": Project.PaymentModel.PLATFORM_FEE,
    }
    try:
        project = create_draft(by=by, values=values)
    except ProjectInvalid as exc:
        renamed = {"budget_min": "budget", "budget_max": "budget"}
        raise ListingInvalid(
            {renamed.get(field, field): message for field, message in exc.errors.items()}
        ) from None
    # A booking request is only for the invited expert (the paid "make private" upgrade is for
    # public posts turned private; this one is private from the start).
    Project.objects.filter(pk=project.pk).update(visibility=Project.Visibility.PRIVATE)
    project.visibility = Project.Visibility.PRIVATE
    try:
        project = publish_project(project=project, by=by)
        invite_expert(project=project, expert=listing.expert, by=by)
    except ProjectError as exc:
        raise NotAllowed(str(exc)) from None
    BookingRequest.objects.create(project=project, listing=listing)
    return project


# --- Bookings ---------------------------------------------------------------------------------


def _event(
    booking: Booking,
    *,
    by: User | None,
    from_status: str,
    code: str,
    params: dict[str, Any] | None = None,
    note: str = "",
) -> None:
    """One history row: a BookingEvent.Code and its params; `note` only for what a person typed."""
    BookingEvent.objects.create(
        booking=booking,
        by=by,
        from_status=from_status,
        to_status=booking.status,
        code=code,
        params=params or {},
        note=note,
    )


def _move(
    booking: Booking,
    *,
    to: str,
    by: User | None,
    code: str,
    params: dict[str, Any] | None = None,
    note: str = "",
    **fields: Any,
) -> None:
    if not booking.can_move_to(to):
        raise InvalidTransition(
            _("This booking is {lower}: that is not possible now.").format(
                lower=booking.get_status_display().lower()
            )
        )
    from_status = booking.status
    booking.status = to
    for name, value in fields.items():
        setattr(booking, name, value)
    booking.save(update_fields=["status", *fields])
    _event(booking, by=by, from_status=from_status, code=code, params=params, note=note)


def _lock(booking: Booking) -> Booking:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("contract__project", "client", "expert")
        .get(pk=booking.pk)
    )


def _tell(user: User, booking: Booking, *, kind: str, title: Any, body: Any = "") -> None:
    notify(
        user=user,
        kind=f"bookings.{kind}",
        title=title,
        body=body,
        url=booking.get_absolute_url(),
        target=booking,
    )


def _bid_event(bid: Bid, *, by: User, from_status: str, code: str) -> None:
    BidEvent.objects.create(
        bid=bid, by=by, from_status=from_status, to_status=bid.status, code=code
    )


@transaction.atomic
def accept_offer(*, bid: Bid, by: User) -> Booking:
    """The client accepts an offer on a platform-fee project: the booking is made at once."""
    project = Project.objects.select_for_update().get(pk=bid.project_id)
    bid = Bid.objects.select_for_update().select_related("expert").get(pk=bid.pk)
    if project.owner_id != by.pk:
        raise NotAllowed(_("Only the client who asked for offers can accept one."))
    if project.payment_model != Project.PaymentModel.PLATFORM_FEE:
        raise NotAllowed(_("This project is paid through milestones: award the bid instead."))
    if project.status != Project.Status.OPEN or bid.status != Bid.Status.ACTIVE:
        raise InvalidTransition(_("This offer can no longer be accepted."))
    now = timezone.now()
    for status, code in (
        (Bid.Status.AWARDED, BidEvent.Code.OFFER_ACCEPTED),
        (Bid.Status.ACCEPTED, BidEvent.Code.BOOKING_MADE),
    ):
        from_status = bid.status
        bid.status = status
        bid.save(update_fields=["status", "updated_at"])
        _bid_event(bid, by=by, from_status=from_status, code=code)
    mark_awarded(
        project=project, by=by, code=ProjectStatusChange.Code.OFFER_ACCEPTED, params={"bid": bid.pk}
    )
    mark_in_progress(project=project, by=by, code=ProjectStatusChange.Code.BOOKING_MADE)
    contract = Contract.objects.create(
        project=project,
        bid=bid,
        client=project.owner,
        expert=bid.expert,
        amount=bid.amount,
        currency=bid.currency,
        days=bid.days,
        scope=project.description,
        proposal=bid.proposal,
        terms_accepted_at=now,
        created_at=now,
    )
    quote = quote_fee(amount=bid.amount, fee_kind=FEE_KIND, currency=bid.currency)
    request = BookingRequest.objects.filter(project=project).first()
    booking = Booking.objects.create(
        contract=contract,
        listing_id=request.listing_id if request else None,
        client=project.owner,
        expert=bid.expert,
        price=bid.amount,
        fee=quote.fee,
        settled_directly=bid.amount - quote.fee,
        currency=bid.currency,
        created_at=now,
    )
    _event(booking, by=by, from_status="", code=BookingEvent.Code.OFFER_ACCEPTED)
    conversation = conversation_by_key(f"bid:{bid.pk}")
    if conversation is None:
        conversation = open_bid_conversation(bid)
    lift_contact_guard(conversation=conversation)
    for other in (
        Bid.objects.select_for_update()
        .filter(project=project, status=Bid.Status.ACTIVE)
        .exclude(pk=bid.pk)
        .select_related("expert")
    ):
        other.status = Bid.Status.LOST
        other.save(update_fields=["status", "updated_at"])
        _bid_event(
            other, by=by, from_status=Bid.Status.ACTIVE, code=BidEvent.Code.OTHER_OFFER_ACCEPTED
        )
        notify(
            user=other.expert,
            kind="bids.project_awarded",
            title=format_lazy(
                gettext_lazy("“{title}” was booked with another expert"), title=project.title
            ),
            url=other.get_absolute_url(),
            target=other,
        )
    _tell(
        bid.expert,
        booking,
        kind="offer_accepted",
        title=format_lazy(
            gettext_lazy("{name} accepted your offer on “{title}”"),
            name=by.display_name,
            title=project.title,
        ),
        body=gettext_lazy(
            "The job can start once the client has paid the platform fee; we will tell you."
        ),
    )
    return booking


def _get_for_client(booking: Booking, by: User) -> Booking:
    booking = _lock(booking)
    if booking.client_id != by.pk:
        raise NotAllowed(_("Only the client of this booking can do that."))
    return booking


def pay_booking_fee(
    *, booking: Booking, by: User, source: str, return_url: str = "/"
) -> PurchaseResult:
    """The client pays the platform fee from the balance (at once) or by card (a checkout)."""
    with transaction.atomic():
        booking = _get_for_client(booking, by)
        if booking.status != Booking.Status.AWAITING_FEE:
            raise InvalidTransition(_("The platform fee for this booking is already paid."))
        return pay_for_purchase(
            user=by,
            amount=booking.fee,
            purpose=FEE_PURPOSE,
            reference=booking.fee_reference,
            description=f"Platform fee for “{booking.contract.project.title}”",
            source=source,
            return_url=return_url,
        )


def on_fee_paid(purchase: Purchase) -> None:
    """escrow's on_paid handler, inside the paying transaction: the booking is confirmed."""
    booking_id = int(purchase.reference.split(":", 1)[1])
    booking = _lock(Booking(pk=booking_id))
    if booking.status != Booking.Status.AWAITING_FEE:
        return
    _move(
        booking,
        to=Booking.Status.CONFIRMED,
        by=purchase.user,
        code=BookingEvent.Code.FEE_PAID,
        params=money_params(purchase.amount, purchase.currency),
        fee_purchase=purchase,
        fee_paid_at=timezone.now(),
    )
    title = booking.contract.project.title
    _tell(
        booking.expert,
        booking,
        kind="confirmed",
        title=format_lazy(gettext_lazy("The job “{title}” can start"), title=title),
        body=format_lazy(
            gettext_lazy(
                "The client paid the platform fee. The price of {price} less the fee ({rest}) is "
                "settled directly between you."
            ),
            price=format_money_lazy(booking.price, booking.currency),
            rest=format_money_lazy(booking.settled_directly, booking.currency),
        ),
    )
    _tell(
        booking.client,
        booking,
        kind="fee_paid",
        title=format_lazy(gettext_lazy("Booking “{title}” confirmed"), title=title),
    )


@transaction.atomic
def mark_done(*, booking: Booking, by: User, note: str = "") -> Booking:
    """The expert says the job is done; the client is asked to confirm."""
    booking = _lock(booking)
    if booking.expert_id != by.pk:
        raise NotAllowed(_("Only the expert of this booking can mark it done."))
    if booking.status == Booking.Status.AWAITING_FEE:
        raise InvalidTransition(
            _("The client has not paid the platform fee yet: the job cannot start or be done.")
        )
    _move(
        booking,
        to=Booking.Status.DONE,
        by=by,
        code=BookingEvent.Code.MARKED_DONE,
        note=note.strip(),
        done_at=timezone.now(),
    )
    _tell(
        booking.client,
        booking,
        kind="done",
        title=format_lazy(
            gettext_lazy("{name} marked “{title}” as done"),
            name=by.display_name,
            title=booking.contract.project.title,
        ),
        body=gettext_lazy("Check the work, then confirm it or ask for changes."),
    )
    return booking


@transaction.atomic
def request_changes(*, booking: Booking, by: User, note: str) -> Booking:
    booking = _get_for_client(booking, by)
    note = note.strip()
    if not note:
        raise InvalidTransition(_("Say what should change."))
    _move(
        booking,
        to=Booking.Status.CHANGES_REQUESTED,
        by=by,
        code=BookingEvent.Code.CHANGES_REQUESTED,
        note=note,
    )
    _tell(
        booking.expert,
        booking,
        kind="changes_requested",
        title=format_lazy(
            gettext_lazy("Changes requested on “{title}”"), title=booking.contract.project.title
        ),
        body=note,
    )
    return booking


@transaction.atomic
def confirm_completion(*, booking: Booking, by: User) -> Booking:
    """The client confirms the work: the booking and its project are completed."""
    booking = _get_for_client(booking, by)
    _move(
        booking,
        to=Booking.Status.COMPLETED,
        by=by,
        code=BookingEvent.Code.COMPLETED,
        completed_at=timezone.now(),
    )
    project = Project.objects.select_for_update().get(pk=booking.contract.project_id)
    mark_completed(project=project, by=by, code=ProjectStatusChange.Code.BOOKING_COMPLETED)
    _tell(
        booking.expert,
        booking,
        kind="completed",
        title=format_lazy(
            gettext_lazy("{name} confirmed “{title}”"), name=by.display_name, title=project.title
        ),
        body=gettext_lazy(
            "Settle the rest of the price directly with the client, then review each other."
        ),
    )
    contract_id = booking.contract_id
    transaction.on_commit(lambda: _invite_to_review(contract_id))
    return booking


def _invite_to_review(contract_id: int) -> None:
    from reviews.services import invite_to_review

    invite_to_review(contract=Contract.objects.get(pk=contract_id))
