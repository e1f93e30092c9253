"""Texts written in several languages: the original stays in its own column, the others beside it.

A model that mixes in `Multilingual` keeps each translated field (`name`, `description`…) as it was: that
column holds the text in the model's own language (the exhibitor's `language`, or the site's default language
for names staff type), so `product.name` is always the original. The other languages live in one JSON column
on the same row, `translations = {"es": {"name": "…", "description": "…"}, …}`: reading a translation never
costs a query, and a list page stays within its query budget. docs/architecture.md says why.
"""

from dataclasses import dataclass, field

from babel import Locale as BabelLocale
from babel import UnknownLocaleError
from django.conf import settings
from django.db import models
from django.utils.translation import get_language, get_language_info, to_locale
from django.utils.translation import gettext_lazy as _


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    """The language's name in the active language, as written mid-sentence ("Spanish", "espagnol")."""
    try:
        return BabelLocale.parse(to_locale(current_language())).languages.get(code) or code
    except (UnknownLocaleError, ValueError):
        return get_language_info(code)["name_translated"]


def language_local_name(code: str) -> str:
    """The language's name in itself ("español"), for links to it."""
    return get_language_info(code)["name_local"]


def current_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in language_codes() else settings.LANGUAGE_CODE


def translations_field() -> models.JSONField:
    return models.JSONField(_("translations"), default=dict, blank=True)


def translations_clean(
    translations: dict | None, *, fields: tuple[str, ...], source_language: str
) -> dict[str, dict[str, str]]:
    """Keep known languages (not the original's) and fields, with their texts stripped; drop empty ones."""
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in (translations or {}).items():
        if language not in language_codes() or language == source_language or not isinstance(texts, dict):
            continue
        kept = {name: str(texts.get(name) or "").strip() for name in fields}
        kept = {name: text for name, text in kept.items() if text}
        if kept:
            cleaned[language] = kept
    return cleaned


@dataclass(frozen=True)
class Shown:
    """The texts of one object as a reader sees them: in `language`, which is the reader's own unless
    `fallback` (then it is the original's), with the other languages it exists in."""

    texts: dict[str, str]
    language: str
    fallback: bool
    available: list[str] = field(default_factory=list)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    def __getitem__(self, name: str) -> str:
        return self.texts[name]


class Multilingual(models.Model):
    """Mix in with a `translations` column, `translated_fields` and `source_language_field` (or a fixed
    `source_language`)."""

    translated_fields: tuple[str, ...] = ()
    source_language_field: str | None = "language"

    class Meta:
        abstract = True

    @property
    def source_language(self) -> str:
        if self.source_language_field:
            return getattr(self, self.source_language_field) or settings.LANGUAGE_CODE
        return settings.LANGUAGE_CODE

    def text_in(self, name: str, language: str) -> str:
        """The field's text in that language, "" if not written in it."""
        if language == self.source_language:
            return getattr(self, name) or ""
        return ((self.translations or {}).get(language) or {}).get(name, "")

    def written_in(self, language: str) -> bool:
        """Every field the original has is written in this language too (an empty original needs nothing)."""
        originals = [name for name in self.translated_fields if getattr(self, name)]
        if language == self.source_language:
            return bool(originals)
        return bool(originals) and all(self.text_in(name, language) for name in originals)

    def languages_written(self) -> list[str]:
        return [code for code in language_codes() if self.written_in(code)]

    def languages_missing(self) -> list[str]:
        written = self.languages_written()
        return [code for code in language_codes() if code not in written]

    def shown(self, language: str | None = None) -> Shown:
        """The texts in the reader's language when written in it whole, else the original's."""
        language = language or current_language()
        chosen = language if self.written_in(language) else self.source_language
        texts = {name: self.text_in(name, chosen) for name in self.translated_fields}
        available = [code for code in self.languages_written() if code != chosen]
        return Shown(texts=texts, language=chosen, fallback=chosen != language, available=available)

    def translated(self, name: str, language: str | None = None) -> str:
        """One field in the reader's language, falling back to the original: for names in lists."""
        return self.text_in(name, language or current_language()) or getattr(self, name)

    def search_translations(self) -> str:
        """Every translation's text, for the search index (the originals are indexed by their own fields)."""
        return "\n".join(
            text for texts in (self.translations or {}).values() for text in texts.values() if text
        )
