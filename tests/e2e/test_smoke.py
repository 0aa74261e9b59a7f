"""The home page in a real browser: it renders, htmx loads under the CSP, nothing is blocked."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_loads_in_chromium_without_console_errors(live_server, page: Page):
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    assert errors == []
