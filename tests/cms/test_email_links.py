"""Every e-mail the platform sends links to the configured public origin (FERIA_SITE_URL), whatever host the
request that caused it came to, and account e-mails are signed with the chamber's name."""

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from cms.models import ChamberSettings
from exhibitors.enums import MembershipRole
from exhibitors.services.companies import invitation_create
from exhibitors.services.decisions import application_approve
from fair.chat.services.conversations import conversation_start
from fair.chat.tasks import chat_alerts_send
from payments.models import TaxRate
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from tests.exhibitors.test_accounts import PASSWORD, signup_data
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.staff import ChamberStaffFactory
from tests.fair.chat.conftest import send_text
from tests.fair.chat.test_alerts import aged

ORIGIN = "https://fair.camara-piura.example:8443"
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s<>\"']+")


@pytest.fixture
def origin(settings, home_page):
    settings.FERIA_SITE_URL = ORIGIN
    chamber = ChamberSettings.for_site(Site.objects.get(is_default_site=True))
    chamber.chamber_name = "Cámara de Comercio de Piura"
    chamber.save()
    return ORIGIN


def links(message) -> list[str]:
    bodies = [message.body, *(content for content, _type in getattr(message, "alternatives", []))]
    return [url for body in bodies for url in URL.findall(body)]


def assert_links_use_origin(message, *paths: str) -> None:
    found = links(message)
    assert found, message.body
    assert all(url.startswith(ORIGIN + "/") for url in found), found
    for path in paths:
        assert any(url.startswith(ORIGIN + path) for url in found), (path, found)


def test_account_emails_link_to_the_origin_and_carry_the_chamber_name(client, origin):
    # The request comes to another host and port than the public one.
    client.post(reverse("account_signup"), signup_data(), HTTP_HOST="127.0.0.1")
    confirmation = mail.outbox[-1]
    assert confirmation.subject.startswith("[Cámara de Comercio de Piura] ")
    assert "127.0.0.1" not in confirmation.subject
    assert_links_use_origin(confirmation, "/en/accounts/confirm-email/")

    # Signing up with a confirmed address someone already has: "an account already exists", with a reset link.
    UserFactory(email="taken@example.com")
    Client().post(reverse("account_signup"), signup_data(email="taken@example.com"), HTTP_HOST="localhost")
    assert_links_use_origin(mail.outbox[-1], "/en/accounts/password/reset/")

    client.post(reverse("account_reset_password"), {"email": "taken@example.com"}, HTTP_HOST="localhost")
    reset = mail.outbox[-1]
    assert reset.subject.startswith("[Cámara de Comercio de Piura] ")
    assert_links_use_origin(reset, "/en/accounts/password/reset/key/")

    client.post(reverse("account_reset_password"), {"email": "nobody@example.com"}, HTTP_HOST="localhost")
    assert_links_use_origin(mail.outbox[-1], "/en/accounts/signup/")
    assert len(mail.outbox) == 4
    assert PASSWORD not in "".join(message.body for message in mail.outbox)


def test_invitation_links_to_the_origin(origin):
    owner = MembershipFactory(role=MembershipRole.OWNER)
    invitation = invitation_create(
        company=owner.company,
        email="colleague@example.com",
        role=MembershipRole.STAFF,
        invited_by=owner.user,
        language="es",
    )
    assert_links_use_origin(mail.outbox[-1], f"/es/invitations/{invitation.token}/")


def test_decision_links_to_the_origin(origin, django_capture_on_commit_callbacks):
    booth = BoothFactory()
    MembershipFactory(company=booth.company)
    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=booth.application, by=ChamberStaffFactory())
    assert_links_use_origin(mail.outbox[-1], f"/en/booths/{booth.pk}/")


def test_receipt_links_to_the_origin(origin, django_capture_on_commit_callbacks):
    TaxRate.objects.create(name="IGV", rate="18.000")
    fair = FairPageFactory(slug="andean", booth_payment_required=True)
    hall = HallFactory(fair=fair)
    company = CompanyFactory()
    owner = UserFactory()
    MembershipFactory(user=owner, company=company)
    package = BoothPackageFactory(fair=fair, price_amount=15000, currency="USD")
    booth = BoothFactory(fair=fair, company=company, package=package, hall=hall)
    order = booth_fee_order_ensure(booth=booth)
    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_record(order=order, amount=order.total_amount, received_on=date.today(), by=owner)
    assert mail.outbox
    for message in mail.outbox:
        assert_links_use_origin(message, "/en/payments/receipts/")


def test_chat_alerts_link_to_the_origin(origin):
    company = CompanyFactory()
    staff = UserFactory()
    MembershipFactory(user=staff, company=company)
    buyer = UserFactory(preferred_language="fr")
    conversation = conversation_start(buyer=buyer, company=company)

    aged(send_text(conversation, buyer, "Do you ship to Hamburg?"))
    assert chat_alerts_send()["staff"] == 1
    assert_links_use_origin(mail.outbox[-1], f"/en/chat/conversations/{conversation.pk}/")

    aged(send_text(conversation, staff, "Yes, every week."))
    assert chat_alerts_send()["buyers"] == 1
    assert_links_use_origin(mail.outbox[-1], f"/fr/chat/conversations/{conversation.pk}/")
