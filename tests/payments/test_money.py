"""Minor units, Stripe's units, and display in the reader's language."""

import pytest

from payments.money import (
    AmountNotRepresentable,
    format_money,
    from_decimal,
    from_stripe_amount,
    minor_unit_exponent,
    to_stripe_amount,
)


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (15000, "USD", 15000),  # 150.00 USD: cents both sides
        (15000, "PEN", 15000),
        (1500, "JPY", 1500),  # zero-decimal: ¥1,500 is 1500
        (25000, "CLP", 25000),
        (5000, "XOF", 5000),
        (3000, "UGX", 3000),  # zero-decimal for charges
        (7, "KRW", 7),
        (5, "ISK", 500),  # whole krónur, written with two decimals
        (12345, "HUF", 12345),  # two decimals for charges
        (99900, "TWD", 99900),
        (5120, "KWD", 5120),  # three decimals, last digit 0
        (1000, "RSD", 100000),  # CLDR shows whole dinars; Stripe wants two decimals
    ],
)
def test_to_stripe_amount(amount, currency, expected):
    assert to_stripe_amount(amount, currency) == expected
    assert from_stripe_amount(expected, currency) == amount


def test_three_decimal_currencies_must_end_in_zero():
    with pytest.raises(AmountNotRepresentable):
        to_stripe_amount(5124, "KWD")


def test_amounts_are_non_negative_integers():
    with pytest.raises(AmountNotRepresentable):
        to_stripe_amount(-1, "USD")
    with pytest.raises(TypeError):
        to_stripe_amount(1.5, "USD")
    with pytest.raises(TypeError):
        to_stripe_amount(True, "USD")


def test_lower_case_currency_is_the_same_currency():
    assert to_stripe_amount(5, "isk") == 500
    assert minor_unit_exponent("jpy") == 0


def test_from_stripe_amount_refuses_fractions_feria_cannot_hold():
    with pytest.raises(AmountNotRepresentable):
        from_stripe_amount(550, "ISK")


def test_exponents():
    assert [minor_unit_exponent(c) for c in ("USD", "JPY", "ISK", "KWD", "HUF")] == [2, 0, 0, 3, 2]


def test_from_decimal():
    from decimal import Decimal

    assert from_decimal(Decimal("150.00"), "USD") == 15000
    assert from_decimal(Decimal("1500"), "JPY") == 1500
    with pytest.raises(AmountNotRepresentable):
        from_decimal(Decimal("1.5"), "JPY")


@pytest.mark.parametrize(
    ("language", "amount", "currency", "expected"),
    [
        ("en", 15000, "USD", "$150.00"),
        ("es", 15000, "USD", "150,00\xa0US$"),
        ("fr", 15000, "EUR", "150,00\xa0€"),
        ("en", 1500, "JPY", "¥1,500"),
        ("pt", 5, "ISK", "ISK\xa05"),
        ("en", 5120, "KWD", "KWD5.120"),
    ],
)
def test_format_money(language, amount, currency, expected):
    assert format_money(amount, currency, language) == expected
