from django.core.exceptions import ValidationError
from django.urls import reverse

from quotes.models import RequestAttachment


def errors_to_form(form, error: ValidationError) -> None:
    """Put a service's refusal on the form's fields (or on the form when no field matches)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def with_urls(attachments: list[RequestAttachment], url_name: str, *args) -> list[RequestAttachment]:
    """Set each attachment's `download_url` (the page's own download route: `url_name` with `args` and the
    attachment's id)."""
    for attachment in attachments:
        attachment.download_url = reverse(url_name, args=[*args, attachment.pk])
    return attachments
