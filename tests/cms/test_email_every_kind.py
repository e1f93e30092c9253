"""Every kind of e-mail the platform sends, sent through the code that sends it in each of the four languages:
each says its language (Content-Language), its subject and body hold a known phrase of that kind in that
language (and, outside English, not the English one), no English sentence of the same e-mail is left in a
translated one, and the times it writes are in the recipient's time zone.

The kinds: allauth's account e-mails (sign-up confirmation, password reset, "you already have an account",
"no account with this address"), the sign-in lockout notice, invitations, booth decisions (approved and
rejected), data export ready, account erasure requested and cancelled, a company closed, chat alerts (to
staff and to buyers), chat sanctions (warning and block), payment receipts, excess-payment refunds, the
record log's failed-check alert to administrators, and every meeting e-mail (request, acceptance, decline,
proposal, cancellation, expiry, the two reminders)."""

import re
import zoneinfo
from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import Company
from exhibitors.records.services import record_append
from exhibitors.records.tasks import records_daily
from exhibitors.services.accounts import sign_in_lockout_notify
from exhibitors.services.closing import company_close
from exhibitors.services.companies import invitation_create
from exhibitors.services.decisions import application_approve, application_reject
from exhibitors.services.erasure import erasure_cancel, erasure_request
from exhibitors.services.exports import export_request
from exhibitors.services.mail import email_enqueue
from fair.chat.admin.moderation import _sanction_email
from fair.chat.enums import SanctionKind
from fair.chat.models import ChatSanction
from fair.chat.services.conversations import conversation_start
from fair.chat.tasks import chat_alerts_send
from fair.meetings.models import Meeting
from fair.meetings.services.reminders import meeting_remind
from fair.meetings.services.requests import (
    meeting_accept,
    meeting_cancel,
    meeting_decline,
    meeting_propose,
    meeting_request,
    meetings_expire,
)
from payments.enums import AttemptMethod, AttemptStatus, RefundStatus
from payments.models import PaymentAttempt, Refund, TaxRate
from payments.services.bank import bank_transfer_record
from payments.services.booth_fees import booth_fee_order_ensure
from payments.services.mail import excess_refund_notify
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory
from tests.factories.meetings import MeetingSlotFactory
from tests.factories.staff import ChamberStaffFactory
from tests.fair.chat.conftest import send_text
from tests.fair.chat.test_alerts import aged
from tests.records_tamper import tamper

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es", "fr", "pt"]
ZONES = {"en": "America/New_York", "es": "America/Lima", "fr": "Europe/Paris", "pt": "America/Sao_Paulo"}
PASSWORD = "correct horse battery"
# Texts people typed: not English sentences, so they cannot pass for untranslated words.
AGENDA = "Café 0901 × 2"
REASON = "Ref. 42/B"
CHAT_TEXT = "¿Hamburg?"

# A known phrase of each kind, for the subject and for the body: (msgid, its placeholders' values).
PHRASES: dict[str, list[tuple[str, dict]]] = {
    "email_confirmation": [
        ("Confirm your e-mail address", {}),
        ("To confirm that the address is yours, open this link:", {}),
    ],
    "password_reset_key": [("Choose a new password", {}), ("To choose a new password, open this link:", {})],
    "account_already_exists": [
        ("You already have an account", {}),
        ("If you have forgotten your password, you can choose a new one here:", {}),
    ],
    "unknown_account": [
        ("No account with this e-mail address", {}),
        ("If it was you, you can create an account here:", {}),
    ],
    "sign_in_paused": [
        ("Your account is not locked: you can sign in as usual from your own connection.", {})
    ],
    "invitation": [
        ("To accept, open this link (sign in or create an account with this e-mail address when asked):", {}),
    ],
    "decision_approved": [
        ("Your booth at %(fair)s is approved", {"fair": "Expo Lima 2027"}),
        (
            "Buyers will find it in the fair once it opens. Keep your products, brochures and office "
            "hours up to date in the booth builder:",
            {},
        ),
    ],
    "decision_rejected": [
        ("Your booth application for %(fair)s was not accepted", {"fair": "Expo Lima 2027"}),
        ("The chamber's reason:", {}),
    ],
    "export_ready": [("The copy of your data that you asked for is ready.", {})],
    "erasure_requested": [("Until then you can cancel it on your privacy page:", {})],
    "erasure_cancelled": [("The erasure of your account is cancelled. Your account stays as it was.", {})],
    "company_closed": [
        ("Your own account stays as it is. Paid orders and receipts keep the company's name.", {})
    ],
    "staff_alert": [("You get one e-mail per unanswered question, not one per message.", {})],
    "buyer_alert": [
        ("%(company)s answered your message", {"company": "Cafe Inca S.A.C."}),
        ("Read the conversation and reply:", {}),
    ],
    "sanction_warning": [
        (
            "The chamber's moderators have looked at one of your chat messages and ask you to keep to the "
            "rules of the fair.",
            {},
        ),
    ],
    "sanction_block": [
        ("The chamber's moderators have blocked you from chat: you can no longer open or send messages.", {}),
    ],
    "receipt": [("Total paid:", {}), ("See the receipt online:", {})],
    "excess_refund": [
        (
            "We are giving the %(amount)s paid beyond the total back to your card. Nothing else is needed "
            "from you; your bank usually shows it within 5 to 10 business days.",
            None,  # the amount is written in the language's own format: checked without it below
        ),
    ],
    "records_alert": [("Record log verification failed", {})],
    "meeting_requested": [("%(other)s would like to meet you.", {"other": "Bea Compra"})],
    "meeting_accepted": [
        ("Meeting confirmed with %(other)s", {"other": "Cafe Inca S.A.C."}),
        ("%(other)s accepted: the meeting is confirmed.", {"other": "Cafe Inca S.A.C."}),
    ],
    "meeting_declined": [("%(other)s declined the meeting request.", {"other": "Cafe Inca S.A.C."})],
    "meeting_proposed": [
        ("%(other)s proposes another time for the meeting you asked for.", {"other": "Cafe Inca S.A.C."})
    ],
    "meeting_cancelled": [("Meeting with %(other)s cancelled", {"other": "Bea Compra"})],
    "meeting_expired": [("Your meeting request to %(other)s expired", {"other": "Cafe Inca S.A.C."})],
    "meeting_reminder_day": [("A reminder: you meet %(other)s tomorrow.", {"other": "Cafe Inca S.A.C."})],
    "meeting_reminder_soon": [("In 15 minutes: meeting with %(other)s", {"other": "Cafe Inca S.A.C."})],
}
MEETING_KINDS = [kind for kind in PHRASES if kind.startswith("meeting_")]


def _person(language: str, name: str, **fields):
    first, last = name.split()
    return UserFactory(
        email=f"{first.lower()}.{language}.{UserFactory._meta.model.objects.count()}@example.com",
        first_name=first,
        last_name=last,
        preferred_language=language,
        time_zone=ZONES[language],
        **fields,
    )


class Outbox:
    """Runs one way of sending and keeps the message it sent to one person."""

    def __init__(self, capture):
        self.capture = capture
        self.found: dict[str, object] = {}

    def take(self, kind: str, to, send) -> None:
        before = len(mail.outbox)
        with self.capture(execute=True):
            send()
        address = to if isinstance(to, str) else to.email
        sent = [message for message in mail.outbox[before:] if message.to == [address]]
        assert sent, f"no {kind} e-mail to {address}"
        self.found[kind] = sent[-1]


def emails_in(language: str, client, capture) -> dict:
    """Every kind of e-mail, each sent once to a person who reads `language`."""
    outbox = Outbox(capture)
    fair = FairPageFactory(title="Expo Lima 2027", slug=f"expo-{language}", time_zone="America/Lima")
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.")
    staff = _person(language, "Sam Staff")
    MembershipFactory(company=company, user=staff, role=MembershipRole.STAFF)
    buyer = _person(language, "Bea Compra")

    # allauth: confirmation at sign-up, reset, an existing address signing up again, an unknown address.
    signup_email = f"rosa.{language}@example.com"
    signup = {
        "first_name": "Rosa",
        "last_name": "Quispe",
        "email": signup_email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "account_kind": "exhibitor",
        "preferred_language": language,
        "accept_terms": "on",
        "accept_privacy": "on",
    }
    outbox.take("email_confirmation", signup_email, lambda: client.post("/en/accounts/signup/", signup))
    client.logout()
    outbox.take(
        "password_reset_key",
        buyer,
        lambda: client.post("/en/accounts/password/reset/", {"email": buyer.email}),
    )
    outbox.take(
        "account_already_exists",
        buyer,
        lambda: client.post("/en/accounts/signup/", {**signup, "email": buyer.email}),
    )
    client.logout()
    nobody = f"nobody.{language}@example.com"
    outbox.take(
        "unknown_account",
        nobody,
        lambda: client.post(f"/{language}/accounts/password/reset/", {"email": nobody}),
    )
    outbox.take(
        "sign_in_paused",
        buyer,
        lambda: sign_in_lockout_notify(
            email=buyer.email, ip_address="192.0.2.1", reset_url=f"/{language}/accounts/password/reset/"
        ),
    )

    # Companies and booths.
    owner = MembershipFactory(role=MembershipRole.OWNER).user
    invited = f"colleague.{language}@example.com"
    outbox.take(
        "invitation",
        invited,
        lambda: invitation_create(
            company=owner.memberships.get().company,
            email=invited,
            role=MembershipRole.STAFF,
            invited_by=owner,
            language=language,
        ),
    )
    for kind, decide in (
        ("decision_approved", lambda a: application_approve(application=a, by=ChamberStaffFactory())),
        (
            "decision_rejected",
            lambda a: application_reject(application=a, by=ChamberStaffFactory(), reason=REASON),
        ),
    ):
        booth = BoothFactory(fair=fair)
        member = _person(language, "Mia Member")
        MembershipFactory(company=booth.company, user=member)
        outbox.take(kind, member, lambda booth=booth, decide=decide: decide(booth.application))

    # Privacy.
    outbox.take("export_ready", buyer, lambda: export_request(user=buyer))
    leaving = _person(language, "Lea Leaving")
    leaving.set_password(PASSWORD)
    leaving.save()
    outbox.take("erasure_requested", leaving, lambda: erasure_request(user=leaving, password=PASSWORD))
    outbox.found["_erasure_due"] = leaving.erasure_due_at
    outbox.take("erasure_cancelled", leaving, lambda: erasure_cancel(user=leaving))

    # Chat.
    conversation = conversation_start(buyer=buyer, company=company)
    outbox.take(
        "staff_alert", staff, lambda: (aged(send_text(conversation, buyer, CHAT_TEXT)), chat_alerts_send())
    )
    outbox.take(
        "buyer_alert", buyer, lambda: (aged(send_text(conversation, staff, CHAT_TEXT)), chat_alerts_send())
    )
    for kind, sanction_kind in (
        ("sanction_warning", SanctionKind.WARNING),
        ("sanction_block", SanctionKind.BLOCK),
    ):
        offender = _person(language, "Olaf Offender")
        sanction = ChatSanction.objects.create(user=offender, kind=sanction_kind, reason=REASON)
        outbox.take(kind, offender, lambda sanction=sanction: email_enqueue(_sanction_email(sanction)))

    # Payments: a receipt, and money paid beyond the total given back.
    TaxRate.objects.get_or_create(name="IGV", defaults={"rate": "18.000"})
    paying_fair = FairPageFactory(slug=f"paid-{language}", booth_payment_required=True)
    payer = _person(language, "Pia Payer")
    paying_company = CompanyFactory()
    MembershipFactory(user=payer, company=paying_company)
    package = BoothPackageFactory(fair=paying_fair, price_amount=15000, currency="USD")
    booth = BoothFactory(
        fair=paying_fair, company=paying_company, package=package, hall=HallFactory(fair=paying_fair)
    )
    order = booth_fee_order_ensure(booth=booth)
    outbox.take(
        "receipt",
        payer,
        lambda: bank_transfer_record(
            order=order, amount=order.total_amount, received_on=date.today(), by=payer
        ),
    )
    attempt = PaymentAttempt.objects.create(
        order=order,
        method=AttemptMethod.CHECKOUT,
        status=AttemptStatus.SUCCEEDED,
        amount=order.total_amount,
        currency=order.currency,
        created_by=payer,
    )
    refund = Refund.objects.create(
        order=order,
        attempt=attempt,
        amount=order.total_amount,
        currency=order.currency,
        excess=True,
        status=RefundStatus.SUCCEEDED,
    )
    outbox.take("excess_refund", payer, lambda: excess_refund_notify(refund=refund))

    # The record log's daily check finds a changed entry: administrators are told.
    admin = _person(language, "Ada Admin", is_superuser=True, is_staff=True)
    record_append(kind="company.verified", facts={"company": 1}, subject=f"test:{language}")
    changed = '{"changed": true}'
    tamper("UPDATE records_record SET canonical = %s WHERE subject = %s", [changed, f"test:{language}"])
    outbox.take("records_alert", admin, records_daily)
    tamper("DELETE FROM records_record", [])

    # Meetings, each e-mail to the side that did not act.
    BoothFactory(fair=fair, company=company, status=ApplicationStatus.APPROVED)
    slots = [MeetingSlotFactory(fair=fair, company=company, staff=staff) for _ in range(7)]
    meetings: dict[str, object] = {}

    def request(slot):
        meeting = meeting_request(buyer=buyer, slot=slot, agenda=AGENDA)
        meetings.setdefault("last", []).append(meeting)
        return meeting

    outbox.take("meeting_requested", staff, lambda: meetings.update(a=request(slots[0])))
    outbox.take("meeting_accepted", buyer, lambda: meeting_accept(meeting=meetings["a"], by=staff))
    outbox.take(
        "meeting_declined", buyer, lambda: meeting_decline(meeting=request(slots[1]), by=staff, reason=REASON)
    )
    outbox.take(
        "meeting_proposed", buyer, lambda: meeting_propose(meeting=request(slots[2]), by=staff, slot=slots[3])
    )
    outbox.take(
        "meeting_cancelled", staff, lambda: meeting_cancel(meeting=meetings["a"], by=buyer, reason=REASON)
    )
    reminded = request(slots[4])
    meeting_accept(meeting=reminded, by=staff)
    outbox.take(
        "meeting_reminder_day",
        buyer,
        lambda: meeting_remind(
            meeting_id=reminded.pk, kind="day", now=reminded.starts_at - timedelta(hours=23)
        ),
    )
    outbox.take(
        "meeting_reminder_soon",
        buyer,
        lambda: meeting_remind(
            meeting_id=reminded.pk, kind="soon", now=reminded.starts_at - timedelta(minutes=14)
        ),
    )
    expiring = request(slots[5])
    outbox.take(
        "meeting_expired", buyer, lambda: meetings_expire(now=expiring.expires_at + timedelta(seconds=1))
    )
    closing = CompanyFactory(legal_name="Cafe Cerrado S.A.C.")
    closer = _person(language, "Olga Owner")
    MembershipFactory(company=closing, user=closer, role=MembershipRole.OWNER)
    outbox.take("company_closed", closer, lambda: company_close(company=closing, by=closer))
    outbox.found["_closed_at"] = Company.objects.get(pk=closing.pk).closed_at
    return outbox.found


def _expected(msgid: str, params, language: str) -> tuple[str, str]:
    """The phrase in `language` and in English; a phrase whose placeholder is formatted per language is
    checked up to its first placeholder."""
    with translation.override(language):
        translated = gettext(msgid)
    if params is None:
        return translated.split("%(")[0].strip(), msgid.split("%(")[0].strip()
    return translated % params, msgid % params


def _sentences(body: str) -> set[str]:
    """The lines of an e-mail that are sentences of ours: three or more words, no links or addresses, none
    of the texts people typed."""
    found = set()
    for line in body.splitlines():
        line = line.strip()
        if not line or "http" in line or "@" in line or line.startswith(">"):
            continue
        if any(text in line for text in (AGENDA, REASON, CHAT_TEXT)):
            continue
        if len(re.findall(r"[A-Za-z]{3,}", line)) >= 3:
            found.add(line)
    return found


@pytest.fixture
def english(client, django_capture_on_commit_callbacks, settings, home_page):
    settings.FERIA_SITE_URL = "https://fair.example"
    return emails_in("en", client, django_capture_on_commit_callbacks)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_kind_in_the_recipients_language_and_zone(
    language, english, client, django_capture_on_commit_callbacks
):
    found = english if language == "en" else emails_in(language, client, django_capture_on_commit_callbacks)
    assert set(PHRASES) <= set(found)
    for kind, phrases in PHRASES.items():
        message = found[kind]
        text = message.subject + "\n" + message.body
        assert message.extra_headers.get("Content-Language") == language, (kind, message.extra_headers)
        for msgid, params in phrases:
            translated, original = _expected(msgid, params, language)
            assert " ".join(translated.split()) in " ".join(text.split()), (kind, language, translated, text)
            if language != "en":
                assert translated != original, f"{kind}: {msgid!r} has no {language} translation"
                assert original not in text, (kind, language, original)
        if language != "en":
            leftovers = _sentences(english[kind].body) & _sentences(message.body)
            assert not leftovers, (kind, language, leftovers)
            assert message.subject != english[kind].subject, (kind, message.subject)

    # Times are the recipient's: each meeting in their zone (and the fair's beside it where it differs).
    zone = zoneinfo.ZoneInfo(ZONES[language])
    for kind in MEETING_KINDS:
        body = found[kind].body
        meeting = Meeting.objects.get(uuid=re.search(r"/meetings/([0-9a-f-]{36})/", body).group(1))
        start, end = timezone.localtime(meeting.starts_at, zone), timezone.localtime(meeting.ends_at, zone)
        assert f"{start:%H:%M}–{end:%H:%M} ({ZONES[language]})" in body, (kind, body)
        fair_start = timezone.localtime(meeting.starts_at, zoneinfo.ZoneInfo("America/Lima"))
        differs = fair_start.utcoffset() != start.utcoffset()
        assert (f"{fair_start:%H:%M} (America/Lima)" in body) == differs, (kind, body)
    # The erasure date too.
    with translation.override(language):
        due = formats.date_format(timezone.localtime(found["_erasure_due"], zone), "DATETIME_FORMAT")
    assert due in found["erasure_requested"].body, (due, found["erasure_requested"].body)
    # And the moment a company was closed.
    with translation.override(language):
        closed = formats.date_format(timezone.localtime(found["_closed_at"], zone), "DATETIME_FORMAT")
    assert closed in found["company_closed"].body, (closed, found["company_closed"].body)
