"""A file field taking several files at once (complaints' evidence, a request's attachments). It only
collects the uploads; the checks of exhibitors/uploads.py run in the service, before anything is written."""

from django import forms

from exhibitors.uploads import IMAGE_ACCEPT, PDF_ACCEPT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": f"{PDF_ACCEPT},{IMAGE_ACCEPT}"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
