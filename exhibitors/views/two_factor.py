"""Two-factor sign-in pages: setting up an authenticator (staff only), and the code after the password."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from exhibitors.forms.privacy import TwoFactorCodeForm
from exhibitors.services.two_factor import (
    backup_codes_renew,
    totp_device_confirm,
    totp_device_start,
    two_factor_check,
    two_factor_disable,
    two_factor_sign_in,
)
from exhibitors.two_factor import (
    backup_device,
    has_two_factor,
    is_staff_member,
    staff_two_factor_required,
    totp_device,
)


def _qr_svg(url: str) -> str:
    # Drawn here as inline SVG (paths, no style attribute): nothing is fetched, the CSP holds.
    return mark_safe(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff"))  # noqa: S308


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    user = request.user
    if not is_staff_member(user):
        raise Http404
    if has_two_factor(user) and not user.is_verified():
        # Changing the second factor needs it first: a password alone must not enrol a new authenticator.
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': request.path})}")
    context = {
        "enabled": has_two_factor(user),
        "required": staff_two_factor_required(request),
        "form": TwoFactorCodeForm(),
        "codes": None,
        "pending": None,
    }
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "start":
        context["pending"] = totp_device_start(user=user)
    elif action == "confirm":
        form = TwoFactorCodeForm(request.POST)
        codes = totp_device_confirm(user=user, token=form.cleaned_data["token"]) if form.is_valid() else None
        if codes is None:
            form.add_error("token", _("That code is not right. Check the time on your phone and try again."))
            context["form"] = form
            context["pending"] = totp_device(user)
            if context["pending"] is None or context["pending"].confirmed:
                context["pending"] = totp_device_start(user=user)
        else:
            two_factor_sign_in(request=request, device=totp_device(user))
            context.update(enabled=True, codes=codes)
            messages.success(request, _("Two-factor sign-in is on."))
    elif action == "codes" and context["enabled"]:
        context["codes"] = backup_codes_renew(user=user)
    elif action == "disable" and context["enabled"]:
        if context["required"]:
            messages.error(request, _("The chamber requires two-factor sign-in for its staff."))
        else:
            form = TwoFactorCodeForm(request.POST)
            if form.is_valid() and two_factor_check(user=user, token=form.cleaned_data["token"]):
                two_factor_disable(user=user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor_setup")
            form.add_error("token", _("That code is not right."))
            context["form"] = form
    if context["pending"] is not None:
        context["qr"] = _qr_svg(context["pending"].config_url)
        context["secret"] = _base32(context["pending"])
    backup = backup_device(user)
    context["backup_left"] = backup.token_set.count() if backup else 0
    return render(request, "exhibitors/two_factor_setup.html", context)


def _base32(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """After the password, the code: from the authenticator app or a backup code."""
    user = request.user
    next_url = _next_url(request)
    if not has_two_factor(user) and not backup_device(user):
        return redirect(next_url or "dashboard")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor_check(user=user, token=form.cleaned_data["token"])
        if device is not None:
            two_factor_sign_in(request=request, device=device)
            return redirect(next_url or "dashboard")
        form.add_error(
            "token", _("That code is not right. After several wrong codes, each try waits longer.")
        )
    status = 400 if form.errors else 200
    return render(
        request, "exhibitors/two_factor_verify.html", {"form": form, "next": next_url}, status=status
    )
