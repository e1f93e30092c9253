"""An id in a URL path is read by the `id` converter (exhibitors/converters.py): at most 18 digits, so a
longer one matches nothing and answers 404 instead of reaching a view with a number no column holds (on
PostgreSQL such a lookup could fail and answer 500). Every URL pattern of the site that takes an id is
walked with a 25-digit one."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from exhibitors.converters import IdConverter
from tests.factories.exhibitors import UserFactory

HUGE_ID = "9" * 25
OUR_APPS = ("exhibitors", "fair", "payments", "cms", "complaints", "quotes", "results")
# The admin screens of our own viewsets (their history and usage views are Wagtail's code, on our URLs).
OUR_ADMIN_PREFIXES = tuple(
    f"/admin/{name}/"
    for name in (
        "pending_booth_applications",
        "booth_applications",
        "member_companies",
        "sectors",
        "certifications",
        "halls",
        "booth_packages",
        "chat_reports",
        "stripe_events",
        "snippets/payments/taxrate",
    )
)
_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_SAMPLE = {"str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}


def _regex_prefix(pattern: RegexPattern) -> str | None:
    """A fixed regex prefix (`^admin/`) as text; None for one with anything variable in it."""
    text = pattern._regex.lstrip("^").rstrip("$")
    if re.search(r"[\\()\[\]{}*+?|.]", text):
        return None
    return text


def _fill(route: str) -> str:
    def sample(match):
        converter = match.group("converter") or "str"
        if converter in {"int", "id"}:
            return HUGE_ID
        return _SAMPLE.get(converter, "x")

    return _PARAMETER.sub(sample, route)


def _walk(patterns, prefix="", takes_id=False):
    """(path, callback module, converter classes) of every URL pattern with an int or id parameter."""
    for entry in patterns:
        pattern = entry.pattern
        if isinstance(pattern, LocalePrefixPattern):
            piece = "en/"
        elif isinstance(pattern, RoutePattern):
            piece = _fill(str(pattern._route))
        else:
            piece = _regex_prefix(pattern)
            if piece is None:
                continue
        converters = getattr(pattern, "converters", {})
        has_id = takes_id or any(isinstance(c, IntConverter | IdConverter) for c in converters.values())
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + piece, has_id)
        elif isinstance(entry, URLPattern) and has_id:
            module = getattr(entry.callback, "__module__", "") or ""
            kinds = frozenset(type(c) for c in converters.values())
            yield "/" + prefix + piece, module, kinds


def id_urls():
    return sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[0])


def is_ours(path: str, module: str) -> bool:
    return module.startswith(OUR_APPS) or path.startswith(OUR_ADMIN_PREFIXES)


def test_every_url_of_ours_reads_ids_with_the_id_converter():
    ours = [(path, module, kinds) for path, module, kinds in id_urls() if is_ours(path, module)]
    assert len(ours) > 50
    assert [path for path, _module, kinds in ours if IntConverter in kinds] == []


def test_id_converter_caps_at_18_digits():
    converter = IdConverter()
    assert re.fullmatch(converter.regex, "9" * 18)
    assert not re.fullmatch(converter.regex, "9" * 19)
    assert not re.fullmatch(converter.regex, "١٢")
    assert converter.to_python("0042") == 42
    assert converter.to_url(42) == "42"


@pytest.mark.django_db
def test_a_25_digit_id_answers_404_on_every_url_that_takes_one(home_page):
    staff = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client = Client(raise_request_exception=False)
    client.force_login(staff)
    urls = id_urls()
    assert len(urls) > 80
    answers = {}
    for path, _module, _kinds in urls:
        for method in ("get", "post"):
            # An admin path nothing matches is redirected to the language-prefixed one, which 404s.
            answers[(method, path)] = getattr(client, method)(path, follow=True).status_code
    assert {key: status for key, status in answers.items() if status >= 500} == {}
    ours = {path for path, module, _kinds in urls if is_ours(path, module)}
    assert {key: status for key, status in answers.items() if key[1] in ours and status != 404} == {}
