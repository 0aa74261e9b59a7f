"""One charge per purchase: every submission of one rendered payment form is the same
purchase, however often and however fast it arrives (real threads, PostgreSQL)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escrow.models import Checkout, LedgerTransaction, Purchase
from escrow.services.ledger import wallet_account
from marketplace.forms import new_purchase_key
from projects.models import ProjectUpgrade
from tests.escrow.test_concurrency import race
from tests.projects.factories import make_open_project, top_up

FEATURED = 2900


def _rendered_key(client: Client, url: str, name: str) -> str:
    html = client.get(url).content.decode()
    match = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert match, f"{url} renders no {name}"
    return match.group(1)


def _logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_parallel_posts_of_one_upgrade_form_charge_once(owner):
    top_up(owner, 100_00)
    project = make_open_project(owner)
    key = _rendered_key(_logged_in(owner), project.get_absolute_url(), "purchase_key")
    url = reverse("projects:upgrade", args=[project.pk])
    data = {"upgrades": ["featured"], "source": "balance", "purchase_key": key}
    browsers = [_logged_in(owner) for _ in range(5)]
    results, errors = race([lambda b=b: b.post(url, data) for b in browsers])
    assert not errors
    assert {r.status_code for r in results} == {302}
    assert Purchase.objects.count() == 1
    assert LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.PURCHASE).count() == 1
    assert ProjectUpgrade.objects.count() == 1
    assert wallet_account(owner).balance == 100_00 - FEATURED
    project.refresh_from_db()
    assert project.featured_until - timezone.now() < timedelta(days=10, minutes=1)


@pytest.mark.django_db
def test_ten_featured_clicks_buy_one_period_and_one_charge(owner, client):
    top_up(owner, 1000_00)
    project = make_open_project(owner)
    client.force_login(owner)
    key = _rendered_key(client, project.get_absolute_url(), "purchase_key")
    url = reverse("projects:upgrade", args=[project.pk])
    for _ in range(10):
        client.post(url, {"upgrades": ["featured"], "source": "balance", "purchase_key": key})
    assert wallet_account(owner).balance == 1000_00 - FEATURED
    assert Purchase.objects.get().amount == FEATURED
    project.refresh_from_db()
    assert project.featured_until - timezone.now() < timedelta(days=10, minutes=1)


@pytest.mark.django_db
def test_a_new_rendering_is_a_new_purchase(owner, client):
    top_up(owner, 1000_00)
    project = make_open_project(owner)
    client.force_login(owner)
    url = reverse("projects:upgrade", args=[project.pk])
    for _ in range(2):
        key = _rendered_key(client, project.get_absolute_url(), "purchase_key")
        client.post(url, {"upgrades": ["featured"], "source": "balance", "purchase_key": key})
    assert wallet_account(owner).balance == 1000_00 - 2 * FEATURED
    project.refresh_from_db()
    assert project.featured_until - timezone.now() > timedelta(days=19, hours=23)


@pytest.mark.django_db
def test_repeated_card_upgrade_goes_to_the_same_checkout(owner, client):
    project = make_open_project(owner)
    client.force_login(owner)
    key = _rendered_key(client, project.get_absolute_url(), "purchase_key")
    url = reverse("projects:upgrade", args=[project.pk])
    data = {"upgrades": ["featured"], "source": "card", "purchase_key": key}
    first, second = client.post(url, data), client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Checkout.objects.count() == 1


@pytest.mark.parametrize("key", ["", "forged", "abc:def:ghi"])
@pytest.mark.django_db
def test_upgrade_without_a_valid_key_is_refused_and_charges_nothing(owner, client, key):
    top_up(owner, 100_00)
    project = make_open_project(owner)
    client.force_login(owner)
    url = reverse("projects:upgrade", args=[project.pk])
    response = client.post(
        url, {"upgrades": ["featured"], "source": "balance", "purchase_key": key}, follow=True
    )
    assert "This payment form has expired" in response.content.decode()
    assert not Purchase.objects.exists()
    assert wallet_account(owner).balance == 100_00


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_five_parallel_posts_of_one_top_up_form_start_one_checkout(owner):
    key = _rendered_key(_logged_in(owner), reverse("escrow:top_up"), "key")
    browsers = [_logged_in(owner) for _ in range(5)]
    results, errors = race(
        [
            lambda b=b: b.post(reverse("escrow:top_up"), {"amount": "25,00", "key": key})
            for b in browsers
        ]
    )
    assert not errors
    assert Checkout.objects.count() == 1
    assert {r["Location"] for r in results} == {Checkout.objects.get().redirect_url}


@pytest.mark.django_db
def test_top_up_form_reused_for_another_amount_is_refused(owner, client):
    client.force_login(owner)
    key = new_purchase_key()
    client.post(reverse("escrow:top_up"), {"amount": "25", "key": key})
    response = client.post(reverse("escrow:top_up"), {"amount": "30", "key": key})
    assert "already used for another amount" in response.content.decode()
    assert list(Checkout.objects.values_list("amount", flat=True)) == [2500]
