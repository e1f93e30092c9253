"""Publishing and choosing meeting times: a company's slots, a buyer's availability, a buyer booking a
company's slot and exhibitor staff requesting a buyer's time. Plain forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from exhibitors.models import User
from exhibitors.permissions import company_or_404
from exhibitors.selectors import booths_live
from fair.meetings.forms import AvailabilityForm, CompanyRequestForm, PatternForm, RequestForm, SlotForm
from fair.meetings.models import BuyerAvailability, MeetingSlot
from fair.meetings.selectors import slots as slot_reads
from fair.meetings.selectors.days import meeting_days
from fair.meetings.services import requests, slots
from fair.meetings.views.common import error_text, fair_or_404


def _pattern_message(request, result) -> None:
    created = len(result.created)
    messages.success(
        request,
        ngettext("%(count)d time published.", "%(count)d times published.", created) % {"count": created},
    )
    if result.skipped:
        lines = "; ".join(f"{when:%Y-%m-%d %H:%M}: {why}" for when, why in result.skipped[:10])
        messages.warning(
            request,
            ngettext("%(count)d time left out", "%(count)d times left out", len(result.skipped))
            % {"count": len(result.skipped)}
            + f" ({lines})",
        )


@login_required
@require_http_methods(["GET", "POST"])
def company_slots(request, company_id: int, fair_id: int):
    """Exhibitor staff publish their company's slots at a fair: one at a time or by weekly pattern."""
    company = company_or_404(user=request.user, company_id=company_id)
    fair = fair_or_404(fair_id)
    if not slot_reads.company_has_booth(company=company, fair=fair):
        raise Http404
    members = list(slot_reads.company_members(company=company))
    slot_form = SlotForm(fair=fair, members=members, prefix="slot")
    pattern_form = PatternForm(fair=fair, members=members, prefix="pattern")
    status = 200
    if request.method == "POST":
        if "pattern-weekdays" in request.POST or request.POST.get("form") == "pattern":
            pattern_form = PatternForm(request.POST, fair=fair, members=members, prefix="pattern")
            if pattern_form.is_valid():
                result = slots.slots_create_pattern(
                    fair=fair,
                    company=company,
                    staff=pattern_form.cleaned_data["staff_user"],
                    by=request.user,
                    **pattern_form.pattern(),
                )
                _pattern_message(request, result)
                return redirect("meetings:slots", company_id=company.pk, fair_id=fair.pk)
        else:
            slot_form = SlotForm(request.POST, fair=fair, members=members, prefix="slot")
            if slot_form.is_valid() and "starts_at" in slot_form.cleaned_data:
                data = slot_form.cleaned_data
                try:
                    slots.slot_create(
                        fair=fair,
                        company=company,
                        staff=data["staff_user"],
                        starts_at=data["starts_at"],
                        ends_at=data["ends_at"],
                        by=request.user,
                    )
                except ValidationError as error:
                    slot_form.add_error(None, error_text(error))
                else:
                    messages.success(request, _("Slot published."))
                    return redirect("meetings:slots", company_id=company.pk, fair_id=fair.pk)
        status = 400
    first, last = meeting_days(fair)
    return TemplateResponse(
        request,
        "meetings/slots.html",
        {
            "company": company,
            "fair": fair,
            "first_day": first,
            "last_day": last,
            "slots": list(slot_reads.company_slots(company=company, fair=fair)),
            "slot_form": slot_form,
            "pattern_form": pattern_form,
        },
        status=status,
    )


@login_required
@require_POST
def slot_delete(request, slot_id: int):
    slot = get_object_or_404(MeetingSlot.objects.select_related("company"), pk=slot_id)
    company_or_404(user=request.user, company_id=slot.company_id)
    try:
        slots.slot_delete(slot=slot, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Slot withdrawn."))
    return redirect("meetings:slots", company_id=slot.company_id, fair_id=slot.fair_id)


@login_required
@require_http_methods(["GET", "POST"])
def book(request, fair_id: int, company_id: int):
    """A buyer sees a company's free slots at a fair and requests one with an agenda."""
    fair = fair_or_404(fair_id)
    booth = booths_live().filter(fair=fair, company_id=company_id).select_related("company").first()
    if booth is None:
        raise Http404
    company = booth.company
    products = slot_reads.booth_products(company=company, fair=fair)
    form = RequestForm(products=products)
    status = 200
    if request.method == "POST":
        form = RequestForm(request.POST, products=products)
        slot = MeetingSlot.objects.filter(
            pk=_int(request.POST.get("slot")), company=company, fair=fair
        ).first()
        if slot is None:
            form.add_error(None, _("Choose one of the free times."))
        if form.is_valid():
            try:
                meeting = requests.meeting_request(
                    buyer=request.user,
                    slot=slot,
                    agenda=form.cleaned_data["agenda"],
                    products=form.cleaned_data.get("products") or (),
                    volumes=form.cleaned_data["volumes"],
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Request sent. You will hear as soon as they answer."))
                return redirect("meetings:detail", uuid=meeting.uuid)
        status = 400
    return TemplateResponse(
        request,
        "meetings/book.html",
        {
            "fair": fair,
            "company": company,
            "booth": booth,
            "slots": list(slot_reads.free_slots(company=company, fair=fair, now=timezone.now())),
            "chosen": _int(request.POST.get("slot")) if request.method == "POST" else None,
            "form": form,
        },
        status=status,
    )


def _int(value) -> int | None:
    from exhibitors.integers import parse_id

    return parse_id(value)


@login_required
@require_http_methods(["GET", "POST"])
def my_availability(request, fair_id: int):
    """A buyer publishes when they are free for meetings at a fair, so exhibitors can ask them."""
    fair = fair_or_404(fair_id)
    form = AvailabilityForm(fair=fair, prefix="one")
    pattern_form = PatternForm(fair=fair, prefix="pattern")
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "pattern":
            pattern_form = PatternForm(request.POST, fair=fair, prefix="pattern")
            if pattern_form.is_valid():
                result = slots.availability_create_pattern(
                    fair=fair, buyer=request.user, **pattern_form.pattern()
                )
                _pattern_message(request, result)
                return redirect("meetings:availability", fair_id=fair.pk)
        else:
            form = AvailabilityForm(request.POST, fair=fair, prefix="one")
            if form.is_valid() and "starts_at" in form.cleaned_data:
                try:
                    slots.availability_create(
                        fair=fair,
                        buyer=request.user,
                        starts_at=form.cleaned_data["starts_at"],
                        ends_at=form.cleaned_data["ends_at"],
                    )
                except ValidationError as error:
                    form.add_error(None, error_text(error))
                else:
                    messages.success(request, _("Time published. Exhibitors at this fair can now ask you."))
                    return redirect("meetings:availability", fair_id=fair.pk)
        status = 400
    first, last = meeting_days(fair)
    return TemplateResponse(
        request,
        "meetings/availability.html",
        {
            "fair": fair,
            "first_day": first,
            "last_day": last,
            "times": list(slot_reads.buyer_availability(buyer=request.user, fair=fair)),
            "form": form,
            "pattern_form": pattern_form,
        },
        status=status,
    )


@login_required
@require_POST
def availability_delete(request, availability_id: int):
    availability = get_object_or_404(BuyerAvailability, pk=availability_id, buyer=request.user)
    try:
        slots.availability_delete(availability=availability)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Time withdrawn."))
    return redirect("meetings:availability", fair_id=availability.fair_id)


def _staff_companies_or_404(request, fair):
    companies = slot_reads.staff_companies_at_fair(user=request.user, fair=fair)
    if not companies.exists():
        raise Http404
    return companies


@login_required
def buyers(request, fair_id: int):
    """Exhibitor staff: the buyers who published availability at the fair."""
    fair = fair_or_404(fair_id)
    _staff_companies_or_404(request, fair)
    found = list(slot_reads.buyers_available(fair=fair, now=timezone.now())[:500])
    return TemplateResponse(request, "meetings/buyers.html", {"fair": fair, "buyers": found})


@login_required
@require_http_methods(["GET", "POST"])
def buyer_availability(request, fair_id: int, buyer_id: int):
    """Exhibitor staff see one buyer's free published times at a fair and request a meeting in one.
    A buyer who published nothing there answers 404."""
    fair = fair_or_404(fair_id)
    companies = _staff_companies_or_404(request, fair)
    if not slot_reads.has_published_availability(buyer_id=buyer_id, fair=fair):
        raise Http404
    buyer = get_object_or_404(User.objects.select_related("buyer_profile"), pk=buyer_id, is_active=True)
    form = CompanyRequestForm(companies=companies)
    status = 200
    if request.method == "POST":
        form = CompanyRequestForm(request.POST, companies=companies)
        availability = BuyerAvailability.objects.filter(
            pk=_int(request.POST.get("time")), buyer=buyer, fair=fair
        ).first()
        if availability is None:
            form.add_error(None, _("Choose one of the free times."))
        if form.is_valid():
            try:
                meeting = requests.meeting_request_buyer(
                    by=request.user,
                    company=form.cleaned_data["company"],
                    availability=availability,
                    agenda=form.cleaned_data["agenda"],
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Request sent to the buyer."))
                return redirect("meetings:detail", uuid=meeting.uuid)
        status = 400
    return TemplateResponse(
        request,
        "meetings/buyer_availability.html",
        {
            "fair": fair,
            "buyer": buyer,
            "times": list(slot_reads.free_buyer_availability(buyer=buyer, fair=fair, now=timezone.now())),
            "chosen": _int(request.POST.get("time")) if request.method == "POST" else None,
            "form": form,
        },
        status=status,
    )
