"""Meeting pages: my meetings, one meeting with its answers, the booth's list and the printable day.

Plain forms; a meeting that is not the person's (as buyer or member of its company) answers 404."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exhibitors.models import Membership
from exhibitors.permissions import company_or_404
from exhibitors.records.selectors import records_for_subjects
from fair.meetings.enums import MeetingSide, MeetingStatus
from fair.meetings.forms import AcceptForm, ProposeForm, ReasonForm
from fair.meetings.selectors.meetings import (
    agenda_days,
    day_agenda,
    meeting_for_user_or_404,
    meeting_location_url,
    meetings_of_company,
    meetings_of_person,
)
from fair.meetings.selectors.slots import fairs_open_for_meetings, free_slots
from fair.meetings.services import outcomes, requests
from fair.meetings.services.records import meeting_subject
from fair.meetings.services.requests import cancel_deadline
from fair.meetings.templatetags.meetings import span_text
from fair.meetings.views.common import error_text

MEETINGS_PER_PAGE = 100


@login_required
@require_GET
def mine(request):
    now = timezone.now()
    upcoming = list(meetings_of_person(user=request.user, upcoming=True, now=now)[:MEETINGS_PER_PAGE])
    past = list(meetings_of_person(user=request.user, upcoming=False, now=now)[:MEETINGS_PER_PAGE])
    response = TemplateResponse(
        request,
        "meetings/_mine_lists.html" if request.GET.get("fragment") == "lists" else "meetings/mine.html",
        {
            "upcoming": upcoming,
            "past": past,
            "today": timezone.localdate(now),
            "agenda_days": agenda_days(upcoming, timezone.get_current_timezone()),
            "user_id": request.user.pk,
            "fairs": fairs_open_for_meetings(now=now),
            "is_exhibitor": Membership.objects.filter(user=request.user).exists(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _propose_form(meeting, data=None):
    slots = free_slots(company=meeting.company, fair=meeting.fair, now=timezone.now())
    return ProposeForm(
        data,
        slots=slots,
        label_from_instance=lambda slot: (
            span_text(slot.starts_at, slot.ends_at, meeting.fair.time_zone)
            + (f" – {slot.staff}" if slot.staff_id else "")
        ),
    )


def _detail(request, meeting, side, *, status=200, **forms):
    now = timezone.now()
    answerer = meeting.status == MeetingStatus.REQUESTED and side != meeting.requested_side
    context = {
        "meeting": meeting,
        "side": side,
        "is_company": side == MeetingSide.COMPANY,
        "can_answer": answerer,
        "can_propose": answerer and side == MeetingSide.COMPANY,
        "can_cancel": meeting.status in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)
        and now <= cancel_deadline(meeting),
        "cancel_deadline": cancel_deadline(meeting),
        "can_mark": meeting.status in (MeetingStatus.ACCEPTED, MeetingStatus.HELD, MeetingStatus.NO_SHOW)
        and meeting.starts_at <= now,
        "location_url": meeting_location_url(meeting),
        "products": list(meeting.products.all()),
        "records": records_for_subjects(subjects=[meeting_subject(meeting)], user=request.user),
        "accept_form": forms.get("accept_form") or AcceptForm(),
        "decline_form": forms.get("decline_form") or ReasonForm(prefix="decline"),
        "cancel_form": forms.get("cancel_form") or ReasonForm(prefix="cancel"),
    }
    if context["can_propose"]:
        context["propose_form"] = forms.get("propose_form") or _propose_form(meeting)
    return TemplateResponse(request, "meetings/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    return _detail(request, meeting, side)


def _done(request, meeting, text: str):
    messages.success(request, text)
    return redirect("meetings:detail", uuid=meeting.uuid)


@login_required
@require_POST
def accept(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    form = AcceptForm(request.POST)
    if form.is_valid():
        link = form.cleaned_data["external_link"] if side == MeetingSide.COMPANY else ""
        try:
            requests.meeting_accept(meeting=meeting, by=request.user, external_link=link)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _done(request, meeting, _("Meeting accepted. It is in both calendars now."))
    return _detail(request, meeting, side, status=400, accept_form=form)


@login_required
@require_POST
def decline(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    form = ReasonForm(request.POST, prefix="decline")
    if form.is_valid():
        try:
            requests.meeting_decline(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _done(request, meeting, _("Request declined."))
    return _detail(request, meeting, side, status=400, decline_form=form)


@login_required
@require_POST
def propose(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    if side != MeetingSide.COMPANY:
        return _detail(request, meeting, side, status=400)
    form = _propose_form(meeting, request.POST)
    if form.is_valid():
        try:
            proposal = requests.meeting_propose(
                meeting=meeting,
                by=request.user,
                slot=form.cleaned_data["slot"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _done(request, proposal, _("Another time proposed. The buyer can accept it."))
    return _detail(request, meeting, side, status=400, propose_form=form)


@login_required
@require_POST
def cancel(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    form = ReasonForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            requests.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _done(request, meeting, _("Cancelled. The other side has been told."))
    return _detail(request, meeting, side, status=400, cancel_form=form)


@login_required
@require_POST
def mark_held(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    try:
        outcomes.meeting_mark_held(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Thank you: the meeting is marked as held."))
    return redirect("meetings:detail", uuid=meeting.uuid)


@login_required
@require_POST
def mark_no_show(request, uuid):
    meeting, side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    try:
        outcomes.meeting_mark_no_show(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Recorded: the other side did not come."))
    return redirect("meetings:detail", uuid=meeting.uuid)


@login_required
@require_GET
def company_list(request, company_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    meetings = list(meetings_of_company(company=company)[:500])
    now = timezone.now()
    days = agenda_days([m for m in meetings if m.ends_at > now], timezone.get_current_timezone())
    template = (
        "meetings/_company_lists.html" if request.GET.get("fragment") == "lists" else "meetings/company.html"
    )
    response = TemplateResponse(
        request, template, {"company": company, "meetings": meetings, "agenda_days": days}
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def day(request):
    """The printable agenda of one day in the person's zone (?day=YYYY-MM-DD, default today)."""
    zone = timezone.get_current_timezone()
    try:
        chosen = parse_date(request.GET.get("day", "")[:10])
    except ValueError:
        chosen = None
    chosen = chosen or timezone.localdate()
    meetings = list(day_agenda(user=request.user, day=chosen, zone=zone))
    return TemplateResponse(
        request,
        "meetings/day.html",
        {
            "day": chosen,
            "meetings": meetings,
            "zone": str(zone),
            "previous": date.fromordinal(chosen.toordinal() - 1),
            "next": date.fromordinal(chosen.toordinal() + 1),
            "fair_zones": sorted({m.fair.time_zone for m in meetings} - {str(zone)}),
        },
    )
