"""The parties' complaint pages: open one about an order, meeting or conversation, "My complaints", one
complaint with its history, the answer, messages and feedback, and evidence downloads. A complaint, order,
meeting or conversation of which the person is no party answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from complaints.enums import Side, Status, SubjectKind
from complaints.forms import ComplaintForm, FeedbackForm, TextForm
from complaints.models import ComplaintEvidence
from complaints.selectors import complaint_for_party, complaint_receipt_subject, entries_for, my_complaints
from complaints.services.complaints import complaint_answer, complaint_message, complaint_open, party_side
from complaints.services.decisions import complaint_feedback
from exhibitors.forms.booths import add_service_errors
from exhibitors.integers import parse_id
from exhibitors.records.selectors import records_for_subjects
from exhibitors.views.files import private_file_response
from fair.chat.models import Conversation
from fair.meetings.models import Meeting
from payments.enums import OrderKind
from payments.models import Order


def _subject_or_404(request, kind: str, key):
    if kind != SubjectKind.MEETING and parse_id(key) is None:
        raise Http404
    if kind == SubjectKind.ORDER:
        subject = (
            Order.objects.select_related("payer_user", "payee_company", "fair")
            .filter(pk=key, kind=OrderKind.BUYER_PAYMENT)
            .first()
        )
    elif kind == SubjectKind.MEETING:
        subject = Meeting.objects.select_related("buyer", "company", "fair").filter(uuid=key).first()
    else:
        subject = (
            Conversation.objects.select_related("buyer", "company", "started_from__fair")
            .filter(pk=key)
            .first()
        )
    if subject is None or party_side(complaint_or_subject=subject, user=request.user) is None:
        raise Http404
    return subject


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request, kind: str, key):
    subject = _subject_or_404(request, kind, key)
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            complaint = complaint_open(
                by=request.user,
                subject=subject,
                what_happened=form.cleaned_data["what_happened"],
                wish=form.cleaned_data["wish"],
                wish_detail=form.cleaned_data["wish_detail"],
                uploads=request.FILES.getlist("evidence"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your complaint is sent. The other party has been told."))
            return redirect("complaints:detail", complaint_id=complaint.pk)
    return TemplateResponse(
        request,
        "complaints/new.html",
        {"form": form, "kind": kind, "subject": subject},
        status=400 if form.errors else 200,
    )


@login_required
def complaint_list(request):
    return TemplateResponse(request, "complaints/list.html", {"complaints": my_complaints(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def complaint_detail(request, complaint_id: int):
    complaint, side = complaint_for_party(user=request.user, complaint_id=complaint_id)
    form = TextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if side == complaint.answering_side and complaint.answered_at is None:
                complaint_answer(complaint=complaint, by=request.user, text=form.cleaned_data["text"])
            else:
                complaint_message(complaint=complaint, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sent."))
            return redirect("complaints:detail", complaint_id=complaint.pk)
    given = {feedback.side: feedback for feedback in complaint.feedback.all()}
    context = {
        "complaint": complaint,
        "side": side,
        "entries": entries_for(complaint=complaint, side=side),
        "evidence": list(complaint.evidence.select_related("file")),
        "form": form,
        "must_answer": side == complaint.answering_side and complaint.answered_at is None,
        "is_open": complaint.status != Status.DECIDED,
        "feedback": given.get(side),
        "feedback_form": FeedbackForm() if complaint.status == Status.DECIDED and side not in given else None,
        "records": records_for_subjects(subjects=[complaint_receipt_subject(complaint)], user=request.user),
        "other_name": complaint.company.legal_name if side == Side.BUYER else str(complaint.buyer),
    }
    return TemplateResponse(request, "complaints/detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def complaint_feedback_view(request, complaint_id: int):
    complaint, _side = complaint_for_party(user=request.user, complaint_id=complaint_id)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            complaint_feedback(
                complaint=complaint,
                by=request.user,
                resolved=form.cleaned_data["resolved"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for telling us."))
    else:
        messages.error(request, _("Say whether the decision resolved your problem."))
    return redirect("complaints:detail", complaint_id=complaint.pk)


@login_required
def evidence_download(request, complaint_id: int, evidence_id: int):
    complaint, _side = complaint_for_party(user=request.user, complaint_id=complaint_id)
    if parse_id(evidence_id) is None:
        raise Http404
    evidence = get_object_or_404(
        ComplaintEvidence.objects.select_related("file"), pk=evidence_id, complaint=complaint
    )
    return private_file_response(evidence.file)
