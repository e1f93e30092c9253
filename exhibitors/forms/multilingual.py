"""Form fields for the translations of a Multilingual model: one field per text and language (`name_es`).

`with_translations()` builds a form class with those fields declared, so both our plain forms and Wagtail's
admin panels (`FieldPanel("name_es")`) find them; `translations_from()` reads them back into the shape the
models store.
"""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exhibitors.multilingual import language_codes

# Every language's name, marked here so the labels are translated whatever the reader's language.
LANGUAGE_LABELS = {
    "en": pgettext_lazy("language", "English"),
    "es": pgettext_lazy("language", "Spanish"),
    "fr": pgettext_lazy("language", "French"),
    "pt": pgettext_lazy("language", "Portuguese"),
}


def translation_field_name(name: str, language: str) -> str:
    return f"{name}_{language}"


def _translated_label(label, language: str) -> str:
    return _("%(field)s (%(language)s)") % {"field": label, "language": LANGUAGE_LABELS[language]}


# "Name (Spanish)", resolved in the reader's language when the form is shown.
translated_label = lazy(_translated_label, str)


def with_translations(
    base: type,
    *,
    fields: dict,
    languages: list[str] | None = None,
    source_field: str | None = None,
    labels: dict | None = None,
) -> type:
    """`base` with a field per (text, language): `fields` maps a text's name to a function making an
    optional form field for it with the given label. With `source_field` (the form's "written in" field),
    the original's language gets no translation fields."""
    attrs: dict = {
        "translation_texts": tuple(fields),
        "translation_languages": tuple(languages or language_codes()),
        "translation_source_field": source_field,
    }
    for language in attrs["translation_languages"]:
        for name, make in fields.items():
            label = (labels or {}).get(name) or name_label(base, name)
            attrs[translation_field_name(name, language)] = make(label=translated_label(label, language))
    return type(base.__name__, (TranslationsFormMixin, base), attrs)


def name_label(base: type, name: str) -> str:
    declared = getattr(base, "base_fields", {}).get(name)
    if declared is not None and declared.label:
        return declared.label
    model = getattr(getattr(base, "_meta", None), "model", None)
    if model is not None:
        return model._meta.get_field(name).verbose_name
    return name


def other_languages() -> list[str]:
    """Every language but the site's default: the ones staff type beside a name in the default language."""
    return [code for code in language_codes() if code != settings.LANGUAGE_CODE]


class TranslationsFormMixin:
    translation_texts: tuple[str, ...] = ()
    translation_languages: tuple[str, ...] = ()
    translation_source_field: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            for field_name, value in translations_initial(instance.translations).items():
                if field_name in self.fields:
                    self.initial.setdefault(field_name, value)
        source = self.source_language()
        # The original is typed in the main fields; no second place for it.
        self.translation_languages = tuple(code for code in self.translation_languages if code != source)
        for name in self.translation_texts if source else ():
            self.fields.pop(translation_field_name(name, source), None)

    def source_language(self) -> str | None:
        if not self.translation_source_field:
            return None
        if self.is_bound:
            return self.data.get(self.add_prefix(self.translation_source_field)) or None
        value = (
            self.initial.get(self.translation_source_field)
            or self.fields[self.translation_source_field].initial
        )
        instance = getattr(self, "instance", None)
        if value is None and instance is not None:
            value = getattr(instance, self.translation_source_field, None)
        return value

    def clean(self):
        # The per-language fields become one `translations` value, the keyword services take.
        cleaned = super().clean()
        cleaned["translations"] = translations_from(
            cleaned, texts=self.translation_texts, languages=self.translation_languages
        )
        for language in self.translation_languages:
            for name in self.translation_texts:
                cleaned.pop(translation_field_name(name, language), None)
        return cleaned

    def save(self, commit=True):
        # Model forms (Wagtail's admin): the texts go into the instance's `translations` column.
        self.instance.translations = self.cleaned_data.get("translations", {})
        return super().save(commit=commit)


def translations_from(data: dict, *, texts, languages) -> dict[str, dict[str, str]]:
    result: dict[str, dict[str, str]] = {}
    for language in languages:
        kept = {name: (data.get(translation_field_name(name, language)) or "").strip() for name in texts}
        kept = {name: text for name, text in kept.items() if text}
        if kept:
            result[language] = kept
    return result


def translations_initial(translations: dict | None) -> dict[str, str]:
    """The form's starting values for stored translations."""
    return {
        translation_field_name(name, language): text
        for language, texts in (translations or {}).items()
        for name, text in texts.items()
    }


def optional_line(max_length: int):
    return lambda label: forms.CharField(label=label, max_length=max_length, required=False)


def optional_text(rows: int = 4):
    return lambda label: forms.CharField(
        label=label, required=False, widget=forms.Textarea(attrs={"rows": rows})
    )
