"""Failed sign-ins, as django-axes counts them (settings: AXES_*): which account an attempt names, and what
happens around a lockout. The pause falls on an address, never on an account (see docs/architecture.md)."""

from django.conf import settings
from django.urls import reverse

# An attempt names its account in one of these: allauth's form passes `email`, Wagtail's admin `username`.
CREDENTIAL_KEYS = ("email", "username")
POST_KEYS = ("login", "username", "email")


def sign_in_name(request, credentials: dict | None) -> str | None:
    """The account an attempt is for, as axes stores it: the address as typed, trimmed and lower-cased, so
    "Owner@…" and "owner@…" count together (AXES_USERNAME_CALLABLE)."""
    value = next((credentials[key] for key in CREDENTIAL_KEYS if credentials and credentials.get(key)), None)
    if value is None and request is not None and request.method == "POST":
        value = next((request.POST[key] for key in POST_KEYS if request.POST.get(key)), None)
    if not isinstance(value, str):
        return None
    return value.replace("\x00", "").strip().lower()[:255] or None


def on_user_locked_out(sender, request, username, ip_address, **kwargs):
    """axes' user_locked_out fires on each refused attempt; the owner hears once, at the limit."""
    from exhibitors.services.accounts import sign_in_lockout_notify

    if request is None or not username:
        return
    if getattr(request, "axes_failures_since_start", None) != settings.AXES_FAILURE_LIMIT:
        return
    sign_in_lockout_notify(
        email=username,
        ip_address=ip_address,
        reset_url=request.build_absolute_uri(reverse("account_reset_password")),
    )


def on_password_reset(sender, request, user, **kwargs):
    """A new password set through the e-mailed link: that account's failed sign-ins are forgotten."""
    from exhibitors.services.accounts import sign_in_failures_clear

    sign_in_failures_clear(user=user)


def connect_receivers() -> None:
    from allauth.account.signals import password_reset
    from axes.signals import user_locked_out

    user_locked_out.connect(on_user_locked_out, dispatch_uid="feria_sign_in_locked_out")
    password_reset.connect(on_password_reset, dispatch_uid="feria_sign_in_password_reset")
