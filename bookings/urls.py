from django.urls import path

from bookings import views

app_name = "bookings"

urlpatterns = [
    path("services/", views.catalogue, name="catalogue"),
    path("services/mine/", views.my_listings, name="my_listings"),
    path("services/new/", views.create_listing, name="listing_create"),
    path("services/<int:pk>/", views.listing_detail, name="listing"),
    path("services/<int:pk>/edit/", views.edit_listing, name="listing_edit"),
    path("services/<int:pk>/book/", views.request_booking, name="request"),
    path("bookings/", views.my_bookings, name="mine"),
    path("bookings/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("bookings/offers/<int:pk>/accept/", views.accept_offer, name="accept_offer"),
    path("bookings/<int:pk>/", views.booking_detail, name="detail"),
    path("bookings/<int:pk>/pay/", views.pay_fee, name="pay"),
    path("bookings/<int:pk>/done/", views.mark_done, name="done"),
    path("bookings/<int:pk>/changes/", views.request_changes, name="changes"),
    path("bookings/<int:pk>/confirm/", views.confirm, name="confirm"),
]
