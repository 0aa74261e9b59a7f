"""The notification pages: list, bell fragment, open, mark all read, email preferences."""

import pytest
from django.urls import reverse

from notifications.models import EmailPreference, Notification
from tests.notifications.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    person = UserFactory()
    client.force_login(person)
    return person


def test_list_requires_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_list_shows_only_my_notifications_with_unread_highlighted(client, user):
    NotificationFactory(user=user, title="Unread one")
    NotificationFactory(user=user, title="Read one", read_at="2026-01-01T00:00:00Z")
    NotificationFactory(title="Someone else's")
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unread one" in html
    assert "Read one" in html
    assert "Someone else" not in html
    assert html.count("notification--unread") == 1
    assert "Mark all as read" in html


def test_list_empty_state(client, user):
    response = client.get(reverse("notifications:list"))
    assert "You are all caught up" in response.content.decode()


def test_list_query_count_stays_bounded_with_fifty_notifications(
    client, user, django_assert_max_num_queries
):
    NotificationFactory.create_batch(50, user=user)
    # session, user, count, the page's rows, the bell's unread count
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="notification ') == 20
    with django_assert_max_num_queries(5):
        page_3 = client.get(reverse("notifications:list"), {"page": 3})
    assert page_3.content.decode().count('class="notification ') == 10


def test_list_htmx_request_gets_the_fragment_only(client, user):
    NotificationFactory(user=user, title="In the fragment")
    response = client.get(reverse("notifications:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "In the fragment" in html
    assert html.lstrip().startswith('<section id="notifications"')
    assert "<html" not in html


def test_bell_fragment_shows_the_unread_count(client, user, django_assert_max_num_queries):
    NotificationFactory.create_batch(3, user=user)
    NotificationFactory(user=user, read_at="2026-01-01T00:00:00Z")
    NotificationFactory()  # someone else's
    with django_assert_max_num_queries(3):
        response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<a id="bell"')
    assert '<span class="bell__count" aria-hidden="true">3</span>' in html
    assert 'hx-trigger="every 30s' in html
    assert "<html" not in html


def test_bell_caps_the_count_at_99_plus(client, user):
    NotificationFactory.create_batch(101, user=user)
    html = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert "99+" in html


def test_bell_with_nothing_unread_shows_no_count(client, user):
    html = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true").content.decode()
    assert "bell__count" not in html


def test_header_bell_counts_unread_on_every_page(client, user):
    NotificationFactory.create_batch(2, user=user)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<span class="bell__count" aria-hidden="true">2</span>' in html
    assert 'hx-get="/notifications/bell/"' in html


def test_open_marks_read_and_goes_to_the_link(client, user):
    notification = NotificationFactory(user=user, url="/dashboard/")
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_refuses_to_redirect_off_site(client, user):
    notification = NotificationFactory(user=user, url="https://evil.example/phish")
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_open_another_users_notification_is_404_and_leaves_it_unread(client, user):
    theirs = NotificationFactory()
    response = client.post(reverse("notifications:open", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_needs_post(client, user):
    notification = NotificationFactory(user=user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_redirects_and_leaves_others_untouched(client, user):
    NotificationFactory.create_batch(2, user=user)
    theirs = NotificationFactory()
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert "All notifications are marked as read." in response.content.decode()
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_over_htmx_returns_the_list_and_refreshes_the_bell(client, user):
    NotificationFactory.create_batch(2, user=user)
    response = client.post(reverse("notifications:read_all"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Trigger"] == '{"notifications-changed": {}}'
    assert html.lstrip().startswith('<section id="notifications"')
    assert "notification--unread" not in html
    assert "Mark all as read" not in html
    assert "All read" in html


def test_preferences_page_lists_kinds_with_their_switch(
    client, user, django_assert_max_num_queries
):
    EmailPreference.objects.create(user=user, kind="bids.received", email_enabled=False)
    NotificationFactory.create_batch(30, user=user)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("notifications:preferences"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "A new bid on your project" in html
    assert "Payments and balance" in html
    form = response.context["form"]
    assert form["bids.received"].initial is False
    assert form["escrow.released"].initial is True


def test_preferences_post_switches_email_off_for_unticked_kinds(client, user):
    page = client.get(reverse("notifications:preferences"))
    ticked = {name: "on" for name in page.context["form"].fields if name != "bids.received"}
    response = client.post(reverse("notifications:preferences"), ticked, follow=True)
    assert "Your email preferences are saved." in response.content.decode()
    assert list(EmailPreference.objects.filter(user=user).values_list("kind", "email_enabled")) == [
        ("bids.received", False)
    ]


def test_bell_tells_htmx_to_stop_polling_once_logged_out(client):
    response = client.get(reverse("notifications:bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 286
    assert response.content == b""


def test_preferences_page_lists_staff_alerts_for_staff_only(client, user):
    staff = UserFactory(is_staff=True)
    assert (
        "escrow.payout_stuck"
        not in client.get(reverse("notifications:preferences")).context["form"].fields
    )
    client.force_login(staff)
    form = client.get(reverse("notifications:preferences")).context["form"]
    assert "escrow.payout_stuck" in form.fields


def test_unread_tab_lists_only_unread_notifications(client, user):
    NotificationFactory(user=user, title="Still unread")
    NotificationFactory(user=user, title="Already read", read_at="2026-01-01T00:00:00Z")
    html = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "Still unread" in html
    assert "Already read" not in html
    assert 'name="show" value="unread"' in html


def test_mark_all_read_from_the_unread_tab_goes_back_to_it(client, user):
    NotificationFactory(user=user)
    response = client.post(reverse("notifications:read_all"), {"show": "unread"})
    assert response["Location"] == reverse("notifications:list") + "?show=unread"
    html = client.get(response["Location"]).content.decode()
    assert "Nothing unread" in html
