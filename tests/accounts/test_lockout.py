"""Admin lock-out: failures lock an account from one address, never a whole address.

Behind the reverse proxy every visitor shares the proxy's address, so a lock keyed on the
address alone would let anyone lock every staff member out of the admin.
"""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from marketplace.http import client_ip
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.66"


@pytest.fixture
def staff():
    user = StaffFactory(is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def public_login(client, email, password="wrong-password", ip=ATTACKER):  # noqa: S107
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip
    )


def admin_login(client, email, password, ip=ATTACKER):
    return client.post(
        reverse("admin:login"),
        {"username": email, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=ip,
    )


def test_failed_public_logins_for_unknown_emails_do_not_lock_staff_out(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        public_login(client, f"{uuid.uuid4().hex}@example.com")
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        admin_login(client, f"{uuid.uuid4().hex}@example.com", "wrong-password")

    response = admin_login(client, staff.email, PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_failed_admin_logins_lock_the_attacked_account_from_that_address(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        admin_login(client, staff.email, "wrong-password")

    locked = admin_login(client, staff.email, PASSWORD)
    elsewhere = admin_login(client, staff.email, PASSWORD, ip="198.51.100.7")

    assert locked.status_code == 429
    assert elsewhere.status_code == 302


def test_client_ip_trusts_only_the_configured_number_of_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    direct = rf.get("/", REMOTE_ADDR="10.0.0.2")
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")

    assert client_ip(forged) == "198.51.100.7"
    assert client_ip(direct) == "10.0.0.2"
    assert client_ip(garbage) == "10.0.0.2"

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forged) == "10.0.0.2"


def test_behind_the_proxy_the_lock_follows_the_forwarded_address(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("admin:login"),
            {"username": staff.email, "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )

    staff_member = client.post(
        reverse("admin:login"),
        {"username": staff.email, "password": PASSWORD, "next": reverse("admin:index")},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert staff_member.status_code == 302


def test_allauth_and_axes_read_the_client_address_the_same_way(rf, settings):
    from allauth.account.adapter import get_adapter
    from axes.helpers import get_client_ip_address

    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")

    assert get_adapter(request).get_client_ip(request) == "198.51.100.7"
    assert get_client_ip_address(request) == "198.51.100.7"


def test_trusted_proxy_count_is_documented_in_env_example_with_its_default():
    example = (REPO / ".env.example").read_text()
    readme = (REPO / "README.md").read_text()

    documented = re.search(r"^# TRUSTED_PROXY_COUNT=(\d+)$", example, re.MULTILINE)

    assert documented, "TRUSTED_PROXY_COUNT missing from .env.example"
    assert int(documented.group(1)) == settings.TRUSTED_PROXY_COUNT
    assert "TRUSTED_PROXY_COUNT" in readme
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_CLIENT_IP_CALLABLE == "marketplace.http.client_ip"
