import zoneinfo

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.utils import timezone, translation

# Only Wagtail's admin is mounted there; nothing else gets the looser policy.
ADMIN_PREFIX = "/admin/"


def directive_rank(directive: str) -> tuple[int, str]:
    order = list(settings.FERIA_CSP)
    return (order.index(directive), "") if directive in order else (len(order), directive)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """The strict policy everywhere; the looser, documented one only under Wagtail's admin."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(ADMIN_PREFIX):
            parts.config = settings.FERIA_ADMIN_CSP
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if HEADER in response:
            # django-csp joins directives in set order, which changes from one process to the next; a fixed
            # order (the one in FERIA_CSP) keeps the header byte-identical across workers and caches.
            directives = [part.strip() for part in response[HEADER].split(";") if part.strip()]
            directives.sort(key=lambda part: directive_rank(part.split()[0]))
            response[HEADER] = "; ".join(directives)
        return response


class AdminLanguageMiddleware:
    """Wagtail's admin speaks the staff member's own language, the one on their account (so dates read
    4/12/2026 for a Spanish speaker), not whatever the browser asks for. A language picked in the admin's own
    account settings still wins: Wagtail applies it inside each admin view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path_info.startswith(ADMIN_PREFIX) and user is not None and user.is_authenticated:
            language = getattr(user, "preferred_language", "")
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


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


class TwoFactorMiddleware:
    """Two-factor sign-in (exhibitors/two_factor.py), after django-otp's OTPMiddleware: a person who signed in
    with a password and has an authenticator gives a code before any other page; when the chamber requires it,
    staff without one set it up before the admin. Only these pages and signing out stay open meanwhile."""

    # Open while a code is owed; the setup page is not (or a password alone could enrol a new authenticator).
    OPEN_URL_NAMES = {"two_factor_verify", "account_logout", "wagtailadmin_logout"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import redirect
        from django.urls import reverse
        from django.utils.http import urlencode

        from exhibitors.two_factor import (
            PENDING_SESSION_KEY,
            has_two_factor,
            is_staff_member,
            staff_two_factor_required,
        )

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        url_name = match.url_name if match is not None else None
        if url_name in self.OPEN_URL_NAMES:
            return None
        target = None
        if request.session.get(PENDING_SESSION_KEY) and not user.is_verified():
            target = "two_factor_verify"
        elif url_name == "two_factor_setup":
            return None
        elif (
            request.path_info.startswith(ADMIN_PREFIX)
            and not user.is_verified()
            and is_staff_member(user)
            and staff_two_factor_required(request)
        ):
            target = "two_factor_verify" if has_two_factor(user) else "two_factor_setup"
        if target is None:
            return None
        language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(
            language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        ):
            url = reverse(target)
        return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
