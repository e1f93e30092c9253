from django import forms
from django.utils.translation import gettext_lazy as _

MAX_RECEIPT_BYTES = 64 * 1024


class ReceiptCheckForm(forms.Form):
    receipt = forms.CharField(
        label=_("Receipt"),
        required=False,
        max_length=MAX_RECEIPT_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Paste the receipt's text, or choose the file below."),
    )
    receipt_file = forms.FileField(label=_("Receipt file"), required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("receipt_file")
        if upload is not None:
            if upload.size > MAX_RECEIPT_BYTES:
                raise forms.ValidationError(_("This file is too large to be a receipt."))
            try:
                cleaned["receipt"] = upload.read().decode("utf-8")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("This file is not a receipt.")) from error
        if not (cleaned.get("receipt") or "").strip():
            raise forms.ValidationError(_("Paste a receipt or choose its file."))
        return cleaned
