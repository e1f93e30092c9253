"""Exhibitor texts in the reader's language: `{% shown booth as texts %}` picks the language (the reader's, or
the original's where theirs is missing), `{% translation_note texts %}` says so and links to the languages the
texts exist in, and `{{ hall|translated:"name" }}` is one name in the reader's language."""

from django import template

from exhibitors.multilingual import (
    Shown,
    current_language,
    language_codes,
    language_local_name,
    language_name,
)

register = template.Library()


@register.simple_tag
def shown(obj) -> Shown | None:
    return obj.shown() if obj is not None else None


@register.filter
def translated(obj, field: str) -> str:
    if obj is None:
        return ""
    return obj.translated(field)


@register.simple_tag
def language_label(code: str) -> str:
    """A language's name in the reader's language, as written mid-sentence ("inglés" when reading Spanish)."""
    return language_name(code)


@register.simple_tag
def language_own_name(code: str) -> str:
    """A language's name in itself ("español"), for a link to it."""
    return language_local_name(code)


@register.inclusion_tag("fair/_translation_note.html", takes_context=True)
def translation_note(context, texts: Shown | None, *anchor_parts) -> dict:
    """ "Shown in Spanish" with links to the same page in the other languages the texts exist in (the page's
    own language links, so they stay plain, cacheable links)."""
    anchor = "".join(str(part) for part in anchor_parts)
    if texts is None:
        return {"texts": None, "links": []}
    links = [
        (code, url + (f"#{anchor}" if anchor else ""))
        for code, _name, url in context.get("feria_language_links", [])
        if code in texts.available and code != current_language()
    ]
    return {"texts": texts, "links": links}


@register.inclusion_tag("exhibitors/_languages_status.html")
def languages_status(obj) -> dict:
    """Which languages an exhibitor's texts are written in, for the editors: the original, the languages
    written in full, and the missing ones."""
    if obj is None or obj.pk is None:
        return {"rows": []}
    written = obj.languages_written()
    rows = [
        {
            "code": code,
            "state": "original"
            if code == obj.source_language
            else "written"
            if code in written
            else "missing",
        }
        for code in language_codes()
    ]
    return {"rows": rows}
