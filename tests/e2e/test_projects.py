"""Posting in Chromium: a client posts from a template with a document and buys Featured with the
demo card; an expert then finds it through "Find projects with my skills"."""

import os
import re
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from projects.models import Project
from tests.projects.factories import ClientFactory, make_expert_with

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")


def _page_for(browser: Browser, live_server, user) -> Page:
    django_client = Client()
    django_client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
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


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_post_from_template_buy_featured_then_expert_finds_it(
    live_server, browser: Browser, tmp_path
):
    owner = ClientFactory(email="client@example.com", name="Clara Client")
    expert = make_expert_with("injection-moulding", "failure-analysis")
    base = live_server.url
    document = tmp_path / "defect-photos.txt"
    document.write_text("sink marks opposite the ribs")

    client = _page_for(browser, live_server, owner)
    client.goto(f"{base}/projects/post/")
    client.get_by_role("link", name="Injection-mould defect analysis").click()
    expect(client.get_by_label("Title")).to_have_value(
        "Root-cause analysis of a recurring injection-moulding defect"
    )
    client.get_by_label("Supporting documents").set_input_files(str(document))
    client.get_by_label("Featured Project").check()
    client.get_by_label("By card").check()
    _shot(client, "projects-1-post")
    client.get_by_role("button", name="Publish project").click()

    expect(client.get_by_role("heading", name="Pay by card")).to_be_visible()
    client.get_by_label("4242 4242 4242 4242", exact=False).check()
    client.get_by_role("button", name="Pay").click()
    project = Project.objects.get()
    assert project.status == Project.Status.OPEN
    assert project.is_featured
    assert project.attachments.get().name == "defect-photos.txt"

    client.goto(f"{base}{project.get_absolute_url()}")
    expect(client.get_by_text("Featured", exact=True)).to_be_visible()
    expect(client.get_by_role("link", name="defect-photos.txt")).to_be_visible()

    finder = _page_for(browser, live_server, expert)
    finder.goto(f"{base}/projects/")
    finder.get_by_role("link", name="Find projects with my skills").click()
    result = finder.locator("#results article").first
    expect(result).to_contain_text("Root-cause analysis of a recurring injection-moulding defect")
    expect(result).to_contain_text("Featured")
    _shot(finder, "projects-2-find")
    finder.get_by_label("Search").fill("mould")
    expect(finder).to_have_url(re.compile(r"/projects/\?q=mould&sort=best&mine=on"))
    expect(finder.locator("#results article")).to_have_count(1)
    assert client.errors == []  # type: ignore[attr-defined]
    assert finder.errors == []  # type: ignore[attr-defined]
