"""Two-factor sign-in (django-otp: a TOTP authenticator app, plus one-time backup codes) for the chamber's
staff. After the password, a person with a confirmed device must give a code before any other page
(cms.middleware.TwoFactorMiddleware sends them to `two_factor_verify`); when the chamber requires it
(ChamberSettings.require_staff_two_factor), staff without a device are sent to set one up before the admin."""

from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set at sign-in for a person with a confirmed device; cleared once they gave a code.
PENDING_SESSION_KEY = "feria_two_factor_pending"

# Whether the chamber requires two-factor sign-in of its staff: the site package registers where to read it
# (cms.apps: ChamberSettings.require_staff_two_factor), as this app cannot read the chamber's settings.
_required_source = None


def staff_requirement_source_register(source) -> None:
    """Tell this app how to read the chamber's requirement (`source(request) -> bool`), once at start-up."""
    global _required_source
    _required_source = source


def staff_two_factor_required(request) -> bool:
    return bool(_required_source is not None and _required_source(request))


def is_staff_member(user) -> bool:
    """Chamber staff and administrators: whoever may open the Wagtail admin."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
    )


def totp_device(user) -> TOTPDevice | None:
    """The person's authenticator (confirmed or being set up)."""
    return TOTPDevice.objects.filter(user=user).order_by("-confirmed", "-id").first()


def backup_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def session_two_factor_pending(session) -> bool:
    """Whether this session signed in with a password but has not yet given the code its person owes. Sockets
    read it from the handshake's session (fair/chat/consumers.py, fair/meetings/consumers.py), as no page
    middleware runs for them."""
    return bool(session is not None and session.get(PENDING_SESSION_KEY))


def on_user_logged_in(sender, request, user, **kwargs):
    """Right after the password: a person with a confirmed authenticator still owes a code."""
    if request is None or not hasattr(request, "session"):
        return
    if request.session.get(DEVICE_ID_SESSION_KEY):
        return
    if any(True for _device in devices_for_user(user, confirmed=True)):
        request.session[PENDING_SESSION_KEY] = True
    elif is_staff_member(user):
        # Read the chamber's requirement now, so the admin's pages find it cached.
        staff_two_factor_required(request)


def connect_receivers() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(on_user_logged_in, dispatch_uid="feria_two_factor_pending")
