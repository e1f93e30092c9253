"""Every kind of e-mail the platform sends goes out in its recipient's language: sent once per language, each
must say which (Content-Language), carry the subject in that language and link under that language's prefix;
no e-mail writes a time of day, so none depends on a time zone (the receipt's date is the day recorded)."""

from datetime import date

import pytest
from django.core import mail

from exhibitors.enums import MembershipRole
from exhibitors.services.companies import invitation_create
from exhibitors.services.decisions import application_approve
from fair.chat.services.conversations import conversation_start
from fair.chat.tasks import chat_alerts_send
from payments.models import TaxRate
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.staff import ChamberStaffFactory
from tests.fair.chat.conftest import send_text
from tests.fair.chat.test_alerts import aged

LANGUAGES = ["en", "es", "fr", "pt"]
ZONES = {"en": "America/New_York", "es": "America/Lima", "fr": "Europe/Paris", "pt": "America/Sao_Paulo"}


@pytest.fixture
def origin(settings, home_page):
    settings.FERIA_SITE_URL = "https://fair.example"
    return settings.FERIA_SITE_URL


def person(language: str, **fields):
    return UserFactory(preferred_language=language, time_zone=ZONES[language], **fields)


def assert_in_language(message, language: str) -> None:
    assert message.extra_headers.get("Content-Language") == language, message.subject
    assert f"/{language}/" in message.body, message.body


def subjects_differ(messages) -> bool:
    return len({message.subject for message in messages}) == len(messages)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_email_in_chosen_language(origin, language):
    owner = MembershipFactory(role=MembershipRole.OWNER)

    invitation_create(
        company=owner.company,
        email="colleague@example.com",
        role=MembershipRole.STAFF,
        invited_by=owner.user,
        language=language,
    )

    assert_in_language(mail.outbox[-1], language)


def test_decision_email_each_member_in_own_language(origin, django_capture_on_commit_callbacks):
    booth = BoothFactory()
    for language in LANGUAGES:
        MembershipFactory(company=booth.company, user=person(language))

    with django_capture_on_commit_callbacks(execute=True):
        application_approve(application=booth.application, by=ChamberStaffFactory())

    by_recipient = {message.to[0]: message for message in mail.outbox}
    for membership in booth.company.memberships.select_related("user"):
        message = by_recipient.get(membership.user.email)
        if message is None:  # the factory's own member, in English
            continue
        assert_in_language(message, membership.user.preferred_language)
    assert subjects_differ([by_recipient[m.user.email] for m in booth.company.memberships.all()][-4:])


@pytest.mark.parametrize("language", LANGUAGES)
def test_receipt_email_in_payers_language(origin, django_capture_on_commit_callbacks, language):
    TaxRate.objects.create(name="IGV", rate="18.000")
    fair = FairPageFactory(slug="andean", booth_payment_required=True)
    company = CompanyFactory()
    owner = person(language)
    MembershipFactory(user=owner, company=company)
    package = BoothPackageFactory(fair=fair, price_amount=15000, currency="USD")
    booth = BoothFactory(fair=fair, company=company, package=package, hall=HallFactory(fair=fair))
    order = booth_fee_order_ensure(booth=booth)
    received = date.today()

    with django_capture_on_commit_callbacks(execute=True):
        bank_transfer_record(order=order, amount=order.total_amount, received_on=received, by=owner)

    receipts = [message for message in mail.outbox if message.to == [owner.email]]
    assert receipts
    for message in receipts:
        assert_in_language(message, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_chat_alerts_in_each_recipients_language(origin, language):
    company = CompanyFactory()
    staff = person(language)
    MembershipFactory(user=staff, company=company)
    buyer = person(language)
    conversation = conversation_start(buyer=buyer, company=company)

    aged(send_text(conversation, buyer, "Do you ship to Hamburg?"))
    assert chat_alerts_send()["staff"] == 1
    assert_in_language(mail.outbox[-1], language)

    aged(send_text(conversation, staff, "Yes, every week."))
    assert chat_alerts_send()["buyers"] == 1
    assert_in_language(mail.outbox[-1], language)


def test_alert_subjects_are_translated(origin):
    subjects = []
    for language in LANGUAGES:
        company = CompanyFactory()
        MembershipFactory(user=person(language), company=company)
        conversation = conversation_start(buyer=person(language), company=company)
        aged(send_text(conversation, conversation.buyer, "Hola"))
        chat_alerts_send()
        subjects.append(mail.outbox[-1].subject)

    assert len(set(subjects)) == 4, subjects
