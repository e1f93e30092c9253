"""The chamber's view of meetings: counts by state per fair, and the people and companies reported as
no-shows more than once."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.template.response import TemplateResponse

from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.selectors.meetings import no_show_counts

PERMISSION = "meetings.view_meeting"
REPEATED = 2


def no_shows(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    buyers, companies = no_show_counts(minimum=REPEATED)
    totals = (
        Meeting.objects.values("fair_id", "fair__title", "status")
        .annotate(count=Count("pk"))
        .order_by("fair__title", "fair_id", "status")
    )
    fairs: dict[int, dict] = {}
    for row in totals:
        fair = fairs.setdefault(row["fair_id"], {"title": row["fair__title"], "counts": {}})
        fair["counts"][row["status"]] = row["count"]
    statuses = list(MeetingStatus)
    table = [
        {"title": fair["title"], "counts": [fair["counts"].get(status, 0) for status in statuses]}
        for fair in fairs.values()
    ]
    return TemplateResponse(
        request,
        "meetings/admin/no_shows.html",
        {
            "buyers": buyers,
            "companies": companies,
            "statuses": statuses,
            "fairs": table,
            "repeated": REPEATED,
        },
    )
