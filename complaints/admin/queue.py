"""The chamber's complaint screens in the Wagtail admin: the queue with deadlines, filters and the fair's
summary; one complaint with its full history, messages to the parties, the decision and the refund."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints.enums import Outcome, Status, SubjectKind
from complaints.forms import DecisionForm, StaffMessageForm
from complaints.models import Complaint, ComplaintEvidence
from complaints.selectors import complaint_for_staff, complaints_queue, complaints_summary, entries_for
from complaints.services.complaints import complaint_message
from complaints.services.decisions import (
    complaint_decide,
    complaint_refund_issue,
    refund_possible,
    suspension_lift,
)
from exhibitors.forms.booths import add_service_errors
from exhibitors.integers import parse_id
from exhibitors.views.files import private_file_response
from fair.models import FairPage

QUEUE_LIMIT = 200


def _require(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def queue(request):
    _require(request, "complaints.view_complaint")
    fair_id = parse_id(request.GET.get("fair")) or 0
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    overdue = request.GET.get("overdue") == "1"
    rows = list(
        complaints_queue(fair_id=fair_id or None, status=status, kind=kind, overdue=overdue)[:QUEUE_LIMIT]
    )
    fairs = list(FairPage.objects.filter(pk__in=Complaint.objects.values("fair")).order_by("title"))
    fair = next((f for f in fairs if f.pk == fair_id), None)
    return TemplateResponse(
        request,
        "complaints/admin/queue.html",
        {
            "rows": rows,
            "now": timezone.now(),
            "fairs": fairs,
            "fair_id": fair_id,
            "status": status,
            "kind": kind,
            "overdue": overdue,
            "statuses": Status.choices,
            "kinds": SubjectKind.choices,
            "summary": complaints_summary(fair) if fair else None,
            "summary_fair": fair,
            "outcomes": Outcome.choices,
        },
    )


def detail(request, complaint_id: int):
    _require(request, "complaints.view_complaint")
    complaint = complaint_for_staff(complaint_id)
    message_form = StaffMessageForm(prefix="message")
    decision_form = DecisionForm(
        prefix="decision", currency=complaint.order.currency if complaint.order_id else None
    )
    if request.method == "POST":
        _require(request, "complaints.change_complaint")
        action = request.POST.get("action")
        if action == "message":
            message_form = StaffMessageForm(request.POST, prefix="message")
            if message_form.is_valid():
                try:
                    complaint_message(
                        complaint=complaint,
                        by=request.user,
                        text=message_form.cleaned_data["text"],
                        audience=message_form.cleaned_data["audience"],
                    )
                except ValidationError as exc:
                    add_service_errors(message_form, exc)
                else:
                    messages.success(request, _("Message sent."))
                    return redirect("complaints_admin:detail", complaint_id=complaint.pk)
        elif action == "decide":
            decision_form = DecisionForm(request.POST, prefix="decision", currency=decision_form.currency)
            if decision_form.is_valid():
                data = decision_form.cleaned_data
                try:
                    complaint_decide(
                        complaint=complaint,
                        by=request.user,
                        outcome=data["outcome"],
                        text=data["text"],
                        sanctioned_side=data["sanctioned_side"],
                        refund_amount=data["refund_amount"],
                    )
                except ValidationError as exc:
                    add_service_errors(decision_form, exc)
                else:
                    messages.success(request, _("Decision recorded; both parties are told."))
                    return redirect("complaints_admin:detail", complaint_id=complaint.pk)
    return TemplateResponse(
        request,
        "complaints/admin/detail.html",
        {
            "complaint": complaint,
            "entries": entries_for(complaint=complaint, side=None),
            "message_form": message_form,
            "decision_form": decision_form,
            "refundable": refund_possible(complaint) if complaint.order_id else 0,
            "can_change": request.user.has_perm("complaints.change_complaint"),
            "suspensions": list(complaint.suspensions.all()),
        },
        status=400 if message_form.errors or decision_form.errors else 200,
    )


@require_POST
def lift(request, complaint_id: int):
    """Lift the suspension the complaint's decision placed (a reason is required; both parties read it)."""
    _require(request, "complaints.change_complaint")
    complaint = complaint_for_staff(complaint_id)
    try:
        suspension_lift(complaint=complaint, by=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The suspension is lifted; both parties are told."))
    return redirect("complaints_admin:detail", complaint_id=complaint.pk)


@require_POST
def refund(request, complaint_id: int):
    _require(request, "complaints.change_complaint")
    complaint = complaint_for_staff(complaint_id)
    try:
        complaint_refund_issue(complaint=complaint, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The refund is issued through Stripe."))
    return redirect("complaints_admin:detail", complaint_id=complaint.pk)


def evidence(request, complaint_id: int, evidence_id: int):
    _require(request, "complaints.view_complaint")
    if parse_id(complaint_id) is None or parse_id(evidence_id) is None:
        raise Http404
    item = get_object_or_404(
        ComplaintEvidence.objects.select_related("file"), pk=evidence_id, complaint_id=complaint_id
    )
    return private_file_response(item.file)
