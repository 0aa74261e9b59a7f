"""Result cards written in Python (projects/cards.py) say what the template markup said."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from accounts.models import ExpertProfile
from projects.search import ExpertCard, ProjectCard

# The markup the search templates wrote per card before the cards moved to Python.
PROJECT_TEMPLATE = """
<article class="card project-card{% if card.featured %} card--highlight{% endif %}">
  <div class="card__body stack stack--sm">
    <div class="cluster cluster--between">
      <h2 class="project-card__title">
        <a href="{{ card.url }}">{{ card.title }}</a>
      </h2>
      <strong class="nowrap">{{ card.budget }}</strong>
    </div>
    <div class="cluster small muted">
      {% if card.featured %}<span class="badge badge--brand">{% translate "Featured" %}</span>{% endif %}
      {% if card.businesses_only %}<span class="badge badge--verified">{% translate "Businesses only" %}</span>{% endif %}
      <span>{{ card.category }}</span>
      <span>{{ card.place }}</span>
      <span>{% blocktranslate trimmed count bid_count=card.bid_count %}{{ bid_count }} bid{% plural %}{{ bid_count }} bids{% endblocktranslate %}</span>
      {% if card.posted %}<span>{{ card.posted }}</span>{% endif %}
    </div>
    <div class="cluster">
      {% for name in card.skills %}<span class="badge">{{ name }}</span>{% endfor %}
    </div>
  </div>
</article>
"""  # noqa: E501
EXPERT_TEMPLATE = """
<div class="card__body stack stack--sm">
  <div class="cluster cluster--between">
    <h2 class="expert-card__name">
      <a href="{{ card.url }}">{{ card.name }}</a>
    </h2>
    {% if card.rate %}<strong class="nowrap">{{ card.rate }}</strong>{% endif %}
  </div>
  <div class="cluster small muted">
    {% if card.is_company %}
      <span class="badge">{% translate "Company" %}</span>
      {% if card.verified %}<span class="badge badge--verified">{% translate "Verified" %}</span>{% endif %}
    {% endif %}
    {% if card.rating %}<span>{% blocktranslate trimmed count rating_count=card.rating_count with rating=card.rating|floatformat:1 %}Rated {{ rating }}/5 ({{ rating_count }} review){% plural %}Rated {{ rating }}/5 ({{ rating_count }} reviews){% endblocktranslate %}</span>{% endif %}
    {% if card.location %}<span>{{ card.location }}</span>{% endif %}
    {% if card.remote_ok %}<span>{% translate "Works remotely" %}</span>{% endif %}
  </div>
  {% if card.headline %}<p>{{ card.headline }}</p>{% endif %}
  <div class="cluster">
    {% for name in card.skills %}<span class="badge">{{ name }}</span>{% endfor %}
  </div>
</div>
"""  # noqa: E501
HOSTILE = '<script>alert("x")</script> & Co'


def _markup(html: str) -> str:
    html = re.sub(r">\s+", ">", html.strip())
    return re.sub(r"\s+<", "<", html)


def _project_card(**overrides) -> ProjectCard:
    fields = {
        "pk": 7,
        "url": "/projects/7/",
        "title": HOSTILE,
        "budget": "€1,000.00 \N{EN DASH} €2,000.00",
        "featured": True,
        "businesses_only": True,
        "category": "Design & <Art>",
        "place": "On site · Köln <b>",
        "bid_count": 1,
        "posted": "3 days ago",
        "skills": ["Logo design", HOSTILE],
    }
    return ProjectCard(**{**fields, **overrides})


def _expert_card(**overrides) -> ExpertCard:
    fields = {
        "pk": 3,
        "user_id": 9,
        "url": "/accounts/experts/3/",
        "name": HOSTILE,
        "rate": "€80.00/h",
        "is_company": True,
        "verified": True,
        "rating": 4.55,
        "rating_count": 1,
        "location": "Berlin, Germany",
        "remote_ok": True,
        "headline": HOSTILE,
        "skills": ["Translation", HOSTILE],
    }
    return ExpertCard(**{**fields, **overrides})


PROJECT_CARDS = [
    {},
    {"featured": False, "businesses_only": False, "bid_count": 0, "posted": ""},
    {"bid_count": 12, "skills": []},
]
EXPERT_CARDS = [
    {},
    {"is_company": False, "rating": None, "rating_count": 0, "rate": "", "headline": ""},
    {"verified": False, "rating": 3.0, "rating_count": 14, "location": "", "remote_ok": False},
]


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("overrides", PROJECT_CARDS)
def test_project_card_html_says_what_the_template_said(language, overrides):
    card = _project_card(**overrides)
    with translation.override(language):
        expected = Template(PROJECT_TEMPLATE).render(Context({"card": card}))
        assert _markup(card.html) == _markup(expected)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("overrides", EXPERT_CARDS)
def test_expert_card_html_says_what_the_template_said(language, overrides):
    card = _expert_card(**overrides)
    with translation.override(language):
        expected = Template(EXPERT_TEMPLATE).render(Context({"card": card}))
        assert _markup(card.body) == _markup(expected)


def test_cards_escape_what_people_typed():
    project, expert = _project_card(), _expert_card()
    for html in (project.html, expert.body):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html


def test_cards_are_written_in_german():
    with translation.override("de"):
        project = _project_card(bid_count=3).html
        expert = _expert_card(rating=4.5, rating_count=2).body
    assert "3 Angebote" in project
    assert "Hervorgehoben" in project
    assert "Bewertet mit 4,5/5 (2 Bewertungen)" in expert


def test_expert_location_names_the_country_in_the_readers_language():
    profile = ExpertProfile(city="Wien", country="AT")
    with translation.override("de"):
        assert profile.location == "Wien, Österreich"
    assert ExpertProfile(country="AT").location == "Austria"
    assert ExpertProfile(city="Atlantis", country="").location == "Atlantis"
    assert ExpertProfile(country="ZZ").location == "ZZ"


@pytest.mark.django_db
def test_search_pages_read_the_taxonomy_once(client, monkeypatch, owner):
    from accounts import selectors
    from tests.projects.factories import make_expert_with, make_open_project

    make_open_project(owner, title="Logo for a bakery")
    make_expert_with("logo-design", headline="Logo designer")
    reads = []
    real = selectors.taxonomy

    def counted():
        reads.append(1)
        return real()

    monkeypatch.setattr("projects.forms.taxonomy", counted)
    monkeypatch.setattr("projects.search.taxonomy", counted)
    for url in (reverse("projects:find"), reverse("projects:find_freelancer")):
        reads.clear()
        page = client.get(url, {"q": "logo"})
        assert page.status_code == 200
        assert "Logo" in page.text
        assert len(reads) == 1, url
