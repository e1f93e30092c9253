"""Forms of the chat pages (the plain-HTML way to send, report and block; the socket does the same live)."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fair.chat.models import CLIENT_ID_MAX_LENGTH, MESSAGE_MAX_LENGTH

REPORT_REASON_MAX_LENGTH = 1000


class SendForm(forms.Form):
    """A message from the conversation page. The client id is made when the page is drawn, so sending the
    same form twice (a double click, a resubmitted POST) stores one message."""

    body = forms.CharField(
        label=_("Your message"),
        strip=False,  # the service trims; the person's text comes back as typed if it is refused
        required=False,  # the service says what is wrong with an empty message, as the socket does
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    client_id = forms.CharField(
        max_length=CLIENT_ID_MAX_LENGTH, widget=forms.HiddenInput, required=False, strip=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Even when a refused form comes back, a fresh id: the refused text was not stored under the old one.
        self.fresh_client_id = str(uuid.uuid4())


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this message?"),
        max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": REPORT_REASON_MAX_LENGTH}),
        error_messages={"required": _("Say briefly what is wrong with this message.")},
    )
