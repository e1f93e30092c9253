"""E-mail alerts for chat messages nobody read in time (run every minute by cms.periodic's "chat_alerts").

If no member of the company has read a buyer's message within FERIA_CHAT_ALERT_MINUTES (default 10), each
member gets one e-mail for that unanswered spell; a buyer gets one for the company's answers they have not
read within the same delay. Each e-mail is rendered in its recipient's preferred language and queued for the
task worker (exhibitors.mail.email_enqueue) in the same transaction that records the alert, so a spell is
e-mailed once even if two runs overlap, and never from inside a web request.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from exhibitors.models import User
from exhibitors.services.mail import email_enqueue, site_url
from fair.chat.enums import Side
from fair.chat.models import Conversation
from fair.chat.selectors.alerts import AlertDue, buyer_alerts_due, staff_alerts_due, unread_messages_for_alert
from fair.chat.services.alerts import buyer_alert_claim, staff_alert_claim

logger = logging.getLogger(__name__)

DEFAULT_ALERT_MINUTES = 10


def alert_delay() -> timedelta:
    return timedelta(minutes=getattr(settings, "FERIA_CHAT_ALERT_MINUTES", DEFAULT_ALERT_MINUTES))


def _alert_email(*, recipient: User, template: str, context: dict) -> EmailMessage:
    """One e-mail in the recipient's language (the Content-Language header says which)."""
    with translation.override(recipient.preferred_language):
        language = translation.get_language()
        context = {
            **context,
            "recipient": recipient,
            "conversation_url": site_url(reverse("chat:conversation", args=[context["conversation"].pk])),
            "inbox_url": site_url(reverse("chat:inbox")),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string(f"chat/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"chat/emails/{template}.txt", context)
    return EmailMessage(
        subject=subject, body=body, to=[recipient.email], headers={"Content-Language": language}
    )


def _conversation(conversation_id: int) -> Conversation:
    return Conversation.objects.select_related("buyer", "company", "started_from__fair").get(
        pk=conversation_id
    )


def _staff_alert(due: AlertDue) -> int:
    with transaction.atomic():
        if not staff_alert_claim(
            conversation_id=due.conversation_id, previous_id=due.previous_alerted_id, up_to_id=due.up_to_id
        ):
            return 0
        conversation = _conversation(due.conversation_id)
        unread = unread_messages_for_alert(
            conversation=conversation, side=Side.BUYER, after_id=due.read_mark, up_to_id=due.up_to_id
        )
        members = User.objects.filter(
            memberships__company_id=conversation.company_id, is_active=True
        ).distinct()
        sent = 0
        for member in members.order_by("pk"):
            email_enqueue(
                _alert_email(
                    recipient=member,
                    template="staff_alert",
                    context={"conversation": conversation, "unread": unread, "company": conversation.company},
                )
            )
            sent += 1
        return sent


def _buyer_alert(due: AlertDue) -> int:
    with transaction.atomic():
        conversation = _conversation(due.conversation_id)
        if not buyer_alert_claim(
            conversation_id=conversation.pk,
            buyer_id=conversation.buyer_id,
            previous_id=due.previous_alerted_id,
            up_to_id=due.up_to_id,
        ):
            return 0
        buyer = conversation.buyer
        if not buyer.is_active:
            return 0
        unread = unread_messages_for_alert(
            conversation=conversation, side=Side.COMPANY, after_id=due.read_mark, up_to_id=due.up_to_id
        )
        email_enqueue(
            _alert_email(
                recipient=buyer,
                template="buyer_alert",
                context={"conversation": conversation, "unread": unread, "company": conversation.company},
            )
        )
        return 1


def chat_alerts_send(*, now=None) -> dict[str, int]:
    """Queue the alert e-mails that are due; returns how many went to staff and to buyers."""
    cutoff = (now or timezone.now()) - alert_delay()
    counts = {"staff": 0, "buyers": 0}
    for due in staff_alerts_due(cutoff=cutoff):
        counts["staff"] += _staff_alert(due)
    for due in buyer_alerts_due(cutoff=cutoff):
        counts["buyers"] += _buyer_alert(due)
    if counts["staff"] or counts["buyers"]:
        logger.info("chat alerts queued: %(staff)d to staff, %(buyers)d to buyers", counts)
    return counts
