"""E-mail leaves through the background task worker, never inside a web request.

A message is rendered where its context is (the request, the recipient's language) and handed to the worker
as plain JSON; the worker makes the SMTP connection. The task is a row in the same database transaction as
the change it announces, so the worker never sees an e-mail about something that was rolled back.
"""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django_tasks import task


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
