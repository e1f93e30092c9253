"""An instance's main language comes from FERIA_LANGUAGE, read when the database is first migrated."""

import json
import os
import subprocess
import sys

from django.conf import settings

REPORT = """
import json, django
django.setup()
from django.conf import settings
from wagtail.models import Locale, Site
from cms.models import HomePage
home = HomePage.objects.get(depth=2)
print(json.dumps({
    "language_code": settings.LANGUAGE_CODE,
    "locales": list(Locale.objects.order_by("pk").values_list("language_code", flat=True)),
    "default": Locale.get_default().language_code,
    "home": home.locale.language_code,
    "site_root": Site.objects.get(is_default_site=True).root_page.specific.locale.language_code,
}))
"""


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def fresh_instance(tmp_path, language: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "FERIA_LANGUAGE"}
    }
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", FERIA_SQLITE_PATH=str(tmp_path / "fresh.sqlite3"))
    if language:
        env["FERIA_LANGUAGE"] = language
    run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    return json.loads(run(["-c", REPORT], env).stdout)


def test_feria_language_es_makes_spanish_the_default_locale(tmp_path):
    found = fresh_instance(tmp_path, "es")
    assert found["language_code"] == "es"
    # Wagtail's first migration made the default locale; the others exist for translations.
    assert found["locales"][0] == "es"
    assert sorted(found["locales"]) == ["en", "es", "fr", "pt"]
    assert found["default"] == "es"
    assert found["home"] == "es"
    assert found["site_root"] == "es"


def test_unknown_feria_language_is_refused(tmp_path):
    unset = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", FERIA_LANGUAGE="xx")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode != 0
    assert "FERIA_LANGUAGE must be one of en, es, fr, pt" in result.stderr
