import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import ServiceListing
from bookings import services
from bookings.models import Booking
from escrow.models import Checkout
from tests.bookings.factories import (
    ServiceListingFactory,
    booking_awaiting_fee,
    booking_request,
    offer,
    paid_booking,
)
from tests.factories import ExpertFactory, ExpertProfileFactory, SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "#0f7567").save(buffer, format="PNG")
    return SimpleUploadedFile("tiles.png", buffer.getvalue(), content_type="image/png")


def test_catalogue_lists_active_listings_within_a_query_bound(
    client, django_assert_max_num_queries
):
    for _ in range(5):
        ServiceListingFactory()
    ServiceListingFactory(title="Secret hidden thing", is_active=False)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("bookings:catalogue"))
    assert response.status_code == 200
    assert response.content.count(b'class="card listing-card"') == 5
    assert b"Secret hidden thing" not in response.content


def test_catalogue_searches_titles_and_filters_by_category(client):
    tiling = ServiceListingFactory(title="Bathroom tiling")
    ServiceListingFactory(title="Logo design")
    response = client.get(reverse("bookings:catalogue"), {"q": "tiling"})
    assert b"Bathroom tiling" in response.content
    assert b"Logo design" not in response.content
    response = client.get(reverse("bookings:catalogue"), {"category": tiling.category.slug})
    assert b"Bathroom tiling" in response.content
    assert b"Logo design" not in response.content


def test_catalogue_htmx_request_gets_only_the_results(client):
    ServiceListingFactory(title="Bathroom tiling")
    response = client.get(reverse("bookings:catalogue"), {"q": "bath"}, HTTP_HX_REQUEST="true")
    assert response.content.lstrip().startswith(b'<section id="results"')
    assert b"Bathroom tiling" in response.content
    assert b"<html" not in response.content


def test_catalogue_pages_without_counting(client, settings, django_assert_max_num_queries):
    settings.SERVICES_PAGE_SIZE = 2
    for _ in range(3):
        ServiceListingFactory()
    with django_assert_max_num_queries(6) as captured:
        first = client.get(reverse("bookings:catalogue"))
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)
    assert b'rel="next"' in first.content
    second = client.get(reverse("bookings:catalogue"), {"page": "2"})
    assert second.content.count(b'class="card listing-card"') == 1
    assert b'rel="next"' not in second.content


def test_expert_creates_a_listing_with_an_image(client):
    expert = ExpertFactory()
    client.force_login(expert)
    category = SkillCategoryFactory()
    skill = SkillFactory(category=category)
    response = client.post(
        reverse("bookings:listing_create"),
        {
            "title": "Kitchen tiling",
            "description": "Wall tiles, up to 10 m².",
            "category": category.pk,
            "skills": [skill.pk],
            "price_from": "250.00",
            "delivery_days": "3",
            "remote": "on",
            "country": "",
            "city": "",
            "is_active": "on",
            "images": [_png()],
        },
    )
    listing = ServiceListing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == listing.get_absolute_url()
    assert listing.price_from == 25_000
    assert listing.images.get().thumbnail.name.endswith(".webp")


def test_listing_form_without_price_shows_the_error_and_saves_nothing(client):
    client.force_login(ExpertFactory())
    category = SkillCategoryFactory()
    response = client.post(
        reverse("bookings:listing_create"),
        {
            "title": "Kitchen tiling",
            "description": "Wall tiles.",
            "category": category.pk,
            "skills": [SkillFactory(category=category).pk],
            "price_from": "",
            "delivery_days": "3",
            "remote": "on",
        },
    )
    assert response.status_code == 200
    assert b"Enter a starting price." in response.content
    assert b"Kitchen tiling" in response.content
    assert not ServiceListing.objects.exists()


def test_another_expert_cannot_edit_a_listing(client):
    listing = ServiceListingFactory()
    client.force_login(ExpertFactory())
    response = client.get(reverse("bookings:listing_edit", args=[listing.pk]))
    assert response.status_code == 404


def test_listing_detail_offers_a_booking_request(client, django_assert_max_num_queries):
    listing = ServiceListingFactory(title="Bathroom tiling")
    with django_assert_max_num_queries(6):
        response = client.get(listing.get_absolute_url())
    assert b"Request a booking" in response.content
    assert reverse("bookings:request", args=[listing.pk]).encode() in response.content


def test_expert_profile_shows_the_listings(client):
    profile = ExpertProfileFactory()
    ServiceListingFactory(expert=profile.user, title="Bathroom tiling")
    response = client.get(reverse("accounts:expert_detail", args=[profile.pk]))
    assert response.status_code == 200
    assert b"Bathroom tiling" in response.content


def test_request_booking_page_creates_the_request(client):
    listing = ServiceListingFactory()
    owner = booking_request().owner  # an existing client
    client.force_login(owner)
    response = client.post(
        reverse("bookings:request", args=[listing.pk]),
        {"description": "Two walls, white tiles.", "budget": "300", "deadline": ""},
    )
    project = owner.projects.latest("created_at")
    assert response.status_code == 302
    assert response["Location"] == reverse("bookings:request_detail", args=[project.pk])


def test_request_detail_shows_offers_with_their_fee(client, django_assert_max_num_queries):
    project = booking_request()
    offer(project, amount=12_345)
    client.force_login(project.owner)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("bookings:request_detail", args=[project.pk]))
    assert b"Accept offer" in response.content
    assert "€12.35".encode() in response.content


def test_request_detail_is_hidden_from_others(client):
    project = booking_request()
    client.force_login(ExpertFactory())
    assert client.get(reverse("bookings:request_detail", args=[project.pk])).status_code == 404


def test_accepting_an_offer_leads_to_the_fee_screen(client):
    project = booking_request()
    bid = offer(project, amount=12_345)
    client.force_login(project.owner)
    response = client.post(reverse("bookings:accept_offer", args=[bid.pk]))
    booking = Booking.objects.get()
    assert response["Location"] == reverse("bookings:pay", args=[booking.pk])
    page = client.get(response["Location"])
    assert b"Pay the platform fee" in page.content
    assert "€12.35".encode() in page.content
    assert "€111.10".encode() in page.content


def test_paying_by_card_goes_to_the_checkout(client):
    booking = booking_awaiting_fee()
    client.force_login(booking.client)
    response = client.post(reverse("bookings:pay", args=[booking.pk]), {"source": "card"})
    checkout = Checkout.objects.get()
    assert response.status_code == 302
    assert response["Location"] == checkout.redirect_url
    assert checkout.amount == booking.fee


def test_expert_cannot_pay_or_mark_an_unpaid_booking_done(client):
    booking = booking_awaiting_fee()
    client.force_login(booking.expert)
    response = client.post(reverse("bookings:done", args=[booking.pk]), follow=True)
    assert b"has not paid the platform fee" in response.content
    booking.refresh_from_db()
    assert booking.status == Booking.Status.AWAITING_FEE


def test_booking_page_shows_the_next_action_within_a_query_bound(
    client, django_assert_max_num_queries
):
    booking = paid_booking()
    client.force_login(booking.expert)
    with django_assert_max_num_queries(8):
        response = client.get(booking.get_absolute_url())
    assert b"Mark job done" in response.content
    client.post(reverse("bookings:done", args=[booking.pk]))
    client.force_login(booking.client)
    response = client.get(booking.get_absolute_url())
    assert b"Confirm the job is done" in response.content
    client.post(reverse("bookings:confirm", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.COMPLETED


def test_booking_page_is_hidden_from_strangers(client):
    booking = booking_awaiting_fee()
    client.force_login(ExpertFactory())
    assert client.get(booking.get_absolute_url()).status_code == 404


def test_asking_for_changes_from_the_page(client):
    booking = paid_booking()
    services.mark_done(booking=booking, by=booking.expert)
    client.force_login(booking.client)
    client.post(reverse("bookings:changes", args=[booking.pk]), {"note": "Fix the corner."})
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHANGES_REQUESTED


def test_expert_removes_an_image_and_adds_another(client):
    listing = services.create_listing(
        by=ExpertFactory(),
        values={
            "title": "Kitchen tiling",
            "description": "Wall tiles.",
            "category": (category := SkillCategoryFactory()),
            "skills": [SkillFactory(category=category)],
            "price_from": 25_000,
            "delivery_days": 3,
            "remote": True,
            "country": "",
            "city": "",
            "is_active": True,
        },
        images=[_png()],
    )
    old = listing.images.get()
    client.force_login(listing.expert)
    page = client.get(reverse("bookings:listing_edit", args=[listing.pk]))
    assert old.thumbnail.url.encode() in page.content
    response = client.post(
        reverse("bookings:listing_edit", args=[listing.pk]),
        {
            "title": "Kitchen tiling",
            "description": "Wall tiles.",
            "category": listing.category_id,
            "skills": list(listing.skills.values_list("pk", flat=True)),
            "price_from": "260.00",
            "delivery_days": "3",
            "remote": "on",
            "is_active": "on",
            "remove_images": [old.pk],
            "images": [_png()],
        },
    )
    assert response.status_code == 302
    listing.refresh_from_db()
    assert listing.price_from == 26_000
    assert list(listing.images.values_list("pk", flat=True)) != [old.pk]
    assert listing.images.count() == 1
