"""Every model field a form or the admin shows has a translated name, so German forms, the
admin and error summaries never fall back to a name made from the field ("budget min")."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from projects.models import Project
from tests.factories import StaffFactory
from tests.projects.factories import make_open_project

pytestmark = pytest.mark.django_db

APPS = {
    "accounts",
    "bids",
    "bookings",
    "escrow",
    "leads",
    "messaging",
    "notifications",
    "projects",
    "reviews",
    "workspaces",
}
# Stored history rows: their wording is being moved to event codes separately.
HISTORY = {"WorkspaceEvent", "BidEvent", "ProjectStatusChange"}


def _admin_fields() -> list[tuple[type, str]]:
    shown = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS or model.__name__ in HISTORY:
            continue
        names = set(model_admin.list_display or ()) | set(model_admin.readonly_fields or ())
        names |= {name for name in (model_admin.fields or ()) if isinstance(name, str)}
        for _title, options in model_admin.fieldsets or ():
            names |= {name for name in options.get("fields", ()) if isinstance(name, str)}
        if not (model_admin.fields or model_admin.fieldsets):
            names |= {field.name for field in model._meta.fields}
        shown += [(model, name) for name in names]
    return shown


def test_every_field_the_admin_shows_has_a_translated_name():
    unnamed = []
    for model, name in _admin_fields():
        if name not in {field.name for field in model._meta.get_fields()}:
            continue  # a method or a computed column, named by the admin itself
        field = model._meta.get_field(name)
        if getattr(field, "auto_created", False) or not getattr(field, "concrete", False):
            continue
        if not isinstance(field.verbose_name, Promise):
            unnamed.append(f"{model.__name__}.{name}")
    assert unnamed == []


# Names that are the same word in German.
SAME_IN_GERMAN = {"URL", "slug", "name"}


def test_every_field_of_every_model_has_a_german_name():
    """Inlines, history rows and read-only columns of the admin show every field: none may fall
    back to a name made from the attribute ("from status") or stay English in German."""
    from django.apps import apps

    unnamed = []
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.get_fields():
            if field.auto_created or not getattr(field, "concrete", False):
                continue
            english = str(field.verbose_name)
            with translation.override("de"):
                german = str(field.verbose_name)
            lazy = isinstance(field.verbose_name, Promise)
            if not lazy or (german == english and english not in SAME_IN_GERMAN):
                unnamed.append(f"{model.__name__}.{field.name} ({english})")
    assert unnamed == []


def test_the_budget_fields_are_named_in_german():
    field = Project._meta.get_field("budget_min")
    with translation.override("de"):
        assert str(field.verbose_name) == "Budget ab"
        assert str(Project._meta.get_field("budget_max").verbose_name) == "Budget bis"
    with translation.override("en"):
        assert str(field.verbose_name) == "budget from"


def test_the_project_admin_list_is_headed_in_german(client, settings):
    settings.PROJECT_MODERATION = "off"
    make_open_project()
    client.force_login(StaffFactory(is_superuser=True, language="de"))
    response = client.get(reverse("admin:projects_project_changelist"))

    assert response.status_code == 200
    html = response.content.decode()
    for heading in ("Titel", "Eigentümer", "Kategorie", "Sichtbarkeit", "Veröffentlicht am"):
        assert heading in html
    assert "Published at" not in html
