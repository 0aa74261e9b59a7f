"""No input makes a page answer 500: every URL pattern, hostile path values and query strings,
as an anonymous visitor and as a logged-in client, expert and staff member."""

import re
import time

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import ClientFactory, ExpertFactory, StaffFactory

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
PATH_VALUES = [HUGE, "0", "-1", "%C3%BC%E5%90%8D", "a" * 1200, "x%00y"]
QUERIES = [
    f"page={HUGE}&q=%00",
    f"page=-1&q={'x' * 3000}&before={HUGE}",
    f"q=%C3%BC%E5%90%8D&sort=zzz&category={HUGE}&skills={HUGE}&before=-1",
    f"page=abc&budget_min=1e999&posted={HUGE}&language=-1&kind=%00",
    "page=%EF%BC%91&next=//evil.example&status=%27%22%3C",
]
PLACEHOLDER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def routes(patterns=None, prefix=""):
    """Every pattern as a path template with its placeholders marked."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern):
            yield prefix + text


def urls():
    templates = sorted(set(routes()))
    for template in templates:
        if template.startswith(("static/", "media/", "__")):
            continue
        values = PATH_VALUES if PLACEHOLDER.search(template) else [None]
        for number, value in enumerate(values):
            path = PLACEHOLDER.sub(value, template) if value else template
            yield f"/{path}?{QUERIES[(number + len(template)) % len(QUERIES)]}"


@pytest.fixture
def visitors():
    anonymous = Client()
    signed_in = []
    for factory in (ClientFactory, ExpertFactory, StaffFactory):
        client = Client()
        kwargs = {"is_superuser": True} if factory is StaffFactory else {}
        client.force_login(factory(**kwargs))
        signed_in.append(client)
    return [anonymous, *signed_in]


def test_no_url_answers_5xx_to_hostile_input(visitors):
    started = time.monotonic()
    failures = []
    requested = 0
    for url in urls():
        for visitor in visitors:
            requested += 1
            try:
                status = visitor.get(url).status_code
            except Exception as error:
                failures.append((url, repr(error)[:160]))
                continue
            if status >= 500:
                failures.append((url, status))

    assert requested > 400  # the walk found the site's patterns
    assert failures == []
    assert time.monotonic() - started < 90


@pytest.mark.parametrize(
    "url", ["/skills/search/?q=%00", f"/services/?page={HUGE}", f"/projects/?page={HUGE}"]
)
def test_reported_crashes_answer_without_a_server_error(client, url):
    assert client.get(url).status_code < 500


def test_nul_in_a_query_is_refused_with_400(client):
    response = client.get("/skills/search/?q=a%00b")

    assert response.status_code == 400
