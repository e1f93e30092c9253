"""Forms for meetings. Times are typed in the fair's time zone (said next to each field) and turned into
instants here; a wall-clock time the clocks skip is refused with a clear message."""

import zoneinfo
from datetime import datetime, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import Weekday
from fair.meetings.models import AGENDA_MAX_LENGTH, REASON_MAX_LENGTH
from fair.meetings.selectors.days import wall_clock
from fair.meetings.services.slots import MAX_MINUTES, MIN_MINUTES

ANYONE = ""


def _staff_field(members) -> forms.ChoiceField:
    choices = [(ANYONE, _("Anyone from the company"))] + [(str(member.pk), str(member)) for member in members]
    return forms.ChoiceField(label=_("With"), choices=choices, required=False)


class _FairTimeMixin:
    """Reads a day and two wall-clock times in the fair's zone into (starts_at, ends_at)."""

    def _instants(self, day, start, end) -> tuple[datetime, datetime] | None:
        zone = zoneinfo.ZoneInfo(self.fair.time_zone)
        if end <= start:
            self.add_error("end_time", _("The end must be after the start."))
            return None
        starts_at = wall_clock(day, start, zone)
        ends_at = wall_clock(day, end, zone)
        if starts_at is None or ends_at is None:
            self.add_error(
                "start_time" if starts_at is None else "end_time",
                _("The clocks skip this time on that day (summer time begins). Choose another time."),
            )
            return None
        return starts_at, ends_at


class SlotForm(_FairTimeMixin, forms.Form):
    staff = forms.ChoiceField(label=_("With"), required=False)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, fair, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair = fair
        self.members = {str(member.pk): member for member in members}
        self.fields["staff"] = _staff_field(members)
        self.fields["start_time"].help_text = _("In the fair's time zone (%(zone)s).") % {
            "zone": fair.time_zone
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        instants = self._instants(data["day"], data["start_time"], data["end_time"])
        if instants:
            data["starts_at"], data["ends_at"] = instants
        data["staff_user"] = self.members.get(data.get("staff") or ANYONE)
        return data


class AvailabilityForm(_FairTimeMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, *args, fair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair = fair
        self.fields["start_time"].help_text = _("In the fair's time zone (%(zone)s).") % {
            "zone": fair.time_zone
        }

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        instants = self._instants(data["day"], data["start_time"], data["end_time"])
        if instants:
            data["starts_at"], data["ends_at"] = instants
        return data


class PatternForm(forms.Form):
    """A weekly pattern: "Tue–Thu 9:00–12:00, 30 min, 5 min breaks", in the fair's zone."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"), choices=Weekday.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    day_start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    day_end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label=_("Meeting length (minutes)"), min_value=MIN_MINUTES, max_value=MAX_MINUTES
    )
    break_minutes = forms.IntegerField(
        label=_("Break between meetings (minutes)"), min_value=0, max_value=120
    )

    def __init__(self, *args, fair, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fair = fair
        self.fields["day_start"].help_text = _("In the fair's time zone (%(zone)s).") % {
            "zone": fair.time_zone
        }
        self.members = None
        if members is not None:
            self.members = {str(member.pk): member for member in members}
            self.fields = {"staff": _staff_field(members), **self.fields}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["day_end"] <= data["day_start"]:
            self.add_error("day_end", _("The end must be after the start."))
        elif datetime.combine(datetime.min, data["day_start"]) + timedelta(
            minutes=data["minutes"]
        ) > datetime.combine(datetime.min, data["day_end"]):
            self.add_error("minutes", _("No meeting of this length fits between these times."))
        if self.members is not None:
            data["staff_user"] = self.members.get(data.get("staff") or ANYONE)
        return data

    def pattern(self) -> dict:
        data = self.cleaned_data
        return {
            "weekdays": data["weekdays"],
            "day_start": data["day_start"],
            "day_end": data["day_end"],
            "minutes": data["minutes"],
            "break_minutes": data["break_minutes"],
        }


class RequestForm(forms.Form):
    agenda = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example the products you want to buy, volumes and delivery."),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    volumes = forms.CharField(label=_("Volumes"), max_length=200, required=False)

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = products
        if not products.exists():
            del self.fields["products"]


class CompanyRequestForm(forms.Form):
    company = forms.ModelChoiceField(label=_("For"), queryset=None, empty_label=None)
    agenda = forms.CharField(
        label=_("What would you like to discuss?"),
        max_length=AGENDA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, companies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class AcceptForm(forms.Form):
    external_link = forms.URLField(
        label=_("Your own meeting link (optional)"),
        required=False,
        assume_scheme="https",
        help_text=_("Leave empty to meet on this site."),
    )


class SlotSelect(forms.Select):
    """A select of slots whose options carry their start and end (ISO 8601) for the time picker."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        slot = getattr(value, "instance", None)
        if slot is not None:
            option["attrs"]["data-start"] = slot.starts_at.isoformat()
            option["attrs"]["data-end"] = slot.ends_at.isoformat()
            if slot.staff_id:
                option["attrs"]["data-note"] = str(slot.staff)
        return option


class ProposeForm(forms.Form):
    slot = forms.ModelChoiceField(label=_("Another slot"), queryset=None, empty_label=None, widget=SlotSelect)
    note = forms.CharField(label=_("Note"), max_length=REASON_MAX_LENGTH, required=False)

    def __init__(self, *args, slots, label_from_instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].label_from_instance = label_from_instance
