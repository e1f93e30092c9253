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
