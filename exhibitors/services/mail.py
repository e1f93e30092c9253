"""E-mail leaves through the background task worker, never inside a web request.

A message is rendered where its context is (the request, the recipient's language) and handed to the worker
as plain JSON; the worker makes the SMTP connection. The task is a row in the same database transaction as
the change it announces, so the worker never sees an e-mail about something that was rolled back.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task

# Where the chamber's name comes from; the site package registers it (cms.apps), as this app cannot read
# the chamber's settings itself.
_chamber_name_source: Callable[[], str] | None = None


def chamber_name_source_register(source: Callable[[], str]) -> None:
    """Tell e-mails where to read the chamber's name (called once at start-up by the site package)."""
    global _chamber_name_source
    _chamber_name_source = source


def chamber_name() -> str:
    """The name e-mails are signed with: the chamber's, else the site's configured name."""
    name = _chamber_name_source() if _chamber_name_source is not None else ""
    return name or settings.WAGTAIL_SITE_NAME


def site_url(path: str = "/") -> str:
    """An absolute link for an e-mail: the configured public origin (FERIA_SITE_URL) and `path`."""
    return settings.FERIA_SITE_URL.rstrip("/") + path


def site_url_rebase(url: str) -> str:
    """The same link under the configured public origin, whatever host built it (e.g. the request's)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    if parts.fragment:
        path += "#" + parts.fragment
    return site_url(path)


@task()
def email_deliver(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    html: str | None = None,
    headers: dict[str, str] | None = None,
) -> int:
    """Send one rendered e-mail (runs in the task worker); returns the number sent."""
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def email_enqueue(message: EmailMessage) -> None:
    """Queue a rendered message for the task worker."""
    if message.content_subtype == "html":
        body, html = "", message.body
    else:
        body = message.body
        html = next(
            (
                content
                for content, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            None,
        )
    payload = {
        "subject": message.subject,
        "body": body,
        "from_email": message.from_email,
        "to": list(message.to),
        "html": html,
        "headers": {str(key): str(value) for key, value in message.extra_headers.items()},
    }
    email_deliver.enqueue(**payload)
