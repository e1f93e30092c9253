"""E-mails about requests and quotes, each in its recipient's language and time zone, queued for the worker
(exhibitors.services.mail.email_enqueue)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from exhibitors.models import User
from exhibitors.services.mail import email_enqueue, site_url
from quotes.models import Quote, QuoteRequest


def _send(*, person: User, template: str, context: dict) -> None:
    with translation.override(person.preferred_language), timezone.override(person.time_zone or "UTC"):
        language = translation.get_language()
        context = context | {"person": person, "site_name": settings.WAGTAIL_SITE_NAME, "language": language}
        subject = " ".join(render_to_string(f"quotes/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"quotes/emails/{template}.txt", context)
        email_enqueue(
            EmailMessage(
                subject=subject, body=body, to=[person.email], headers={"Content-Language": language}
            )
        )


def _members(company_id: int) -> list[User]:
    return list(User.objects.filter(memberships__company_id=company_id, is_active=True).distinct())


def request_notify(*, request_id: int) -> int:
    """Tell each receiving company's members about a new request (the buyer anonymous, the reasons)."""
    from quotes.selectors.matching import reasons_text

    request = QuoteRequest.objects.filter(pk=request_id).first()
    if request is None:
        return 0
    sent = 0
    for recipient in request.recipients.select_related("company"):
        url = site_url(reverse("quotes:company_request", args=[recipient.company_id, request.pk]))
        for person in _members(recipient.company_id):
            with translation.override(person.preferred_language):
                reasons = reasons_text(recipient.reasons)
            _send(
                person=person,
                template="new_request",
                context={"request": request, "company": recipient.company, "reasons": reasons, "url": url},
            )
            sent += 1
    return sent


def quote_notify(*, quote_id: int) -> int:
    """Tell the buyer a new quote arrived."""
    quote = Quote.objects.select_related("request__buyer", "company").filter(pk=quote_id).first()
    if quote is None or not quote.request.buyer.is_active:
        return 0
    url = site_url(reverse("quotes:request_detail", args=[quote.request_id]))
    _send(person=quote.request.buyer, template="new_quote", context={"quote": quote, "url": url})
    return 1


def decision_notify(*, quote_id: int) -> int:
    """Tell the company's members the buyer accepted or declined their quote (with the reason)."""
    quote = Quote.objects.select_related("request", "company").filter(pk=quote_id).first()
    if quote is None:
        return 0
    url = site_url(reverse("quotes:company_request", args=[quote.company_id, quote.request_id]))
    people = _members(quote.company_id)
    for person in people:
        _send(person=person, template="decision", context={"quote": quote, "url": url})
    return len(people)
