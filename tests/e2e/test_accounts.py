"""Accounts in Chromium: an expert signs up and builds a public profile; a company signs up, asks
for verification, staff verify it in the admin, and the badge and the notification appear."""

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image, ImageDraw
from playwright.sync_api import BrowserContext, ConsoleMessage, Locator, Page, expect

from accounts.models import CompanyProfile, Language, Skill, User

# The skills taxonomy and languages come from a data migration: keep them between tests.
pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = os.environ.get("GUILDHALL_SHOTS_DIR")  # set to keep screenshots of each step
PASSWORD = "a-long-Passphrase-42"


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"accounts-{name}.png"), full_page=True)


def _new_page(new_context: Callable[..., BrowserContext]) -> tuple[Page, list[str]]:
    """A page in a fresh context (its own cookies; closed after the test) and its console errors."""
    page = new_context().new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    errors: list[str] = []

    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", record)
    return page, errors


def _sign_up(page: Page, base: str, *, name: str, email: str, role: str, kind: str) -> None:
    page.goto(base + reverse("account_signup"))
    page.get_by_label(role).check()
    page.get_by_label(kind).check()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^\s*Password\*?\s*$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)


def _account_menu(page: Page, name: str) -> Locator:
    """The header's account menu, opened."""
    menu = page.locator("details.account-menu")
    menu.locator("summary").filter(has_text=name).click()
    return menu


def _log_in(page: Page, base: str, *, email: str) -> None:
    page.goto(base + reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _png(path: Path) -> Path:
    image = Image.new("RGB", (320, 320), (40, 90, 160))
    ImageDraw.Draw(image).rectangle((80, 80, 240, 240), fill=(240, 190, 60))
    image.save(path, format="PNG")
    return path


def test_expert_signs_up_builds_profile_and_sees_it_in_public(
    live_server, new_context: Callable[..., BrowserContext], tmp_path: Path
):
    base = live_server.url
    django = Skill.objects.get(name="Django")
    mould = Skill.objects.get(name="Mould design")
    assert Language.objects.filter(name="German").exists()
    page, errors = _new_page(new_context)

    _sign_up(
        page,
        base,
        name="Erika Example",
        email="erika@example.com",
        role="Work as an expert",
        kind="An individual",
    )
    _shot(page, "1-expert-signup")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(base + reverse("dashboard"))
    expect(page.locator("details.account-menu summary")).to_contain_text("Erika Example")

    _account_menu(page, "Erika Example").get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", name="Edit your profile")).to_be_visible()

    basics = page.locator("#basics")
    basics.get_by_label("Headline").fill("Django developer for small manufacturers")
    basics.get_by_label("About you").fill(
        "I build order and production tools for plastics workshops."
    )
    basics.get_by_label("Hourly rate").fill("65")
    basics.get_by_role("button", name="Save basics").click()
    expect(page.get_by_text("Your profile details are saved.")).to_be_visible()
    expect(page.locator("#basics").get_by_label("Hourly rate")).to_have_value("65.00")

    for skill, level, years in [(django, "Expert", "8"), (mould, "Intermediate", "3")]:
        skills = page.locator("#skills")
        row = skills.locator(".row-list__row").last
        row.get_by_label("Add a skill").fill(skill.name)
        # The htmx search swaps in a select with the best match chosen.
        expect(row.locator("#skill-options select")).to_have_value(str(skill.pk))
        row.get_by_label("Level").select_option(label=level)
        row.get_by_label("Years").fill(years)
        skills.get_by_role("button", name="Save skills").click()
        expect(page.get_by_text("Your skills are saved.")).to_be_visible()
    expect(page.locator("#skills .row-list__row")).to_have_count(3)

    languages = page.locator("#languages")
    row = languages.locator(".row-list__row").last
    row.get_by_label("Language").select_option(label="German")
    row.get_by_label("Level").select_option(label="Native or bilingual")
    languages.get_by_role("button", name="Save languages").click()
    expect(page.get_by_text("Your languages are saved.")).to_be_visible()

    fake = tmp_path / "holiday.png"
    fake.write_text("not a picture at all, only text pretending to be one\n")
    photo = page.locator("#photo")
    photo.get_by_label("Image").set_input_files(fake)
    photo.get_by_role("button", name="Upload photo").click()
    error = page.locator("#photo .field--invalid .field__error")
    expect(error).to_have_text(
        "This file is not an image we can read: upload a JPEG, PNG, WebP or GIF."
    )
    _shot(page, "2-expert-avatar-refused")

    page.locator("#photo").get_by_label("Image").set_input_files(_png(tmp_path / "me.png"))
    page.locator("#photo").get_by_role("button", name="Upload photo").click()
    expect(page.get_by_text("Your photo is updated.")).to_be_visible()
    expect(page.locator("#photo img.avatar--photo")).to_be_visible()
    _shot(page, "3-expert-edit")

    page.get_by_role("link", name="View public profile").click()
    expect(page.get_by_role("heading", name="Erika Example", level=1)).to_be_visible()
    expect(page.get_by_text("Django developer for small manufacturers")).to_be_visible()
    expect(page.locator(".profile-hero .stat__value")).to_contain_text("65")
    chips = page.locator(".skill-chip")
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text="Django")).to_contain_text("Expert · 8 yrs")
    expect(chips.filter(has_text="Mould design")).to_contain_text("Intermediate · 3 yrs")
    expect(page.get_by_text("Native or bilingual")).to_be_visible()
    avatar = page.locator(".profile-hero img.avatar--photo")
    expect(avatar).to_have_attribute("alt", "Erika Example")
    avatar.evaluate("img => img.decode()")
    assert avatar.evaluate("img => img.complete && img.naturalWidth") > 0
    for zero in [
        "No completed projects yet.",
        "No reviews yet.",
        "No portfolio items yet.",
        "No experience listed yet.",
        "No qualifications listed yet.",
    ]:
        expect(page.get_by_text(zero)).to_be_visible()
    _shot(page, "4-expert-public")
    assert errors == []


def test_company_is_verified_in_admin_and_shows_badge_and_notification(
    live_server, new_context: Callable[..., BrowserContext], tmp_path: Path
):
    base = live_server.url
    User.objects.create_superuser("staff@example.com", PASSWORD, name="Sam Staff")
    owner_page, owner_errors = _new_page(new_context)

    _sign_up(
        owner_page,
        base,
        name="Olga Owner",
        email="olga@example.com",
        role="Hire experts",
        kind="A company",
    )
    owner_page.get_by_label("Legal company name").fill("Acme Plastics GmbH")
    _shot(owner_page, "5-company-signup")
    owner_page.get_by_role("button", name="Create account").click()
    expect(owner_page).to_have_url(base + reverse("dashboard"))

    _account_menu(owner_page, "Olga Owner").get_by_role("link", name="Edit profile").click()
    expect(owner_page.get_by_role("heading", name="Acme Plastics GmbH", level=1)).to_be_visible()
    badge = owner_page.locator("#verification .badge")
    expect(badge).to_have_text("Not verified")

    details = owner_page.locator("#details")
    details.get_by_label("Registration number").fill("HRB 123456")
    details.get_by_label("Industry").fill("Injection moulding")
    details.get_by_label("Country").select_option(label="Germany")
    details.get_by_label("Address").fill("Werkstraße 1\n10115 Berlin")
    details.get_by_role("button", name="Save details").click()
    expect(owner_page.get_by_text("Company details saved.")).to_be_visible()

    extract = tmp_path / "register-extract.pdf"
    extract.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
    documents = owner_page.locator("#documents")
    documents.get_by_label("Registration document").set_input_files(extract)
    documents.get_by_role("button", name="Upload document").click()
    expect(owner_page.get_by_text("Uploaded “register-extract.pdf”.")).to_be_visible()
    expect(
        owner_page.locator("#documents").get_by_role("link", name="register-extract.pdf")
    ).to_be_visible()
    _shot(owner_page, "6-company-edit")

    owner_page.get_by_role("button", name="Submit for verification").click()
    expect(owner_page.get_by_text("Submitted. Staff will review your documents")).to_be_visible()
    expect(owner_page.locator("#verification .badge")).to_have_text("Waiting for review")
    company = CompanyProfile.objects.get(user__email="olga@example.com")
    assert company.verification_status == CompanyProfile.Status.PENDING

    _account_menu(owner_page, "Olga Owner").get_by_role("button", name="Log out").click()
    nav = owner_page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()

    visitor, visitor_errors = _new_page(new_context)
    visitor.goto(base + company.get_absolute_url())
    expect(visitor.get_by_text("This company has not been verified yet.")).to_be_visible()
    expect(visitor.locator(".badge--verified")).to_have_count(0)

    staff_page, _ = _new_page(new_context)
    staff_page.goto(base + "/admin/")
    staff_page.get_by_label("Email").fill("staff@example.com")
    staff_page.get_by_label("Password").fill(PASSWORD)
    staff_page.get_by_role("button", name="Log in").click()
    staff_page.get_by_role("link", name="Companies", exact=True).click()
    staff_page.locator("#searchbar").fill("Acme")
    staff_page.get_by_role("button", name="Search").click()
    row = staff_page.locator("#result_list tbody tr").filter(has_text="Acme Plastics GmbH")
    expect(row.get_by_role("cell", name="Waiting for review", exact=True)).to_be_visible()
    row.get_by_role("checkbox").check()
    staff_page.locator("select[name=action]").select_option(label="Verify selected companies")
    staff_page.get_by_role("button", name="Run").click()
    expect(staff_page.get_by_text("Verified 1 company.")).to_be_visible()
    expect(row.get_by_role("cell", name="Verified", exact=True)).to_be_visible()
    _shot(staff_page, "7-admin-verified")

    visitor.reload()
    expect(visitor.get_by_role("heading", name="Acme Plastics GmbH", level=1)).to_be_visible()
    expect(visitor.locator(".profile-hero .badge--verified")).to_have_text("Verified company")
    _shot(visitor, "8-company-public")

    _log_in(owner_page, base, email="olga@example.com")
    expect(owner_page.get_by_role("link", name="Notifications, 1 unread")).to_be_visible()
    owner_page.get_by_role("link", name="Notifications, 1 unread").click()
    expect(owner_page.get_by_text("Acme Plastics GmbH is verified")).to_be_visible()
    _shot(owner_page, "9-owner-notification")

    # Not the staff page's: Django's admin asks for a /favicon.ico the site does not serve.
    assert owner_errors == []
    assert visitor_errors == []
