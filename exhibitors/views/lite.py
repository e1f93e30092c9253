"""The lite-mode switch in every page's footer and in the Save-Data banner: a plain form POST."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from exhibitors.selectors.lite import LITE_COOKIE, LITE_COOKIE_SECONDS
from exhibitors.services.lite import user_lite_mode_set


# Exempt from CSRF on purpose: a token in every page's footer would set the CSRF cookie on every page and keep
# them all out of the anonymous page cache, and the worst a forged request can do is switch pictures on or
# off (the session cookie is SameSite=Lax, so a signed-in person's account is not even reached cross-site).
@csrf_exempt
@require_POST
def lite_mode_switch(request: HttpRequest) -> HttpResponseRedirect:
    lite = request.POST.get("lite") == "1"
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.user.is_authenticated:
        user_lite_mode_set(user=request.user, lite=lite)
    response.set_cookie(
        LITE_COOKIE,
        "1" if lite else "0",
        max_age=LITE_COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response
