"""Conversations between a buyer and an exhibitor company, their messages, and what people did with them.

One conversation per buyer and company; it remembers the booth (and so the fair) it started from and carries
on across fairs. Every member of the company sees and answers it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fair.chat.enums import MessageKind, ReportStatus, SanctionKind, Side

MESSAGE_MAX_LENGTH = 4000
CLIENT_ID_MAX_LENGTH = 64


class Conversation(models.Model):
    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer_conversations"
    )
    company = models.ForeignKey("exhibitors.Company", on_delete=models.CASCADE, related_name="conversations")
    started_from = models.ForeignKey(
        "exhibitors.Booth",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started from booth"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Denormalised from the newest message so inboxes sort and heartbeats report without a join.
    last_message_id = models.PositiveBigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)
    # The newest buyer message the company's staff were e-mailed about (one e-mail per unanswered spell).
    staff_alerted_message_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.UniqueConstraint(fields=["buyer", "company"], name="chat_one_conversation_per_pair")
        ]
        indexes = [models.Index(fields=["company", "-last_message_at"], name="chat_conv_company_recent")]

    def __str__(self):
        return f"{self.buyer} ↔ {self.company}"


class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_side = models.CharField(max_length=10, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices, default=MessageKind.TEXT)
    body = models.TextField(_("text"), blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # The sender's own id for the message: a resend after a dropped connection finds the stored row.
    client_id = models.CharField(max_length=CLIENT_ID_MAX_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "client_id"], name="chat_message_unique_client_id"),
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="chat_msg_conv_id")]

    def __str__(self):
        return f"#{self.pk} {self.kind} in {self.conversation_id}"


class ReadState(models.Model):
    """How far one person has read one conversation."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="read_states")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_read_message_id = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)
    # The newest message this person was e-mailed about (buyers: unread answers).
    alerted_message_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="chat_read_state_unique")
        ]


class ConversationBlock(models.Model):
    """One side of a conversation has blocked the other: nothing more can be sent in it."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="blocks")
    side = models.CharField(_("blocked by"), max_length=10, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "side"], name="chat_block_once_per_side")
        ]


class MessageReport(models.Model):
    """A participant flagged a message for the chamber's moderators."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)

    class Meta:
        verbose_name = _("message report")
        verbose_name_plural = _("message reports")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="chat_report_once_per_person")
        ]

    def __str__(self):
        return f"Report #{self.pk} on message {self.message_id}"


class ChatSanction(models.Model):
    """A moderator's warning or block. A blocked person can neither open nor send in any conversation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_sanctions"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    report = models.ForeignKey(
        MessageReport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["user"], condition=Q(kind="block", lifted_at__isnull=True), name="chat_active_block"
            )
        ]
