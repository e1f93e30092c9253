"""The chamber's moderation queue for chat reports in the Wagtail admin.

The list shows reports, open ones first. A report's page shows the reported message with the five messages
before and after it; every such look is written to the audit log (a moderator reads private messages). From
there a moderator hides the message, warns or blocks its sender, lifts a block, or dismisses the report, each
through fair.chat.services, each in the audit log. The sanctioned person is e-mailed the reason.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db.models import Case, Q, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from exhibitors.admin.viewsets import InspectOnlyViewSet
from exhibitors.services.mail import email_enqueue
from fair.chat.enums import ReportStatus, SanctionKind
from fair.chat.models import ChatSanction, Message, MessageReport
from fair.chat.services.moderation import message_hide, report_dismiss, user_sanction, user_unblock

ACTION_REPORT_VIEWED = "chat.report_viewed"
ACTION_REPORT_DISMISSED = "chat.report_dismissed"
CONTEXT_MESSAGES = 5


class ReportFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ReportStatus.choices, empty_label=_("Any status"), widget=forms.RadioSelect
    )

    class Meta:
        model = MessageReport
        fields: list[str] = []


class DecisionForm(forms.Form):
    ACTIONS = [
        ("hide", _("Hide the message")),
        ("warn", _("Warn the sender")),
        ("block", _("Block the sender from chat")),
        ("unblock", _("Lift the sender's chat block")),
        ("dismiss", _("Dismiss the report (nothing wrong)")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log. A warned or blocked person is e-mailed it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("action") in {"hide", "warn", "block"} and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason: it is kept in the audit log and the person is told."))
        return data


def _inspect_url(report: MessageReport) -> str:
    return reverse("chat_reports:inspect", args=[report.pk])


def _sanction_email(sanction: ChatSanction) -> EmailMessage:
    """The warned or blocked person's e-mail, in their language."""
    user = sanction.user
    with translation.override(user.preferred_language):
        language = translation.get_language()
        context = {
            "recipient": user,
            "sanction": sanction,
            "blocked": sanction.kind == SanctionKind.BLOCK,
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(render_to_string("chat/emails/sanction_subject.txt", context).split())
        body = render_to_string("chat/emails/sanction.txt", context)
    return EmailMessage(subject=subject, body=body, to=[user.email], headers={"Content-Language": language})


class ReportIndexView(IndexView):
    """Reports, open ones first, newest first."""

    search_fields = ["message__body", "reason"]

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("message__sender", "message__conversation__company", "reporter")
        )

    def order_queryset(self, queryset):
        if self.ordering:
            return super().order_queryset(queryset)
        # Open reports first, then newest first.
        open_first = Case(When(status=ReportStatus.OPEN, then=Value(0)), default=Value(1))
        return queryset.order_by(open_first, "-created_at")

    @cached_property
    def columns(self):
        title_column_class = self._get_title_column_class(TitleColumn)
        return [
            title_column_class(
                "message",
                label=_("Reported message"),
                accessor=lambda report: report.message.body[:80] or _("(no text)"),
                get_url=self.get_inspect_url,
            ),
            Column("sender", label=_("Sender"), accessor="message.sender"),
            Column("company", label=_("Exhibitor"), accessor="message.conversation.company.legal_name"),
            Column("reporter", label=_("Reported by"), accessor="reporter"),
            Column("reason", label=_("Reason"), accessor=lambda report: report.reason[:80]),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor="get_status_display",
                sort_key="status",
                primary=lambda report: report.status == ReportStatus.OPEN,
            ),
            DateColumn("created_at", label=_("Reported"), sort_key="created_at"),
        ]


class ReportInspectView(InspectView):
    """One report: the message in its context, the sender's record, the decisions, the audit trail."""

    template_name = "chat/admin/report_detail.html"
    page_title = _("Chat report")
    any_permission_required = ["change", "view"]

    def get_object(self, queryset=None):
        return get_object_or_404(
            MessageReport.objects.select_related(
                "message__sender",
                "message__hidden_by",
                "message__conversation__company",
                "message__conversation__buyer",
                "reporter",
                "handled_by",
            ),
            pk=self.pk,
        )

    def get_page_subtitle(self):
        return str(self.object.message.sender)

    def get_fields_context(self):
        return []

    def around(self) -> list[Message]:
        message = self.object.message
        in_conversation = Message.objects.filter(conversation_id=message.conversation_id).select_related(
            "sender"
        )
        before = list(in_conversation.filter(id__lt=message.pk).order_by("-id")[:CONTEXT_MESSAGES])
        after = list(in_conversation.filter(id__gt=message.pk).order_by("id")[:CONTEXT_MESSAGES])
        return [*reversed(before), message, *after]

    def history(self):
        report = self.object
        message = report.message
        sender = message.sender
        return (
            ModelLogEntry.objects.filter(
                Q(content_type=ContentType.objects.get_for_model(MessageReport), object_id=str(report.pk))
                | Q(content_type=ContentType.objects.get_for_model(Message), object_id=str(message.pk))
                | Q(
                    content_type=ContentType.objects.get_for_model(ChatSanction),
                    data__user=message.sender_id,
                )
                | Q(content_type=ContentType.objects.get_for_model(type(sender)), object_id=str(sender.pk))
            )
            .select_related("user")
            .order_by("-timestamp", "-pk")[:30]
        )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # Reading private messages is itself recorded: who looked at which report, when.
        log(
            instance=self.object,
            action=ACTION_REPORT_VIEWED,
            user=request.user,
            data={"message": self.object.message_id, "conversation": self.object.message.conversation_id},
        )
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        sender = report.message.sender
        sanctions = list(ChatSanction.objects.filter(user=sender).select_related("created_by")[:10])
        blocked = any(s.kind == SanctionKind.BLOCK and s.lifted_at is None for s in sanctions)
        others = MessageReport.objects.filter(message=report.message).exclude(pk=report.pk)
        context.update(
            {
                "report": report,
                "reported": report.message,
                "conversation": report.message.conversation,
                "around": self.around(),
                "sender": sender,
                "sanctions": sanctions,
                "sender_blocked": blocked,
                "other_reports": others.count(),
                "can_decide": self.user_has_permission("change"),
                "decision_form": kwargs.get("decision_form") or DecisionForm(),
                "decision_actions": DecisionForm.ACTIONS,
                "history": self.history(),
            }
        )
        return context


class ReportDecisionView(ReportInspectView):
    permission_required = "change"
    any_permission_required = None
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        report = self.object
        message = report.message
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was done: see the form below."))
            return self.render_to_response(self.get_context_data(decision_form=form), status=400)
        action = form.cleaned_data["action"]
        reason = form.cleaned_data["reason"].strip()
        moderator = request.user
        try:
            if action == "hide":
                message_hide(message=message, moderator=moderator, reason=reason, report=report)
                done = _("The message is hidden for everyone.")
            elif action in {"warn", "block"}:
                kind = SanctionKind.WARNING if action == "warn" else SanctionKind.BLOCK
                sanction = user_sanction(
                    user=message.sender, moderator=moderator, kind=kind, reason=reason, report=report
                )
                email_enqueue(_sanction_email(sanction))
                done = (
                    _("%(person)s is warned and will be e-mailed the reason.")
                    if action == "warn"
                    else _("%(person)s is blocked from chat and will be e-mailed the reason.")
                ) % {"person": message.sender}
            elif action == "unblock":
                lifted = user_unblock(user=message.sender, moderator=moderator)
                done = (_("%(person)s can chat again.") if lifted else _("%(person)s was not blocked.")) % {
                    "person": message.sender
                }
            else:
                report_dismiss(report=report, moderator=moderator, resolution=reason)
                done = _("The report is dismissed.")
        except ValidationError as error:
            form.add_error("reason", error)
            return self.render_to_response(self.get_context_data(decision_form=form), status=400)
        messages.success(request, done)
        return redirect(_inspect_url(report))


class ChatReportViewSet(InspectOnlyViewSet):
    """Chat reports: a list and a page per report; nothing is added, edited or deleted here."""

    model = MessageReport
    name = "chat_reports"
    icon = "warning"
    menu_label = _("Chat reports")
    menu_order = 160
    add_to_admin_menu = True
    add_to_reference_index = False
    index_view_class = ReportIndexView
    inspect_view_class = ReportInspectView
    filterset_class = ReportFilterSet
    list_per_page = 50

    @property
    def decide_view(self):
        return self.construct_view(ReportDecisionView, **self.get_inspect_view_kwargs())

    def action_urlpatterns(self):
        return [path("<id:pk>/decide/", self.decide_view, name="decide")]
