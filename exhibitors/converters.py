"""The path converter every URL of ours uses for a database id, `<id:name>`, instead of Django's `<int:name>`.

Django's `int` converter matches any run of digits, so `/orders/99999999999999999999999/` reached the view
with a number no column can hold; on PostgreSQL a lookup with it could fail with "bigint out of range" and
answer 500. `id` matches 1 to 18 ASCII digits, every one of which fits a 64-bit id column, so a longer id
matches no URL and answers 404 before any view or query runs. Registered in exhibitors.apps (the lowest app,
ready before any URLconf is imported).
"""

from django.urls import register_converter


class IdConverter:
    # 18 digits: below 10**18, always within a signed 64-bit column (its maximum has 19 digits).
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def converters_register() -> None:
    from django.urls.converters import REGISTERED_CONVERTERS

    if "id" not in REGISTERED_CONVERTERS:
        register_converter(IdConverter, "id")
