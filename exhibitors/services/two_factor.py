"""Writes of two-factor sign-in: setting up an authenticator, backup codes, turning it off."""

from django.db import transaction
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from exhibitors.models import User
from exhibitors.two_factor import PENDING_SESSION_KEY

BACKUP_CODES = 10


def totp_device_start(*, user: User) -> TOTPDevice:
    """Begin setting up an authenticator: a new unconfirmed TOTP device (replacing one not confirmed)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> list[str] | None:
    """Confirm the authenticator being set up with a code from it: replaces any earlier one and makes new
    backup codes, which are returned (shown once). None when the code is not right."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token("".join(token.split())):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=user)


def backup_codes_renew(*, user: User) -> list[str]:
    """Replace the person's backup codes with new ones (each works once); returns them."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="backup", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def two_factor_check(*, user: User, token: str):
    """The device that accepts `token` (six digits: the authenticator; else a backup code, used up), or
    None. Each device counts its failures and makes the next try wait longer (django-otp's throttling)."""
    token = "".join(token.split()).lower()
    if not token:
        return None
    kind = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if isinstance(device, kind) and device.verify_token(token):
                return device
    return None


def two_factor_sign_in(*, request, device) -> None:
    """Mark this session as having given a second factor (django-otp keeps the device in the session)."""
    otp_login(request, device)
    request.session.pop(PENDING_SESSION_KEY, None)


def two_factor_disable(*, user: User) -> int:
    """Remove the person's authenticator and backup codes; returns how many devices went."""
    count = 0
    for device in devices_for_user(user, confirmed=None):
        device.delete()
        count += 1
    return count
