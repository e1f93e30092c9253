"""The fair page's editor form: every date and time staff type is in the fair's own time zone.

The database keeps instants (aware datetimes in UTC). The editor shows each one as a wall-clock time in
the fair's zone, names that zone beside the field, and reads what staff type back in that zone, so "09:00"
on a fair in America/Lima is 09:00 in Lima whatever the staff member's own zone is. Public pages and
e-mails then show the instant in each reader's zone.

When staff change the fair's zone, the form asks what the change means: keep the times as written (09:00 stays
09:00, now in the new zone: the moments move) or keep the moments (the times are shown converted to the new
zone).

A local time that does not exist in the zone (skipped when clocks go forward) or that happens twice (when
clocks go back) is refused with an error saying so; nothing is guessed.
"""

import datetime
import zoneinfo

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

# Every date-time of a fair page that staff type: the fair's dates and Wagtail's scheduled publishing.
ZONED_FIELDS = (
    "applications_open_at",
    "applications_close_at",
    "starts_at",
    "ends_at",
    "go_live_at",
    "expire_at",
)


class ZoneSelect(forms.Select):
    """The time-zone list, rendered in Python. Through the template engine its ~600 options (rendered twice:
    in the form and in the editor's client-side panel definitions) were most of the time the editor took."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}

        def options(choices) -> str:
            return "".join(
                f'<option value="{escape(key)}"{" selected" if str(key) in selected else ""}>'
                f"{escape(label)}</option>"
                for key, label in choices
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, list | tuple):
                parts.append(f'<optgroup label="{escape(key)}">{options(label)}</optgroup>')
            else:
                parts.append(options([(key, label)]))
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe("".join(parts)))


class ZoneChange(models.TextChoices):
    WALL_CLOCK = "wall_clock", _("Keep the times as written: they now mean those times in the new zone")
    INSTANTS = "instants", _("Keep the same moments: the times are converted to the new zone")


def zone_or_none(name) -> zoneinfo.ZoneInfo | None:
    if not name or not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def zone_label(zone: zoneinfo.ZoneInfo, *, at: datetime.datetime | None = None) -> str:
    """ "America/Lima (UTC−05:00)": the zone's name and its offset now (or at a given moment)."""
    offset = (at or timezone.now()).astimezone(zone).strftime("%z")
    sign = "+" if offset[0] == "+" else "−"
    return f"{zone.key} (UTC{sign}{offset[1:3]}:{offset[3:5]})"


def make_zoned(naive: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The instant a wall-clock time means in a zone; refuses a time the clocks skip or repeat there."""
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    shown = formats.date_format(naive, "DATETIME_FORMAT")
    params = {"when": shown, "zone": zone.key}
    round_trip = first.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise forms.ValidationError(
            _(
                "%(when)s does not exist in %(zone)s: the clocks go forward that night and skip it. "
                "Enter a time before or after the change."
            ),
            code="nonexistent_time",
            params=params,
        )
    raise forms.ValidationError(
        _(
            "%(when)s happens twice in %(zone)s: the clocks go back that night and repeat it. "
            "Enter a time before or after the repeated hour."
        ),
        code="ambiguous_time",
        params=params,
    )


class ZonedDateTimeField(forms.DateTimeField):
    """A date and time typed and shown in a given zone (the fair's), whatever the viewer's own zone is."""

    def __init__(self, *, zone: zoneinfo.ZoneInfo, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return value.astimezone(self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            naive = value
        elif isinstance(value, datetime.date):
            naive = datetime.datetime(value.year, value.month, value.day)
        else:
            try:
                naive = parse_datetime(str(value).strip())
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
            if naive is None:
                # Localized input formats (strptime), without the parent's conversion to the viewer's zone.
                naive = forms.fields.BaseTemporalField.to_python(self, value)
        if timezone.is_aware(naive):
            return naive
        return make_zoned(naive, self.zone)


class FairPageForm(WagtailAdminPageForm):
    """The fair page's editor: dates in the fair's zone, and a choice of meaning when that zone changes."""

    zone_change = forms.ChoiceField(
        label=_("When the time zone changes"),
        choices=ZoneChange.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Asked only when you choose another time zone for a fair that already has dates."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.saved_zone = zone_or_none(self.instance.time_zone) if self.instance.pk else None
        if self.saved_zone is None:
            self.fields.pop("zone_change", None)
        self.entry_zone = self.zone_for_entry()
        for name in ZONED_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            self.fields[name] = ZonedDateTimeField(
                zone=self.entry_zone,
                required=field.required,
                label=field.label,
                widget=field.widget,
                initial=field.initial,
                disabled=field.disabled,
                help_text=self.zone_help_text(),
            )

    def raw(self, name: str) -> str:
        return self.data.get(self.add_prefix(name), "") if self.is_bound else ""

    def zone_for_entry(self) -> zoneinfo.ZoneInfo:
        """The zone the date fields are shown in and read back in."""
        saved = self.saved_zone
        typed = zone_or_none(self.raw("time_zone")) if self.is_bound else None
        if saved is None:
            # A new fair: the zone chosen on the same form (UTC, the field's default, until one is chosen).
            return typed or zone_or_none(self.instance.time_zone) or zoneinfo.ZoneInfo("UTC")
        if typed is None or typed.key == saved.key:
            return saved
        if self.raw("zone_change") == ZoneChange.WALL_CLOCK:
            return typed
        # Keeping the moments: the times were shown in the saved zone, so they are read back in it.
        return saved

    def zone_help_text(self) -> str:
        if self.saved_zone is None and not self.is_bound:
            return _("In the fair's time zone (the “Time zone” field above).")
        return _("In the fair's time zone: %(zone)s.") % {"zone": zone_label(self.entry_zone)}

    def clean(self):
        cleaned_data = super().clean()
        new_zone = cleaned_data.get("time_zone")
        if self.saved_zone is not None and new_zone and new_zone != self.saved_zone.key:
            if cleaned_data.get("zone_change") not in ZoneChange.values:
                self.add_error(
                    "zone_change",
                    forms.ValidationError(
                        _(
                            "The time zone changes from %(old)s to %(new)s: choose whether the fair keeps "
                            "its times as written or its moments."
                        ),
                        code="zone_change_required",
                        params={"old": self.saved_zone.key, "new": new_zone},
                    ),
                )
        return cleaned_data
