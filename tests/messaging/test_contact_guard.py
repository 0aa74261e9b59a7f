"""The contact guard, table-driven: contact details masked, everything else untouched."""

import pytest

from messaging.contact_guard import EMAIL, HANDLE, LINK, MASK, PHONE, explain, guard

MASKED = [
    ("Write to me at jane.doe@gmail.com please", EMAIL),
    ("my mail: J.Smith+work@company-name.co.uk", EMAIL),
    ("jane dot doe at gmail dot com", EMAIL),
    ("reach me: peter(at)example(dot)org", EMAIL),
    ("tom [at] plastics-consult [dot] de", EMAIL),
    ("Call me on +49 30 1234567", PHONE),
    ("my mobile is 0151 23456789", PHONE),
    ("US office: (555) 123-4567 ext 2", PHONE),
    ("ring 0044 20 7946 0958 tomorrow", PHONE),
    ("phone +33 6 12 34 56 78", PHONE),
    ("tel. 030/1234-5678", PHONE),
    ("just dial 07911123456", PHONE),
    ("Add me on skype: jane.doe.design", HANDLE),
    ("Telegram @jane_d_design", HANDLE),
    ("my discord is janedoe#1234", HANDLE),
    ("whatsapp me on 0151 2345 6789", HANDLE),
    ("ping me @polymer_pete on insta", HANDLE),
    ("wechat id: zhangwei88", HANDLE),
    ("https://wa.me/491512345678", LINK),
    ("join us at https://t.me/janedesigns", LINK),
    ("our server: discord.gg/abc123", LINK),
    ("let's talk on https://meet.google.com/abc-defg-hij", LINK),
    ("book a call: calendly.com/jane-doe/30min", LINK),
    ("skype:jane.doe?call", LINK),
    ("zoom: https://zoom.us/j/98765432101", LINK),
]

UNTOUCHED = [
    "My price is €1,500.00 for the whole job.",
    "Budget: 12,500 EUR, paid in 3 milestones",
    "I can do it for $2,000,000 if scope doubles",
    "Total 1 250 000 euros over two years",
    "Delivery by 2026-12-01, review on 15/01/2027.",
    "We start at 14:30 on Monday",
    "Tested with Python 3.13.1 and Django 6.1.3",
    "Firmware v10.0.19045 is required",
    "Tolerance is 0.05 mm; wall thickness 2.5 mm",
    "We need 50,000 units per month at 98.5% yield",
    "Meets ISO 9001:2015 and DIN 16901",
    "Invoice #20261123 is attached",
    "I'll send the drawings at 10 am, okay?",
    "It takes 10-14 days, maybe 3 weeks at most",
    "See https://docs.djangoproject.com/en/6.1/ for details",
    "The part number is 4711-0815-12",
    "Call it version 2 of the design",
    "Use the email field on the contact form we build",
    "Discord integration for the bot is part of milestone 2",
    "I have 12 years of experience with injection moulding",
    "Order ref: 2026/11/0042",
    "Prices: 450, 900 and 1,350 per milestone",
    "Meet at the fair in Düsseldorf hall 10 booth 10-123",
    "Can you do it in 30 days for 4500?",
    "Let me know at your earliest convenience",
]


@pytest.mark.parametrize(("text", "kind"), MASKED)
def test_contact_guard_masks_contact_details(text, kind):
    result = guard(text)
    assert result.masked
    assert kind in result.found
    assert MASK in result.text


@pytest.mark.parametrize("text", UNTOUCHED)
def test_contact_guard_leaves_ordinary_text_alone(text):
    result = guard(text)
    assert result.found == ()
    assert result.text == text


def test_contact_guard_keeps_the_rest_of_the_message():
    result = guard("Hi! Mail me at a.b@example.com about the €900 milestone.")
    assert result.text == f"Hi! Mail me at {MASK} about the €900 milestone."


def test_contact_guard_explanation_names_what_was_found():
    assert "email" in explain([EMAIL])
    assert explain([]) == ""
