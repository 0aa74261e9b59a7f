"""Site pages: home, styled error pages, the layout's navigation and the Content Security Policy."""

import re
import sys
import types

import pytest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path, reverse

from tests.notifications.factories import UserFactory

pytestmark = pytest.mark.django_db


def _layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


def _stubs(namespace: str, *names: str) -> object:
    return include(([path(f"{name}/", _layout, name=name) for name in names], namespace))


_core = [
    path("", _layout, name="home"),
    path("dashboard/", _layout, name="dashboard"),
    path("account/", include("allauth.urls")),
    path("notifications/", include("notifications.urls")),
]
# The layout with every page its navigation can link to (this module is the URLconf).
urlpatterns = [
    *_core,
    path("projects/", _stubs("projects", "find", "find_freelancer", "post")),
    path("messages/", _stubs("messaging", "inbox")),
    path("money/", _stubs("escrow", "balance")),
    path("me/", _stubs("accounts", "switch_role", "profile_edit")),
]
FULL_NAV = "tests.marketplace.test_pages"


@pytest.fixture
def bare_urls(monkeypatch, settings):
    """A URLconf where none of the later pages exist yet."""
    module = types.ModuleType("tests_bare_urls")
    module.urlpatterns = _core  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tests_bare_urls", module)
    settings.ROOT_URLCONF = "tests_bare_urls"


def _nav_links(html: str) -> list[str]:
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    texts = re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)
    return [re.sub(r"\s+", " ", text).strip() for text in texts]


def test_home_page_renders_for_anonymous_visitors(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the categories and their skills
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hire proven experts" in html
    for step in ("Post a Project", "Compare bids", "Start a milestone", "Mark as Completed"):
        assert step in html
    assert 'href="/account/signup/"' in html
    assert "Log in" in html


def test_head_on_the_home_page_answers_200_like_get(client):
    response = client.head("/")

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("typed", ["/login/", "/accounts/login/"])
def test_typed_login_addresses_lead_to_the_login_page_keeping_next(client, typed):
    response = client.get(typed, {"next": "/dashboard/"})

    assert response.status_code == 302
    assert response.url == reverse("account_login") + "?next=%2Fdashboard%2F"
    assert client.get(response.url).status_code == 200


def test_home_page_shows_the_taxonomy_categories(client):
    from accounts.models import SkillCategory

    SkillCategory.objects.get_or_create(name="Plastics tooling", slug="plastics-tooling")
    html = client.get(reverse("home")).content.decode()
    assert "Plastics tooling" in html
    assert 'class="tile"' in html


def test_home_page_renders_for_a_logged_in_client(client, django_assert_max_num_queries):
    user = UserFactory(name="Clara Client")
    client.force_login(user)
    with django_assert_max_num_queries(5):  # + session, user, unread count
        response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Clara Client" in html
    assert "Go to your dashboard" in html
    assert 'action="/account/logout/"' in html  # logging out is a POST form
    assert 'href="/notifications/"' in html


def test_url_or_none_resolves_existing_names_only():
    from marketplace.templatetags.marketplace import url_or_none

    assert url_or_none("no_such_app:no_such_page") is None
    assert url_or_none("home") == "/"
    assert url_or_none("notifications:open", 5) == "/notifications/5/open/"


def test_fixed_urls_are_reversed_once_and_follow_the_url_configuration(settings):
    from django.urls import NoReverseMatch, set_script_prefix

    from marketplace.templatetags.marketplace import fixed_url, url_or_none

    assert fixed_url("dashboard") == "/dashboard/"
    with pytest.raises(NoReverseMatch):
        fixed_url("no_such_app:no_such_page")
    set_script_prefix("/guildhall/")  # a site served under a prefix gets its own links
    try:
        assert fixed_url("dashboard") == "/guildhall/dashboard/"
    finally:
        set_script_prefix("/")
    settings.ROOT_URLCONF = "tests.marketplace.urls_without_pages"  # the memo is forgotten
    assert url_or_none("dashboard") is None
    settings.ROOT_URLCONF = "marketplace.urls"
    assert url_or_none("dashboard") == "/dashboard/"


def test_404_page_is_styled(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert "css/app.css" in html
    assert 'class="site-header"' in html


def test_403_page_is_styled(rf):
    from django.core.exceptions import PermissionDenied

    from marketplace.views import permission_denied

    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "This page is not open to you" in response.content.decode()


def test_500_page_renders_without_a_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "css/app.css" in html


def test_500_page_is_served_when_a_view_crashes(settings):
    settings.DEBUG = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    from marketplace.views import server_error

    response = server_error(Client().get("/").wsgi_request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_csp_header_has_a_nonce_and_no_unsafe_inline(client):
    response = client.get(reverse("home"))
    policy = response.headers.get("Content-Security-Policy", "")
    assert "'unsafe-inline'" not in policy
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", policy)
    assert match, policy
    assert "style-src 'self'" in policy


def test_htmx_script_tag_carries_the_request_nonce(client):
    response = client.get(reverse("home"))
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts, "the layout loads htmx"
    assert any("htmx" in tag for tag in scripts)
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag


def test_pages_have_no_inline_styles_or_event_handlers(client):
    user = UserFactory()
    client.force_login(user)
    for url in (reverse("home"), reverse("notifications:list"), reverse("dashboard")):
        html = client.get(url).content.decode()
        assert " style=" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "hx-on" not in html, url


@pytest.mark.urls(FULL_NAV)
def test_header_for_anonymous_visitors(client):
    links = _nav_links(client.get("/").content.decode())
    assert links == ["Find a Project", "Find a Freelancer", "Log in", "Sign up"]


@pytest.mark.urls(FULL_NAV)
def test_header_for_a_client(client):
    client.force_login(UserFactory(is_client=True, active_role="client"))
    html = client.get("/").content.decode()
    links = _nav_links(html)
    assert links[:3] == ["Find a Freelancer", "Post a Project", "Dashboard"]
    assert "Messages" in links
    assert "Balance" in links
    assert any(link.startswith("<svg") and "Notifications" in link for link in links)
    assert "Find a Project" not in links
    assert 'name="role" value="expert"' in html
    assert "Switch to working" in html
    assert 'href="/me/profile_edit/"' in html


@pytest.mark.urls(FULL_NAV)
def test_header_for_an_expert(client):
    client.force_login(UserFactory(is_client=False, is_expert=True, active_role="expert"))
    html = client.get("/dashboard/").content.decode()
    links = _nav_links(html)
    assert links[:2] == ["Find a Project", "Dashboard"]
    assert "Post a Project" not in links
    assert "Find a Freelancer" not in links
    assert 'href="/dashboard/" aria-current="page"' in html
    assert 'name="role" value="client"' in html
    assert "Switch to hiring" in html


def test_header_hides_links_to_pages_that_do_not_exist_yet(client, bare_urls):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    links = _nav_links(html)
    assert links[0] == "Dashboard"
    for missing in ("Find a Freelancer", "Post a Project", "Messages", "Balance"):
        assert missing not in links
    assert "Switch to" not in html
    assert "Edit profile" not in html
    assert 'action="/account/logout/"' in html
