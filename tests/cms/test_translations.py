"""Every string the project shows has a Spanish, French and Portuguese translation, and the catalogues reach
the pages.

The strings are extracted fresh from a copy of the project with Django's makemessages (GNU xgettext), the
way `make messages-extract` does, and compared with the committed locale/<language>/LC_MESSAGES/django.po:
templates, Python code and e-mail templates alike. Scripts in static/js/ carry no text of their own beyond
English fallbacks: their texts come from the server (data attributes, the chat socket's `texts`), so each
fallback must be a translated string of the catalogue.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from tests.conftest import service_missing

LANGUAGES = ("es", "fr", "pt")
# The same folders `make messages-extract` leaves out (MESSAGES_IGNORE in the Makefile).
NOT_SCANNED = {".venv", "node_modules", "tests", "build", "staticfiles", "media", "bench", ".git", "locale"}


def catalogue_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def read_catalogue(path: Path, language: str) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=language)


def message_key(message) -> tuple:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return (message.context or "", msgid)


def describe(key: tuple) -> str:
    context, msgid = key
    return f"{msgid!r}" + (f" (context {context!r})" if context else "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    """The project's strings right now, from a throw-away copy of the code."""
    if shutil.which("xgettext") is None or shutil.which("msguniq") is None:
        service_missing("GNU gettext (xgettext) is not installed: apt install gettext")
    copy = tmp_path_factory.mktemp("messages") / "feria"
    base = Path(settings.BASE_DIR)

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in NOT_SCANNED or name.endswith((".sqlite3", ".mo"))}
        if Path(directory) == base:
            skipped |= {name for name in names if name.startswith("db.sqlite3")}
        return skipped

    shutil.copytree(base, copy, ignore=ignore, symlinks=True)
    (copy / "locale").mkdir()
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="cms.settings.dev", FERIA_SQLITE_PATH=str(copy / "unused.sqlite3"))
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--add-location=file"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return read_catalogue(catalogue_path(copy, "es"), "es")


def test_extraction_finds_the_project_strings(extracted):
    keys = {message_key(message) for message in extracted if message.id}
    # One string from a template, one from Python code, one from an app's enum.
    assert ("", "Skip to content") in keys
    assert ("", "introduction") in keys
    assert ("", "Pending review") in keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_translates_every_string(extracted, language):
    committed = read_catalogue(catalogue_path(Path(settings.BASE_DIR), language), language)
    translated = {}
    for message in committed:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        translated[message_key(message)] = (all(strings), message.fuzzy)
    missing, fuzzy = [], []
    for message in extracted:
        if not message.id:
            continue
        key = message_key(message)
        done, is_fuzzy = translated.get(key, (False, False))
        if is_fuzzy:
            fuzzy.append(describe(key))
        elif not done:
            missing.append(describe(key))
    report = []
    if missing:
        report.append(f"{len(missing)} string(s) without a translation:\n  " + "\n  ".join(missing))
    if fuzzy:
        report.append(f"{len(fuzzy)} fuzzy translation(s):\n  " + "\n  ".join(fuzzy))
    assert not report, (
        f"Run `make messages-extract`, then translate locale/{language}/LC_MESSAGES/django.po.\n"
        + "\n".join(report)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_catalogue_has_no_empty_or_fuzzy_entry(language):
    """Without gettext too: every entry of the committed catalogue is translated and none is fuzzy."""
    catalogue = read_catalogue(catalogue_path(Path(settings.BASE_DIR), language), language)
    empty, fuzzy = [], []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            fuzzy.append(describe(message_key(message)))
        elif not all(strings):
            empty.append(describe(message_key(message)))
    assert not empty and not fuzzy, f"{language}: empty {empty}, fuzzy {fuzzy}"


JS_FALLBACK = re.compile(r"^\s+(\w+): \"((?:[^\"\\]|\\.)+)\",?$", re.MULTILINE)


def test_script_texts_are_translated_strings():
    """chat.js's English fallbacks are the msgids the server sends translated (fair/chat `texts`)."""
    script = (Path(settings.BASE_DIR) / "static" / "js" / "chat.js").read_text()
    block = script[script.index("var texts = {") : script.index("};", script.index("var texts = {"))]
    fallbacks = [text for _, text in JS_FALLBACK.findall(block)]
    assert fallbacks
    for language in LANGUAGES:
        catalogue = read_catalogue(catalogue_path(Path(settings.BASE_DIR), language), language)
        for text in fallbacks:
            message = catalogue.get(text)
            assert message is not None and message.string and not message.fuzzy, (language, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_exists_for_each_language(language):
    path = catalogue_path(Path(settings.BASE_DIR), language)
    assert path.is_file()
    catalogue = read_catalogue(path, language)
    assert str(catalogue.locale) == language
    assert catalogue.mime_headers and dict(catalogue.mime_headers)["Language"] == language
    assert len([message for message in catalogue if message.id]) > 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_committed_translations_reach_gettext(db, language):
    call_command("compile_translations", verbosity=0)
    catalogue = read_catalogue(catalogue_path(Path(settings.BASE_DIR), language), language)
    with translation.override(language):
        for message in catalogue:
            if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
                if message.context:
                    assert translation.pgettext(message.context, message.id) == message.string
                else:
                    assert translation.gettext(message.id) == message.string


def test_french_page_shows_french(client, home_page):
    call_command("compile_translations", verbosity=0)
    response = client.get("/fr/accounts/login/")
    assert response.status_code == 200
    assert b'<html lang="fr">' in response.content
    assert "Mot de passe" in response.content.decode()
    english = client.get("/en/accounts/login/").content.decode()
    assert "Mot de passe" not in english


def test_project_catalogue_is_compiled_and_wins_over_libraries(client, home_page, settings, tmp_path):
    """End to end: a .po under LOCALE_PATHS, compiled by compile_translations, shown on a page."""
    messages = tmp_path / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    catalogue = Catalog(locale="fr")
    catalogue.add("Skip to content", "Aller au contenu")
    catalogue.add("Sign in", "S’identifier ici")
    with open(messages / "django.po", "wb") as handle:
        write_po(handle, catalogue)
    settings.LOCALE_PATHS = [tmp_path]

    call_command("compile_translations", verbosity=0)

    assert (messages / "django.mo").is_file()
    page = client.get("/fr/").content.decode()
    assert "Aller au contenu" in page
    assert "S’identifier ici" in page
    assert "Skip to content" not in page
