import zoneinfo

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils import timezone

ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere; the looser, documented one only under Wagtail's admin."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIXES):
            parts.config = settings.FERIA_ADMIN_CSP
        return parts


class UserTimezoneMiddleware:
    """Times are shown in the signed-in person's time zone, else the one they picked, else the site's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            name = user.time_zone
        name = name or request.session.get("feria_time_zone")
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)
