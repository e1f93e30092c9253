from django import forms
from django.utils.translation import gettext_lazy as _

from fair.leads.enums import LeadSource, LeadStage
from fair.leads.services import NOTE_MAX_LENGTH, TAG_MAX_LENGTH


class LeadFilterForm(forms.Form):
    """The list's filters (GET); an unknown value is ignored rather than refused."""

    fair = forms.TypedChoiceField(label=_("Fair"), required=False, coerce=int, empty_value=None)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    source = forms.ChoiceField(label=_("Source"), required=False)

    def __init__(self, *args, fairs=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["fair"].choices = every + [(fair.pk, fair.title) for fair in fairs]
        self.fields["stage"].choices = every + list(LeadStage.choices)
        self.fields["tag"].choices = every + [(tag.pk, tag.name) for tag in tags]
        self.fields["source"].choices = every + list(LeadSource.choices)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=LeadStage.choices)


class TagForm(forms.Form):
    name = forms.CharField(label=_("Tag"), max_length=TAG_MAX_LENGTH)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class ShareCardForm(forms.Form):
    """The buyer's one checkbox: share my contact details with this company (unticked: stop sharing)."""

    share = forms.BooleanField(required=False)
