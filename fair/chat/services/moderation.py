"""Writes of chat moderation: reports from participants, and what the chamber's moderators do about them
(hide a message, sanction or unblock a person, dismiss a report). Each action is in Wagtail's log."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from fair.chat.broadcast import broadcast as _broadcast
from fair.chat.enums import ReportStatus, SanctionKind
from fair.chat.groups import user_group
from fair.chat.models import ChatSanction, Message, MessageReport
from fair.chat.selectors.conversations import side_of
from fair.chat.services.conversations import message_event, message_groups


def message_report(*, message: Message, reporter, reason: str) -> MessageReport:
    """A participant reports a message to the chamber's moderators (once per person and message)."""
    if side_of(user=reporter, conversation=message.conversation) is None:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say briefly what is wrong with this message."), code="empty")
    if len(reason) > 1000:
        raise ValidationError(_("Keep the reason under 1,000 characters."), code="too_long")
    report, created = MessageReport.objects.get_or_create(
        message=message, reporter=reporter, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError(_("You have already reported this message."), code="duplicate")
    return report


def _close_report(report: MessageReport | None, *, moderator, status: str, resolution: str) -> None:
    if report is None or report.status != ReportStatus.OPEN:
        return
    report.status = status
    report.handled_by = moderator
    report.handled_at = timezone.now()
    report.resolution = resolution
    report.save(update_fields=["status", "handled_by", "handled_at", "resolution"])


@transaction.atomic
def message_hide(*, message: Message, moderator, reason: str, report: MessageReport | None = None) -> None:
    """A moderator hides a message: it keeps its place, loses its content for everyone. Audit-logged, and the
    hidden state is broadcast after commit so open pages update."""
    if message.hidden_at is None:
        message.hidden_at = timezone.now()
        message.hidden_by = moderator
        message.save(update_fields=["hidden_at", "hidden_by"])
        log(instance=message, action="chat.message_hidden", user=moderator, data={"reason": reason})
        event = message_event(message.conversation, message)
        groups = message_groups(message.conversation)
        transaction.on_commit(lambda: _broadcast(groups, event))
    _close_report(report, moderator=moderator, status=ReportStatus.ACTIONED, resolution=reason)


@transaction.atomic
def user_sanction(
    *, user, moderator, kind: str, reason: str, report: MessageReport | None = None
) -> ChatSanction:
    """Warn or block a person (SanctionKind). Audit-logged; a block applies from their next frame or page."""
    if not (reason or "").strip():
        raise ValidationError(_("Give a reason; the person is told it."), code="empty")
    sanction = ChatSanction.objects.create(
        user=user, kind=kind, reason=reason, report=report, created_by=moderator
    )
    log(
        instance=sanction,
        action=f"chat.user_{kind}",
        user=moderator,
        data={"user": user.pk, "reason": reason},
    )
    _close_report(report, moderator=moderator, status=ReportStatus.ACTIONED, resolution=reason)
    if kind == SanctionKind.BLOCK:
        event = {"type": "chat.blocked", "user": user.pk}
        transaction.on_commit(lambda: _broadcast([user_group(user.pk)], event))
    return sanction


@transaction.atomic
def user_unblock(*, user, moderator) -> int:
    """Lift a person's active chat blocks. Audit-logged. Returns how many were lifted."""
    lifted = ChatSanction.objects.filter(user=user, kind=SanctionKind.BLOCK, lifted_at__isnull=True).update(
        lifted_at=timezone.now()
    )
    if lifted:
        log(instance=user, action="chat.user_unblock", user=moderator)
    return lifted


@transaction.atomic
def report_dismiss(*, report: MessageReport, moderator, resolution: str = "") -> None:
    """A moderator finds nothing wrong: an open report is closed as dismissed. Audit-logged."""
    if report.status != ReportStatus.OPEN:
        return
    _close_report(report, moderator=moderator, status=ReportStatus.DISMISSED, resolution=resolution)
    log(instance=report, action="chat.report_dismissed", user=moderator, data={"resolution": resolution})
