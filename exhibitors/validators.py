import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from exhibitors.integers import is_ascii_digits


def validate_hs_code(value: str) -> None:
    from exhibitors.hs import hs_is_subheading

    if not is_ascii_digits(value, 6):
        raise ValidationError(_("An HS code has exactly 6 digits."), code="hs_format")
    if not hs_is_subheading(value):
        raise ValidationError(
            _("%(code)s is not a subheading of the HS 2022 nomenclature."),
            code="hs_unknown",
            params={"code": value},
        )


def _breaks_lines(character: str) -> bool:
    # Cc: control characters (CR, LF, tab, NUL, ESC, DEL, C1 controls); Zl/Zp: line and paragraph separators.
    return unicodedata.category(character) in ("Cc", "Zl", "Zp")


def validate_single_line(value: str) -> None:
    """Refuse line breaks and other control characters in a one-line text (a name, a title): printed in an
    e-mail, they would start lines the sender never wrote."""
    if isinstance(value, str) and any(_breaks_lines(character) for character in value):
        raise ValidationError(
            _("Write this on a single line, without line breaks, tabs or other control characters."),
            code="single_line",
        )


class SingleLineFieldsMixin:
    """For forms: every text field drawn as a one-line input refuses control characters
    (validate_single_line). Text areas keep their line breaks."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django import forms

        for field in self.fields.values():
            if isinstance(field, forms.CharField) and isinstance(field.widget, forms.TextInput):
                field.validators.append(validate_single_line)
