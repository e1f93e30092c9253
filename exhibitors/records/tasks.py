"""The daily check of the record log (registered in cms/periodic.py)."""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from exhibitors.models import User
from exhibitors.records.selectors import records_verify
from exhibitors.records.services import record_anchor_today
from exhibitors.services.mail import email_enqueue

logger = logging.getLogger("feria.records")


def records_daily() -> bool:
    """Verify the chain; when it holds, publish today's head, else e-mail every active administrator
    (superuser) in their language. Returns whether the chain held."""
    result = records_verify()
    if result.ok:
        record_anchor_today()
        return True
    logger.error("Record log broken at entry %s: %s", result.broken_position, result.reason)
    for admin in User.objects.filter(is_superuser=True, is_active=True).exclude(email=""):
        with translation.override(admin.preferred_language or settings.LANGUAGE_CODE):
            language = translation.get_language()
            body = _(
                "The daily check of the record log found a broken link at entry %(position)s: %(reason)s.\n\n"
                "Run `manage.py verify_records` on the server to see it again, and compare the log with the "
                "chain heads published on the verification page."
            ) % {"position": result.broken_position, "reason": result.reason}
            email_enqueue(
                EmailMessage(
                    subject=_("Record log verification failed"),
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[admin.email],
                    headers={"Content-Language": language},
                )
            )
    return False
