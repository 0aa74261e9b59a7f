"""The result cards of Find a Project and Find a Freelancer as HTML, written in Python.

A search page shows up to 23 cards; through the template engine each card costs some forty
nodes, a third of the page's rendering. These functions write the same markup (the texts
translated in the active language, every value escaped as the template would) once per card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.defaultfilters import floatformat
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from marketplace.html import escaped

if TYPE_CHECKING:
    from projects.search import ExpertCard, ProjectCard


def _badges(names: list[str]) -> str:
    return "".join(f'<span class="badge">{escaped(name)}</span>' for name in names)


def project_card_html(card: ProjectCard) -> SafeString:
    """One <article> of Find a Project (what templates/projects/find.html shows per card)."""
    tags = []
    if card.featured:
        featured = escaped(gettext("Featured"))
        tags.append(f'<span class="badge badge--brand">{featured}</span>')
    if card.businesses_only:
        tags.append(
            f'<span class="badge badge--verified">{escaped(gettext("Businesses only"))}</span>'
        )
    bids = ngettext("%(bid_count)s bid", "%(bid_count)s bids", card.bid_count) % {
        "bid_count": escaped(localize(card.bid_count))
    }
    tags += [
        f"<span>{escaped(card.category)}</span>",
        f"<span>{escaped(card.place)}</span>",
        f"<span>{bids}</span>",
    ]
    if card.posted:
        tags.append(f"<span>{escaped(card.posted)}</span>")
    highlight = " card--highlight" if card.featured else ""
    return mark_safe(  # every value above is escaped
        f'<article class="card project-card{highlight}">'
        '<div class="card__body stack stack--sm">'
        '<div class="cluster cluster--between">'
        f'<h2 class="project-card__title"><a href="{escaped(card.url)}">'
        f"{escaped(card.title)}</a></h2>"
        f'<strong class="nowrap">{escaped(card.budget)}</strong>'
        "</div>"
        f'<div class="cluster small muted">{"".join(tags)}</div>'
        f'<div class="cluster">{_badges(card.skills)}</div>'
        "</div></article>"
    )


def expert_card_body_html(card: ExpertCard) -> SafeString:
    """The body of one Find a Freelancer card (the invite form below it stays in
    templates/projects/find_freelancer.html: it needs the request)."""
    rate = f'<strong class="nowrap">{escaped(card.rate)}</strong>' if card.rate else ""
    tags = []
    if card.is_company:
        tags.append(f'<span class="badge">{escaped(gettext("Company"))}</span>')
        if card.verified:
            tags.append(
                f'<span class="badge badge--verified">{escaped(gettext("Verified"))}</span>'
            )
    if card.rating:
        rated = ngettext(
            "Rated %(rating)s/5 (%(rating_count)s review)",
            "Rated %(rating)s/5 (%(rating_count)s reviews)",
            card.rating_count,
        ) % {
            "rating": escaped(floatformat(card.rating, 1)),
            "rating_count": escaped(localize(card.rating_count)),
        }
        tags.append(f"<span>{rated}</span>")
    if card.location:
        tags.append(f"<span>{escaped(card.location)}</span>")
    if card.remote_ok:
        tags.append(f"<span>{escaped(gettext('Works remotely'))}</span>")
    headline = f"<p>{escaped(card.headline)}</p>" if card.headline else ""
    return mark_safe(  # every value above is escaped
        '<div class="card__body stack stack--sm">'
        '<div class="cluster cluster--between">'
        f'<h2 class="expert-card__name"><a href="{escaped(card.url)}">'
        f"{escaped(card.name)}</a></h2>{rate}"
        "</div>"
        f'<div class="cluster small muted">{"".join(tags)}</div>'
        f'{headline}<div class="cluster">{_badges(card.skills)}</div>'
        "</div>"
    )
