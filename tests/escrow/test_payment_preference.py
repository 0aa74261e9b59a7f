"""The preferred payment method on the account (balance first, or card) is where every payment
form starts; the person chooses it on the money pages."""

import pytest
from django.urls import reverse

from escrow.models import PaymentPreference
from tests.workspaces.factories import make_workspace, top_up
from workspaces import services as ws

pytestmark = pytest.mark.django_db


def _checked(page: str, value: str) -> bool:
    marker = f'value="{value}"'
    start = page.index(marker)
    tag = page[page.rfind("<input", 0, start) : page.index(">", start)]
    return "checked" in tag


def _pay_page(client, *, balance: int, method: str | None):
    workspace = make_workspace(30_000)
    contract = workspace.contract
    milestone = workspace.milestones.get()
    ws.request_start(milestone=milestone, by=contract.expert)
    if balance:
        top_up(contract.client, balance)
    client.force_login(contract.client)
    if method:
        client.post(reverse("escrow:payment_method"), {"method": method})
    url = reverse("workspaces:start", args=[workspace.pk, milestone.pk])
    return client.get(url).content.decode(), contract.client


def test_the_person_chooses_card_and_it_is_saved(client):
    _page, user = _pay_page(client, balance=0, method="card")
    assert PaymentPreference.objects.get(user=user).method == "card"


def test_a_card_preference_starts_the_payment_on_card_even_with_enough_balance(client):
    page, _ = _pay_page(client, balance=100_000, method="card")
    assert _checked(page, "card")
    assert not _checked(page, "balance")


def test_balance_first_starts_on_the_balance_when_it_covers_the_payment(client):
    page, _ = _pay_page(client, balance=100_000, method="balance")
    assert _checked(page, "balance")


def test_balance_first_falls_back_to_card_when_the_balance_is_short(client):
    page, _ = _pay_page(client, balance=100, method=None)
    assert _checked(page, "card")


def test_an_unknown_method_is_refused_beside_the_field_and_nothing_is_saved(client):
    from tests.factories import ClientFactory

    client.force_login(ClientFactory())
    response = client.post(reverse("escrow:payment_method"), {"method": "bitcoin"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not PaymentPreference.objects.exists()


def test_upgrades_and_booking_fees_start_on_the_preferred_method(client):
    from tests.bids.factories import make_standalone_project

    project = make_standalone_project()
    top_up(project.owner, 1_000_000)
    client.force_login(project.owner)
    assert _checked(client.get(project.get_absolute_url()).content.decode(), "balance")
    client.post(reverse("escrow:payment_method"), {"method": "card"})
    assert _checked(client.get(project.get_absolute_url()).content.decode(), "card")
