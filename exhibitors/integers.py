"""One strict way to read an integer someone typed or put in a URL (query parameters, form fields, ids in
signed payloads): ASCII digits only, with an optional leading minus where negatives make sense, and within
bounds that every database column can hold.

Python's own `str.isdigit()` and `int()` accept far more than that: "²".isdigit() is True but int("²") fails,
int("١٢") is 12, int(" 7 ") and int("1_000") work, and int("9" * 30) is a number no column can store. Each of
those once turned a request into a 500.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# The largest value of a signed 32-bit column (PositiveIntegerField and IntegerField on every backend).
INT32_MAX = 2_147_483_647
# The largest value of a 64-bit column (BigAutoField ids, BigIntegerField amounts).
INT64_MAX = 9_223_372_036_854_775_807

_DIGITS = re.compile(r"-?[0-9]+", re.ASCII)
# More digits than any 64-bit number has: not converted at all (int() of a huge string is slow).
_MAX_DIGITS = 19


def parse_int(value, *, minimum: int = 0, maximum: int = INT32_MAX, clamp: bool = False) -> int | None:
    """`value` as an int if it is one (or a string of ASCII digits) within [minimum, maximum], else None.
    With `clamp`, a number outside the bounds becomes the nearest bound instead (a page number far past
    the end means the last page)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        digits = value.lstrip("-").lstrip("0") or "0"
        if len(digits) > _MAX_DIGITS:
            number = (maximum + 1) if not value.startswith("-") else (minimum - 1)
        else:
            number = int(value)
    else:
        return None
    if number < minimum or number > maximum:
        return (minimum if number < minimum else maximum) if clamp else None
    return number


def parse_id(value) -> int | None:
    """A database id (1 up to the largest 64-bit value) from a query parameter or payload, else None."""
    return parse_int(value, minimum=1, maximum=INT64_MAX)


def is_ascii_digits(value: str, length: int | None = None) -> bool:
    """True when `value` is made of ASCII digits only (and has `length` of them, if given)."""
    return (
        isinstance(value, str)
        and bool(_DIGITS.fullmatch(value))
        and not value.startswith("-")
        and len(value) <= _MAX_DIGITS
        and (length is None or len(value) == length)
    )


class StrictIntegerField(forms.IntegerField):
    """An IntegerField that takes ASCII digits only and is bounded (by default to what a 32-bit column
    holds), so a form never passes the database a number it cannot store."""

    default_error_messages = {"invalid": _("Enter a whole number, with the digits 0 to 9 only.")}

    def __init__(self, *, max_value: int | None = None, min_value: int | None = None, **kwargs):
        max_value = INT32_MAX if max_value is None else max_value
        min_value = -INT32_MAX - 1 if min_value is None else min_value
        super().__init__(max_value=max_value, min_value=min_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        number = parse_int(text, minimum=-INT64_MAX - 1, maximum=INT64_MAX)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number
