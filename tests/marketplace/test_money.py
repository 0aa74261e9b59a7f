import pytest
from django.template import Context, Template

from marketplace.money import (
    MAX_AMOUNT,
    CurrencyMismatch,
    Money,
    MoneyError,
    format_money,
    parse_amount,
    split_fee,
    to_decimal_string,
)


def test_money_adds_and_subtracts_same_currency():
    assert Money(150, "EUR") + Money(50, "EUR") == Money(200, "EUR")
    assert Money(150, "EUR") - Money(200, "EUR") == Money(-50, "EUR")
    assert -Money(5, "EUR") == Money(-5, "EUR")


def test_money_refuses_mixing_currencies():
    with pytest.raises(CurrencyMismatch):
        Money(1, "EUR") + Money(1, "USD")
    with pytest.raises(CurrencyMismatch):
        assert Money(1, "EUR") < Money(2, "USD")


def test_money_compares_within_currency():
    assert Money(1, "EUR") < Money(2, "EUR")
    assert Money(2, "EUR") >= Money(2, "EUR")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(1.5, "EUR")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("amount", "bps", "minimum", "expected"),
    [
        (10_000, 1000, 100, (1000, 9000)),
        (500, 1000, 100, (100, 400)),  # minimum applies
        (50, 1000, 100, (50, 0)),  # fee never exceeds the amount
        (12_345, 1000, 0, (1235, 11_110)),  # 1234.5 rounds half up
        (12_344, 1000, 0, (1234, 11_110)),
        (0, 1000, 100, (0, 0)),
    ],
)
def test_split_fee_rounds_half_up_and_adds_up(amount, bps, minimum, expected):
    fee, net = split_fee(amount, bps, minimum)
    assert (fee, net) == expected
    assert fee + net == amount


def test_split_fee_refuses_negative_amounts():
    with pytest.raises(MoneyError):
        split_fee(-1, 1000, 100)


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12", 1200), ("12.5", 1250), ("1,234.56", 123_456), ("€ 3.05", 305), ("0.01", 1)],
)
def test_parse_amount_reads_typed_decimals(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter an amount"),
        ("abc", "as a number"),
        ("0", "greater than zero"),
        ("-5", "greater than zero"),
        ("1.234", "two decimal places"),
        ("NaN", "as a number"),
        ("Infinity", "as a number"),
        ("99999999999999", "largest amount"),
    ],
)
def test_parse_amount_explains_bad_input(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_amount(text)


def test_parse_amount_accepts_the_maximum():
    assert parse_amount(to_decimal_string(MAX_AMOUNT)) == MAX_AMOUNT


def test_format_money():
    assert format_money(123_450, "EUR") == "€1,234.50"
    assert format_money(-300, "USD") == "-$3.00"
    assert format_money(1200, "CHF") == "12.00 CHF"
    assert str(Money(5, "GBP")) == "£0.05"


def test_money_template_filter(settings):
    settings.PLATFORM_CURRENCY = "EUR"
    rendered = Template("{{ a|money }} {{ a|money:'USD' }} {{ m|money }}").render(
        Context({"a": 123_450, "m": Money(99, "GBP")})
    )
    assert rendered == "€1,234.50 $1,234.50 £0.99"
