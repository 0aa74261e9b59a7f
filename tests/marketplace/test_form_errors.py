"""Every form's errors: a summary at the top linking to each field, and each error tied to its
field (aria-invalid, aria-describedby pointing at the error's id)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import ServiceListing
from escrow.models import Checkout
from tests.factories import ClientFactory, ExpertFactory, SkillCategoryFactory, SkillFactory

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    """The elements by id, and the error summary's links and texts."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.texts: dict[str, str] = {}
        self.summary_links: list[str] = []
        self.summaries = 0
        self._open: list[str] = []
        self._in_summary = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "error-summary" in values.get("class", "").split():
            self.summaries += 1
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self.summary_links.append(values.get("href", ""))
        if "id" in values:
            self.by_id[values["id"]] = {"tag": tag, **values}
            if tag not in {"input", "br", "img"}:
                self._open.append(values["id"])
                self.texts[values["id"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._in_summary and tag == "div":
            self._in_summary -= 1

    def handle_data(self, data: str) -> None:
        for element_id in self._open:
            self.texts[element_id] += data


def _assert_tied(page: Page, field_id: str, message: str) -> None:
    field = page.by_id[field_id]
    assert field["aria-invalid"] == "true"
    error_id = f"{field_id}_error"
    assert error_id in field["aria-describedby"].split()
    assert message in page.texts[error_id]
    assert f"#{field_id}" in page.summary_links


def test_top_up_with_no_amount_summarises_the_error_and_ties_it_to_the_field(client):
    client.force_login(ClientFactory())
    response = client.post(reverse("escrow:top_up"), {"amount": ""})
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.summaries == 1
    _assert_tied(page, "id_amount", "Enter an amount.")
    assert not Checkout.objects.exists()


def test_listing_form_lists_every_error_once_with_a_link_to_each_field(client):
    client.force_login(ExpertFactory())
    category = SkillCategoryFactory()
    response = client.post(
        reverse("bookings:listing_create"),
        {
            "title": "",
            "description": "Wall tiles.",
            "category": category.pk,
            "skills": [SkillFactory(category=category).pk],
            "price_from": "",
            "delivery_days": "3",
            "remote": "on",
        },
    )
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.summaries == 1
    _assert_tied(page, "id_title", "This field is required.")
    _assert_tied(page, "id_price_from", "Enter a starting price.")
    assert page.summary_links == ["#id_title", "#id_price_from"]
    assert not ServiceListing.objects.exists()


def test_a_valid_form_shows_no_error_summary(client):
    client.force_login(ExpertFactory())
    response = client.get(reverse("bookings:listing_create"))
    page = Page(response.content.decode())
    assert page.summaries == 0
    assert "aria-invalid" not in response.content.decode()
