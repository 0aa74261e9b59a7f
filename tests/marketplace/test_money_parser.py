"""The one amount parser behind every money field: what the user typed is what is charged."""

import pytest
from django.utils import translation

from escrow.forms import AmountForm
from escrow.models import Checkout
from marketplace.forms import MoneyField, new_purchase_key
from marketplace.money import MAX_AMOUNT, MoneyError, parse_amount
from tests.factories import UserFactory

ACCEPTED = [
    # (language, typed, minor units)
    ("en", "12", 1200),
    ("en", "10.50", 1050),
    ("en", "10,50", 1050),  # EUR default: one separator and two digits is the decimal point
    ("en", "10,5", 1050),
    ("en", "10.5", 1050),
    ("en", "0.01", 1),
    ("en", ".5", 50),
    ("en", "1,234.50", 123_450),
    ("en", "1,234", 123_400),
    ("en", "1,234,567.89", 123_456_789),
    ("en", "1 234,50", 123_450),
    ("en", "1\u00a0234.50", 123_450),
    ("en", "€ 3.05", 305),
    ("en", "3,05 €", 305),
    ("en", "  25  ", 2500),
    ("de", "10,50", 1050),
    ("de", "10.50", 1050),
    ("de", "10,5", 1050),
    ("de", "1.234,50", 123_450),
    ("de", "1.234", 123_400),
    ("de", "1.234.567,89", 123_456_789),
    ("de", "1 234,50", 123_450),
]

REFUSED = [
    # (language, typed, part of the message)
    ("en", "", "Enter an amount"),
    ("en", "   ", "Enter an amount"),
    ("en", "abc", "as a number"),
    ("en", "1e3", "as a number"),
    ("en", "1E3", "as a number"),
    ("en", "\uff11\uff10", "as a number"),  # full-width digits
    ("en", "\u0661\u0662", "as a number"),  # Arabic-Indic digits
    ("en", "NaN", "as a number"),
    ("en", "Infinity", "as a number"),
    ("en", "0x10", "as a number"),
    ("en", "1_000", "as a number"),
    ("en", "5.", "as a number"),
    ("en", "-5", "without a sign"),
    ("en", "+5", "without a sign"),
    ("en", "\u22125", "without a sign"),
    ("en", "0", "greater than zero"),
    ("en", "0,00", "greater than zero"),
    ("en", "1.234", "two decimal places"),  # English: "." is the decimal point
    ("en", "10.505", "two decimal places"),
    ("en", "1,2,3", "groups of three"),
    ("en", "12,34,567", "groups of three"),
    ("en", "12 34", "groups of three"),
    ("en", "1.234,50", "groups of three"),  # "." groups thousands only where it is not decimal
    ("en", "1,234,50", "groups of three"),
    ("en", "99999999999999", "largest amount"),
    ("de", "1,234", "zwei Nachkommastellen"),  # "," is the decimal point; the message is German
    ("de", "1,234.50", "Dreiergruppen"),
    ("de", "1.23.456", "Dreiergruppen"),
]


@pytest.mark.parametrize(("language", "typed", "cents"), ACCEPTED)
def test_parse_amount_reads_what_the_user_typed(language, typed, cents):
    with translation.override(language):
        assert parse_amount(typed) == cents


@pytest.mark.parametrize(("language", "typed", "message"), REFUSED)
def test_parse_amount_refuses_with_a_clear_message(language, typed, message):
    with translation.override(language), pytest.raises(MoneyError, match=message):
        parse_amount(typed)


def test_the_table_covers_at_least_thirty_inputs():
    assert len(ACCEPTED) + len(REFUSED) >= 30


def test_parse_amount_takes_the_separator_explicitly():
    assert parse_amount("1.234", decimal_separator=",") == 123_400
    with pytest.raises(MoneyError, match="two decimal places"):
        parse_amount("1.234", decimal_separator=".")


def test_parse_amount_accepts_the_maximum_and_zero_only_when_allowed():
    assert parse_amount("1,000,000,000.00") == MAX_AMOUNT
    assert parse_amount("0", allow_zero=True) == 0


def test_money_field_shows_amounts_in_the_active_language():
    field = MoneyField()
    with translation.override("de"):
        assert field.prepare_value(123_450) == "1234,50"
        assert field.clean("1234,50") == 123_450
    assert field.prepare_value(123_450) == "1234.50"


def test_amount_form_shows_the_message_beside_the_field():
    form = AmountForm(data={"amount": "1e3", "key": new_purchase_key()})
    assert not form.is_valid()
    assert "as a number" in form.errors["amount"][0]
    assert "as a number" in str(form["amount"].errors)


@pytest.mark.django_db
def test_top_up_with_a_bad_amount_shows_the_message_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post("/money/top-up/", {"amount": "1e3", "key": new_purchase_key()})
    assert response.status_code == 200
    assert "Enter an amount as a number" in response.context["form"].errors["amount"][0]
    assert "Enter an amount as a number" in response.content.decode()
    assert Checkout.objects.count() == 0


@pytest.mark.django_db
def test_top_up_of_ten_comma_fifty_charges_ten_fifty(client):
    client.force_login(UserFactory())
    client.post("/money/top-up/", {"amount": "10,50", "key": new_purchase_key()})
    assert list(Checkout.objects.values_list("amount", flat=True)) == [1050]
