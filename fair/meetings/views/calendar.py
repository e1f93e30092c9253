"""Calendar files: a meeting's .ics (for its two sides) and each person's private feed, found by token
alone (no sign-in: calendar programs fetch it), plus the page where a person gets, revokes or renews it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from exhibitors.mail import site_url
from fair.meetings.models import CalendarFeed
from fair.meetings.selectors.calendar import feed_ics, meeting_ics
from fair.meetings.selectors.meetings import meeting_for_user_or_404
from fair.meetings.services import feeds

ICS_TYPE = "text/calendar; charset=utf-8"


@login_required
@require_GET
def meeting_file(request, uuid):
    meeting, _side = meeting_for_user_or_404(user=request.user, uuid=uuid)
    response = HttpResponse(meeting_ics(meeting), content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.uuid}.ics"'
    return response


@never_cache
@require_GET
def feed(request, token: str):
    found = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None or len(token) > 64:
        raise Http404
    response = HttpResponse(feed_ics(user=found.user), content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    """The person's feed URL: make it, revoke it, or replace it with a new one."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            feeds.calendar_feed_get_or_create(user=request.user)
            messages.success(request, _("Your calendar feed is ready."))
        elif action == "regenerate":
            feeds.calendar_feed_regenerate(user=request.user)
            messages.success(request, _("New feed address made. The old one no longer works."))
        elif action == "revoke":
            feeds.calendar_feed_revoke(user=request.user)
            messages.success(request, _("Feed switched off. Its address no longer works."))
        return redirect("meetings:feed_settings")
    active = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    url = site_url(reverse("meetings:feed", kwargs={"token": active.token})) if active else None
    return TemplateResponse(request, "meetings/feed_settings.html", {"feed": active, "feed_url": url})
