# ruff: noqa: RUF001 - the disguises are the point: full-width and look-alike characters
"""Disguised contact details: the guard reads text the way a person would (issue 15's 20 cases
and more), while ordinary numbers, dates, versions and prices still pass untouched."""

import pytest

from messaging.contact_guard import MASK, guard, normalise

ZW = "\u200b"

LEAKS = [
    "j o h n . d o e @ g m a i l . c o m",
    "mail me: j-o-h-n@gmail.com",
    "jane＠example．com",
    "\uff4a\uff41\uff4e\uff45\uff20\uff45\uff58\uff41\uff4d\uff50\uff4c\uff45\uff0e\uff43\uff4f\uff4d",
    "gmail: johndoe1987",
    "my yahoo is jane_d.1990",
    "outlook: peter.meyer77",
    "call zero one five one two three four five six seven eight",
    "ruf an: null eins fünf eins zwei drei vier fünf sechs sieben",
    "oh one five one, two three four, five six seven eight",
    "my number +49 I7O 1234567",
    "mobile 0l5l 2345 6789",
    "0 1 5 1 2 3 4 5 6 7 8 9",
    "+ 4 9 1 7 0 1 2 3 4 5 6 7",
    "skype (same as my name) :john.doe_42",
    "skype … :john.doe_42",
    "telegram, the usual one: jane_designs_7",
    "instagram.com/johndoe",
    "see facebook.com/jane.doe.design",
    "tiktok.com/@janedesign",
    f"jane{ZW}@{ZW}gmail{ZW}.com",
    "jane\u2060.doe\u00ad@gmail.com",
    f"+49{ZW}170{ZW}1234567",
    "j.a.n.e at g.m.a.i.l dot com",
    "wa.me／491701234567",
    "jane.doe＠gmail.com please",
]

INNOCENT = [
    "I have 5 years of experience",
    "Certified to ISO 9001 and ISO 14001",
    "My price is €1,500.00 for the whole job.",
    "Budget 12.500,00 EUR in three milestones",
    "Delivery by 2026-12-01, review on 15/01/2027.",
    "Tested with Python 3.13.1 and Django 6.1.3",
    "Firmware v10.0.19045 is required",
    "We need 50,000 units per month at 98.5% yield",
    "It takes 10-14 days, maybe 3 weeks at most",
    "one or two questions about three things",
    "Steps one, two and three are done",
    "I O U nothing",
    "A B C analysis of the parts list",
    "Room 101 on floor 1, lol",
    "Order 1O pieces, then 2O more",  # a typo, not a contact
    "Tolerance ±0.05 mm, Ra 1.6",
    "Meets DIN EN ISO 13485:2016",
    "Call it version 2 of the design",
    "Skype calls are fine during the contract",
    "Instagram marketing is part of milestone 3",
    "The gmail integration needs OAuth",
    "I'll send the drawings at 10 am, okay?",
    "Prices: 450, 900 and 1,350 per milestone",
    "The part number is 4711-0815-12",
    "See https://docs.djangoproject.com/en/6.1/ for details",
    "Ｉ can start on Monday",
]


@pytest.mark.parametrize("text", LEAKS)
def test_disguised_contact_is_masked(text):
    result = guard(text)

    assert result.masked, normalise(text)
    assert MASK in result.text


@pytest.mark.parametrize("text", INNOCENT)
def test_innocent_text_passes_untouched(text):
    result = guard(text)

    assert not result.masked, result.text
    assert result.text == text


def test_table_holds_at_least_fifty_cases():
    assert len(LEAKS) + len(INNOCENT) >= 50
