"""One strict reader for integers from requests: ASCII digits only, bounded."""

import pytest
from django.core.exceptions import ValidationError

from exhibitors.forms.catalogue import ProductForm
from exhibitors.integers import INT32_MAX, StrictIntegerField, is_ascii_digits, parse_id, parse_int


@pytest.mark.parametrize(
    "raw", ["²", "1²", "١٢", "12 ", " 12", "1_000", "+5", "0x10", "1e3", "9" * 20, "", None, True, 1.5, "-"]
)
def test_parse_int_refuses_anything_but_ascii_digits(raw):
    assert parse_int(raw) is None


@pytest.mark.parametrize(
    ("raw", "number"), [("0", 0), ("42", 42), ("007", 7), (42, 42), (str(INT32_MAX), INT32_MAX)]
)
def test_parse_int_reads_ascii_digits(raw, number):
    assert parse_int(raw) == number


def test_parse_int_bounds():
    assert parse_int(str(INT32_MAX + 1)) is None
    assert parse_int("-3") is None
    assert parse_int("-3", minimum=-10) == -3
    assert parse_int("11", maximum=10) is None


def test_parse_id_from_one_to_64_bits():
    assert parse_id("0") is None
    assert parse_id("1") == 1
    assert parse_id("9223372036854775807") == 9223372036854775807
    assert parse_id("9223372036854775808") is None
    assert parse_id("²") is None


def test_is_ascii_digits():
    assert is_ascii_digits("090111", 6)
    assert not is_ascii_digits("²²²²²²", 6)
    assert not is_ascii_digits("09011", 6)
    assert not is_ascii_digits("-9011")


@pytest.mark.parametrize("raw", ["²", "١٢", "1_000", "99999999999999999999", "4294967296"])
def test_strict_integer_field_refuses_with_a_message(raw):
    field = StrictIntegerField(required=False)
    with pytest.raises(ValidationError) as caught:
        field.clean(raw)
    assert caught.value.error_list[0].code in ("invalid", "max_value")


def test_strict_integer_field_reads_digits_and_blank():
    field = StrictIntegerField(required=False, min_value=1)
    assert field.clean(" 12 ") == 12
    assert field.clean("") is None


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["min_order_quantity", "lead_time_days"])
@pytest.mark.parametrize("raw", ["²", "99999999999999999999"])
def test_product_form_integer_fields_refuse_odd_numbers(field, raw):
    form = ProductForm(data={"name": "Coffee", field: raw})
    assert not form.is_valid()
    assert field in form.errors


def test_hs_code_of_superscript_digits_refused_as_format():
    from exhibitors.validators import validate_hs_code

    with pytest.raises(ValidationError) as caught:
        validate_hs_code("²²²²²²")
    assert caught.value.code == "hs_format"


def test_parse_int_clamp_takes_the_nearest_bound():
    assert parse_int("9" * 40, minimum=1, maximum=50, clamp=True) == 50
    assert parse_int("0", minimum=1, maximum=50, clamp=True) == 1
    assert parse_int("²", minimum=1, maximum=50, clamp=True) is None
