"""The notification pages in Chromium: htmx under the CSP, the bell, mark all read, open."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from notifications.models import Notification
from tests.notifications.factories import NotificationFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_mark_all_read_updates_the_list_and_the_bell_without_a_reload(live_server, page: Page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    user = UserFactory()
    NotificationFactory.create_batch(2, user=user)
    _log_in(page, live_server, user)
    page.goto(live_server.url + "/notifications/")
    expect(page.locator("#bell .bell__count")).to_have_text("2")
    expect(page.locator(".notification--unread")).to_have_count(2)
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".notification--unread")).to_have_count(0)
    expect(page.locator("#bell .bell__count")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert errors == []


def test_clicking_a_notification_marks_it_read_and_opens_its_page(live_server, page: Page):
    user = UserFactory()
    notification = NotificationFactory(user=user, title="Your bid was awarded", url="/dashboard/")
    _log_in(page, live_server, user)
    page.goto(live_server.url + "/notifications/")
    page.get_by_role("button", name="Your bid was awarded").click()
    expect(page).to_have_url(live_server.url + "/dashboard/")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_account_menu_closes_on_escape(live_server, page: Page):
    user = UserFactory(name="Menu Tester")
    _log_in(page, live_server, user)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/notifications/")
    menu = page.locator("details.account-menu")
    menu.locator("summary").click()
    expect(menu).to_have_attribute("open", "")
    page.keyboard.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
