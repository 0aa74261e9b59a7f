"""What the browser tests share: a logged-in page that records console errors, screenshots
when GUILDHALL_SHOTS_DIR is set, and star ratings."""

import os
from pathlib import Path

from django.test import Client
from playwright.sync_api import Browser, Page

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")


def page_for(
    browser: Browser, live_server, user, *, width: int = 1280, locale: str | None = None
) -> Page:
    """A page logged in as `user` (the browser set to `locale`, e.g. "de-DE", when given);
    page.errors collects console errors."""
    django_client = Client()
    django_client.force_login(user)
    options = {"locale": locale} if locale else {}
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": django_client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,  # type: ignore[attr-defined]
    )
    return page


def shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def stars(page: Page, group: str, value: int) -> None:
    page.get_by_role("group", name=group).get_by_label(f"{value} star", exact=False).first.check()
