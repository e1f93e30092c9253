"""A day's meeting agenda as a small printable PDF, in the visitor's language and time zone: a person's own
(as buyer or staff) and a company's (its members only). Laid out by fair.pdf.render_pdf."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exhibitors.permissions import company_or_404
from fair.meetings.selectors.meetings import company_day_agenda, day_agenda, meeting_location_url
from fair.meetings.templatetags.meetings import span_text
from fair.pdf import render_pdf


def _chosen_day(request):
    try:
        chosen = parse_date(request.GET.get("day", "")[:10])
    except ValueError:
        chosen = None
    return chosen or timezone.localdate()


def _entries(meetings, *, viewer_id: int | None, zone) -> list[dict]:
    entries = []
    for meeting in meetings:
        as_buyer = meeting.buyer_id == viewer_id
        if as_buyer:
            other = meeting.company.legal_name + (f" · {meeting.staff}" if meeting.staff_id else "")
        else:
            profile = getattr(meeting.buyer, "buyer_profile", None)
            other = str(meeting.buyer) + (f" · {profile.company_name}" if profile else "")
        entries.append(
            {
                "meeting": meeting,
                "when": span_text(meeting.starts_at, meeting.ends_at, meeting.fair.time_zone, zone),
                "other": other,
                "ours": "" if as_buyer else (str(meeting.staff) if meeting.staff_id else ""),
                "link": meeting_location_url(meeting),
                "products": [product.name for product in meeting.products.all()],
            }
        )
    return entries


def _pdf_response(request, *, entries, day, zone, heading: str, filename: str) -> HttpResponse:
    context = {
        "heading": heading,
        "day": day,
        "zone": str(zone),
        "entries": entries,
        "fair_zones": sorted({entry["meeting"].fair.time_zone for entry in entries} - {str(zone)}),
        "generated_at": timezone.now(),
    }
    pdf = render_pdf("meetings/agenda_pdf.html", context, title=heading, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{filename}-{day:%Y-%m-%d}-{request.LANGUAGE_CODE}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def day_pdf(request):
    """GET ?day=YYYY-MM-DD: the signed-in person's accepted meetings that day (in their zone) as a PDF."""
    zone = timezone.get_current_timezone()
    day = _chosen_day(request)
    meetings = list(day_agenda(user=request.user, day=day, zone=zone))
    return _pdf_response(
        request,
        entries=_entries(meetings, viewer_id=request.user.pk, zone=zone),
        day=day,
        zone=zone,
        heading=_("My meetings"),
        filename="meetings",
    )


@login_required
@require_GET
def company_day_pdf(request, company_id: int):
    """GET ?day=YYYY-MM-DD: a company's accepted meetings that day as a PDF; another company's: 404."""
    company = company_or_404(user=request.user, company_id=company_id)
    zone = timezone.get_current_timezone()
    day = _chosen_day(request)
    meetings = list(company_day_agenda(company=company, day=day, zone=zone))
    return _pdf_response(
        request,
        entries=_entries(meetings, viewer_id=None, zone=zone),
        day=day,
        zone=zone,
        heading=_("Meetings of %(name)s") % {"name": company.legal_name},
        filename=f"meetings-{company.slug}",
    )
