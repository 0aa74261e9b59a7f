import pytest
from django.urls import reverse

from tests.notifications.factories import EmailPreferenceFactory, NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_admin_lists_notifications(staff_client):
    NotificationFactory(title="Visible to staff")
    response = staff_client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 200
    assert "Visible to staff" in response.content.decode()


def test_admin_opens_a_notification(staff_client):
    notification = NotificationFactory()
    url = reverse("admin:notifications_notification_change", args=[notification.pk])
    assert staff_client.get(url).status_code == 200


def test_admin_lists_email_preferences(staff_client):
    EmailPreferenceFactory(kind="escrow.released")
    response = staff_client.get(reverse("admin:notifications_emailpreference_changelist"))
    assert response.status_code == 200
    assert "escrow.released" in response.content.decode()
