"""Two-factor sign-in for staff: set up with an authenticator (QR as inline SVG) and backup codes, the code
asked after the password, and the chamber's requirement sending staff without one to set it up."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Site

from cms.models import ChamberSettings
from exhibitors.services.two_factor import backup_codes_renew
from tests.factories.exhibitors import UserFactory

PASSWORD = "correct horse battery"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _confirmed_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    backup_codes_renew(user=user)
    return device


def _password_sign_in(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_staff_set_up_an_authenticator_and_get_backup_codes(client, staff):
    client.force_login(staff)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    started = client.post(reverse("two_factor_setup"), {"action": "start"})
    content = started.content.decode()
    assert "<svg" in content and "style=" not in content
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"action": "confirm", "token": code_for(device)})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    codes = re.findall(r"<code>([a-z0-9]{8})</code>", done.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=staff).values_list("token", flat=True)) == set(codes)


def test_people_who_are_not_staff_cannot_open_the_setup(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("two_factor_setup")).status_code == 404


def test_sign_in_asks_for_the_code_after_the_password(client, staff):
    device = _confirmed_device(staff)
    _password_sign_in(client, staff.email)
    blocked = client.get(reverse("dashboard"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("two_factor_verify"))
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_verify"))
    right = client.post(reverse("two_factor_verify"), {"token": code_for(device), "next": "/admin/"})
    assert right.status_code == 302 and right["Location"] == "/admin/"
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, staff):
    _confirmed_device(staff)
    code = StaticToken.objects.filter(device__user=staff).first().token
    _password_sign_in(client, staff.email)
    assert client.post(reverse("two_factor_verify"), {"token": code}).status_code == 302
    client.logout()
    _password_sign_in(client, staff.email)
    assert client.post(reverse("two_factor_verify"), {"token": code}).status_code == 400


def test_people_without_a_device_sign_in_with_the_password_alone(client, db):
    user = UserFactory(email="bea@example.com")
    _password_sign_in(client, user.email)
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.fixture
def required(db):
    settings = ChamberSettings.for_site(Site.objects.get(is_default_site=True))
    settings.require_staff_two_factor = True
    settings.save()
    return settings


def test_when_required_staff_without_a_device_set_one_up_before_the_admin(client, staff, required):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # The rest of the site still opens; only the admin waits.
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("two_factor_setup"), {"action": "start"})
    device = TOTPDevice.objects.get(user=staff)
    client.post(reverse("two_factor_setup"), {"action": "confirm", "token": code_for(device)})
    assert client.get("/admin/").status_code == 200


def test_when_required_staff_cannot_turn_it_off(client, staff, required):
    device = _confirmed_device(staff)
    client.force_login(staff)
    client.post(reverse("two_factor_verify"), {"token": code_for(device)})
    client.post(reverse("two_factor_setup"), {"action": "disable", "token": "whatever"})
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_not_required_staff_without_a_device_reach_the_admin(client, staff):
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_make_the_next_try_wait(client, staff):
    device = _confirmed_device(staff)
    _password_sign_in(client, staff.email)
    wrong = client.post(
        reverse("two_factor_verify"), {"token": "000000" if code_for(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    # Straight after a failure even the right code waits (django-otp's throttling)...
    assert client.post(reverse("two_factor_verify"), {"token": code_for(device)}).status_code == 400
    # ...and is taken once the wait is over.
    device.refresh_from_db()
    device.throttling_failure_timestamp = device.throttling_failure_timestamp - timedelta(minutes=5)
    device.save()
    assert client.post(reverse("two_factor_verify"), {"token": code_for(device)}).status_code == 302


def test_a_password_alone_cannot_enrol_a_new_authenticator(client, staff):
    device = _confirmed_device(staff)
    _password_sign_in(client, staff.email)
    response = client.post(reverse("two_factor_setup"), {"action": "start"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))
    assert list(TOTPDevice.objects.filter(user=staff)) == [device]
