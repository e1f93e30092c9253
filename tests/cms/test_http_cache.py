"""Cache-Control, ETag revisits and compression of HTML pages (cms/http_cache.py)."""

import gzip
import json

import pytest

from tests.cms.test_settings import production_env, run_python
from tests.factories.exhibitors import UserFactory


@pytest.mark.django_db
def test_anonymous_page_revalidates_and_revisit_costs_a_304(client, home_page):
    first = client.get("/en/")
    assert first["Cache-Control"] == "no-cache"
    assert first.has_header("ETag")
    vary = {part.strip() for part in first["Vary"].split(",")}
    assert {"Cookie", "Save-Data"} <= vary

    again = client.get("/en/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.django_db
def test_signed_in_page_is_never_stored(client, home_page):
    client.force_login(UserFactory())

    response = client.get("/en/")

    assert response["Cache-Control"] == "private, no-store"
    assert not response.has_header("ETag")


@pytest.mark.django_db
def test_page_with_csrf_token_is_never_stored_nor_compressed(client, home_page):
    response = client.get("/en/accounts/login/", HTTP_ACCEPT_ENCODING="gzip")

    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_anonymous_html_is_gzipped(client, home_page):
    response = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


@pytest.mark.django_db
def test_signed_in_html_is_not_compressed(client, home_page):
    client.force_login(UserFactory())

    response = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")

    assert not response.has_header("Content-Encoding")


@pytest.mark.django_db
def test_revisit_of_gzipped_page_is_a_304(client, home_page):
    first = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip")

    again = client.get("/en/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_production_static_files_are_fingerprinted_and_kept_a_year():
    """Hashed names from the manifest storage (WhiteNoise serves those as immutable, cached for years);
    HTML compressed outside the ETag and the page cache."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'storage': s.STORAGES['staticfiles']['BACKEND'], "
        "'gzip': s.MIDDLEWARE.index('cms.http_cache.AnonymousGZipMiddleware') "
        "< s.MIDDLEWARE.index('django.middleware.http.ConditionalGetMiddleware') "
        "< s.MIDDLEWARE.index('cms.cache.PageCacheMiddleware')}))"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)

    assert found == {
        "storage": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "gzip": True,
    }
