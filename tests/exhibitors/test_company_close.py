"""Closing a company: only an owner, with the password and the company's name; booths leave every fair,
upcoming slots go, open meetings and payment requests are cancelled (the buyer is told), conversations close
for new messages, members go and are e-mailed, paid orders and receipts stay, the closing is audit-logged and
recorded, and the former last owner can then erase their account."""

import uuid

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import Company, Invitation, Membership
from exhibitors.records.models import Record
from exhibitors.selectors.booths import booth_is_live
from exhibitors.services.closing import ACTION_CLOSE, CompanyCloseError, company_close
from exhibitors.services.erasure import erasure_request
from fair.chat.services.conversations import message_send
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting, MeetingSlot
from fair.selectors.directory import directory_booths
from payments.enums import OrderKind
from payments.models import Order, Receipt
from tests.factories.exhibitors import (
    BoothFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory
from tests.factories.privacy import chat_with_messages, paid_order_with_receipt

PASSWORD = "correct horse battery"
NAME = "Cafe Inca S.A.C."


@pytest.fixture
def company(db):
    return CompanyFactory(legal_name=NAME, slug="cafe-inca", tax_id="20123456789")


@pytest.fixture
def owner(company):
    user = UserFactory(email="olga@example.com", first_name="Olga", preferred_language="es")
    MembershipFactory(user=user, company=company, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def colleague(company):
    user = UserFactory(email="carlos@example.com", first_name="Carlos", preferred_language="fr")
    MembershipFactory(user=user, company=company, role=MembershipRole.STAFF)
    return user


@pytest.fixture
def buyer(db):
    return UserFactory(email="bea@example.com", first_name="Bea", preferred_language="en")


@pytest.fixture
def world(company, owner, colleague, buyer):
    """A live booth with a product on show, a pending booth, a booked slot, a free slot, an accepted meeting,
    a conversation, an open payment request, a paid order with its receipt and an open invitation."""
    live = BoothFactory(company=company, status=ApplicationStatus.APPROVED)
    product = ProductFactory(company=company, name="Geisha beans")
    live.products.add(product)
    pending = BoothFactory(company=company)
    meeting = MeetingFactory(slot=MeetingSlotFactory(fair=live.fair, company=company), buyer=buyer)
    free_slot = MeetingSlotFactory(fair=live.fair, company=company)
    conversation = chat_with_messages(buyer=buyer, company=company, company_member=owner)
    open_request = Order.objects.create(
        kind=OrderKind.BUYER_PAYMENT,
        payer_user=buyer,
        payee_company=company,
        conversation=conversation,
        currency="USD",
        net_amount=5000,
        tax_amount=0,
        total_amount=5000,
        reference="OPEN-1",
    )
    paid = paid_order_with_receipt(
        buyer=buyer, company=company, reference="PAID-1", recipient_name="Bea GmbH", recipient_tax_id="DE1"
    )
    Invitation.objects.create(company=company, email="new@example.com", role=MembershipRole.STAFF)
    return {
        "live": live,
        "pending": pending,
        "product": product,
        "meeting": meeting,
        "free_slot": free_slot,
        "conversation": conversation,
        "open_request": open_request,
        "paid": paid,
    }


def _close(client, company, *, password=PASSWORD, name=NAME):
    return client.post(reverse("company_close", args=[company.pk]), {"password": password, "name": name})


def test_close_page_shows_counts_and_export_link_to_owner(client, company, owner, world):
    client.force_login(owner)
    response = client.get(reverse("company_close", args=[company.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("company_privacy", args=[company.pk]) in text
    assert "2 booths leave their fairs" in text
    assert "1 pending booth application is withdrawn" in text
    assert "1 open payment request is cancelled" in text
    assert "2 upcoming meeting slots are removed" in text
    assert "1 pending or accepted upcoming meeting is cancelled" in text
    assert "2 members are removed" in text


@pytest.mark.parametrize("who", ["staff_member", "chamber_staff", "other_owner", "anonymous"])
def test_close_page_is_404_for_anyone_but_an_owner(client, company, owner, colleague, staff, who):
    if who == "staff_member":
        client.force_login(colleague)
    elif who == "chamber_staff":
        client.force_login(staff)
    elif who == "other_owner":
        other = UserFactory()
        MembershipFactory(user=other, company=CompanyFactory(), role=MembershipRole.OWNER)
        client.force_login(other)
    url = reverse("company_close", args=[company.pk])
    if who == "anonymous":
        assert client.get(url).status_code == 302
        assert _close(client, company).status_code == 302
    else:
        assert client.get(url).status_code == 404
        assert _close(client, company).status_code == 404
    company.refresh_from_db()
    assert company.closed_at is None


@pytest.mark.parametrize(
    ("password", "name", "error"),
    [
        ("wrong", NAME, "That is not your password."),
        (PASSWORD, "Cafe Inca", "Type the company&#x27;s name exactly as shown to confirm."),
    ],
)
def test_close_refused_without_password_or_name_changes_nothing(
    client, company, owner, world, password, name, error
):
    client.force_login(owner)
    response = _close(client, company, password=password, name=name)
    assert response.status_code == 400
    assert error in response.content.decode()
    company.refresh_from_db()
    assert company.closed_at is None
    assert booth_is_live(world["live"])
    assert Membership.objects.filter(company=company).count() == 2
    assert Meeting.objects.get(pk=world["meeting"].pk).status == MeetingStatus.ACCEPTED


def test_close_error_is_translated(client, company, owner):
    client.force_login(owner)
    with translation.override("es"):
        url = reverse("company_close", args=[company.pk])
    response = client.post(url, {"password": PASSWORD, "name": "Otra"})
    assert response.status_code == 400
    assert "Escriba el nombre de la empresa" in response.content.decode()
    company.refresh_from_db()
    assert company.closed_at is None


def test_close_does_everything(
    client, company, owner, colleague, buyer, world, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = _close(client, company, name="  cafe inca s.a.c. ")
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.closed_at is not None
    # Booths: withdrawn through the state machine, not live, out of the directory with their products.
    for booth in (world["live"], world["pending"]):
        booth.application.refresh_from_db()
        assert booth.application.status == ApplicationStatus.WITHDRAWN
    assert not booth_is_live(world["live"])
    assert not directory_booths(fair=world["live"].fair).exists()
    assert not directory_booths(fair=world["live"].fair, query="Geisha").exists()
    # Meetings: the accepted one cancelled with a reason, the buyer e-mailed; the upcoming slots gone.
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancel_reason == "The company has closed."
    assert not MeetingSlot.objects.filter(company=company).exists()
    assert any(message.to == [buyer.email] and "cancelled" in message.subject for message in mail.outbox)
    # Payments: the open request cancelled; the paid order and its receipt untouched, with the name.
    assert Order.objects.get(pk=world["open_request"].pk).cancelled_at is not None
    paid = Order.objects.get(pk=world["paid"].pk)
    assert paid.paid_at is not None and paid.cancelled_at is None
    receipt = Receipt.objects.get(order=paid)
    assert receipt.issuer_name == NAME
    assert Company.objects.get(pk=company.pk).legal_name == NAME
    assert Company.objects.get(pk=company.pk).tax_id == "20123456789"
    # Chat: the buyer keeps the history but can send nothing more.
    assert world["conversation"].messages.count() >= 2
    with pytest.raises(ValidationError) as refused:
        message_send(conversation=world["conversation"], sender=buyer, client_id=uuid.uuid4().hex, body="Hi?")
    assert refused.value.code == "conversation_blocked"
    client.force_login(buyer)
    page = client.get(reverse("chat:conversation", args=[world["conversation"].pk]))
    assert "This company has closed." in page.content.decode()
    # People: memberships and the open invitation gone, accounts kept, each member told in their language.
    assert not Membership.objects.filter(company=company).exists()
    assert not Invitation.objects.filter(company=company, accepted_at__isnull=True).exists()
    owner.refresh_from_db()
    colleague.refresh_from_db()
    assert owner.is_active and colleague.is_active
    to_owner = [m for m in mail.outbox if m.to == [owner.email]]
    to_colleague = [m for m in mail.outbox if m.to == [colleague.email]]
    assert to_owner and to_owner[-1].extra_headers["Content-Language"] == "es"
    assert NAME in to_owner[-1].subject
    assert to_colleague and to_colleague[-1].extra_headers["Content-Language"] == "fr"
    # Provable: audit log and record log.
    assert ModelLogEntry.objects.filter(object_id=str(company.pk), action=ACTION_CLOSE).exists()
    record = Record.objects.get(kind="company.closed")
    assert record.party_companies == [company.pk]
    assert f'"company":"{NAME}"' in record.canonical


def test_closed_company_owner_can_then_erase(company, owner, world):
    with pytest.raises(Exception):  # noqa: B017 - the last owner is refused before closing
        erasure_request(user=owner, password=PASSWORD)
    company_close(company=company, by=owner, password=PASSWORD, name=NAME)
    erasure_request(user=owner, password=PASSWORD)
    owner.refresh_from_db()
    assert owner.erasure_due_at is not None


def test_close_twice_or_by_non_owner_refused(company, owner, colleague):
    with pytest.raises(CompanyCloseError):
        company_close(company=company, by=colleague)
    company_close(company=company, by=owner)
    with pytest.raises(CompanyCloseError):
        company_close(company=company, by=owner)


def test_closed_at_time_is_now(company, owner):
    before = timezone.now()
    company_close(company=company, by=owner)
    company.refresh_from_db()
    assert company.closed_at >= before


def test_closed_company_out_of_recommendations_and_chat_start(company, owner, buyer, world):
    from fair.chat.services.conversations import conversation_start
    from fair.matchmaking.selectors.recommendations import recommendations_for

    fair = world["live"].fair

    def shown(recommendations):
        return {
            booth.pk for booth in [*recommendations.booths, *recommendations.promoted, *recommendations.plain]
        }

    assert world["live"].pk in shown(recommendations_for(fair=fair, user=buyer))
    company_close(company=company, by=owner)
    assert world["live"].pk not in shown(recommendations_for(fair=fair, user=buyer))
    other = UserFactory()
    with pytest.raises(ValidationError) as refused:
        conversation_start(buyer=other, company=Company.objects.get(pk=company.pk))
    assert refused.value.code == "company_closed"


def test_buyer_still_sees_paid_order_after_close(client, company, owner, buyer, world):
    company_close(company=company, by=owner)
    client.force_login(buyer)
    response = client.get(reverse("payments:buyer_order", args=[world["paid"].pk]))
    assert response.status_code == 200
    assert NAME in response.content.decode()
    receipt = Receipt.objects.get(order=world["paid"])
    response = client.get(reverse("payments:receipt", args=[receipt.pk]))
    assert response.status_code == 200


def test_company_settings_link_to_closing(client, company, owner):
    client.force_login(owner)
    html = client.get(reverse("company_edit", args=[company.pk])).content.decode()
    assert reverse("company_close", args=[company.pk]) in html
    html = client.get(reverse("company_privacy", args=[company.pk])).content.decode()
    assert reverse("company_close", args=[company.pk]) in html


def test_demo_closed_company_is_made_once(owner, buyer):
    from types import SimpleNamespace

    from cms.demo.closing import DEMO_NAME, closing_demo
    from fair.chat.models import Conversation

    seed = SimpleNamespace(people={"owner": owner, "buyer": buyer})
    closing_demo(seed)
    closing_demo(seed)
    closed = Company.objects.get(legal_name=DEMO_NAME)
    assert closed.closed_at is not None
    assert not closed.memberships.exists()
    assert Conversation.objects.filter(company=closed, buyer=buyer, blocks__isnull=False).count() == 1
    assert Record.objects.filter(kind="company.closed").count() == 1


def test_close_refused_while_a_payment_is_processing(company, owner, world):
    from payments.enums import AttemptMethod, AttemptStatus
    from payments.models import PaymentAttempt

    PaymentAttempt.objects.create(
        order=world["open_request"],
        method=AttemptMethod.CHECKOUT,
        status=AttemptStatus.PROCESSING,
        amount=5000,
        currency="USD",
    )
    with pytest.raises(CompanyCloseError) as refused:
        company_close(company=company, by=owner, password=PASSWORD, name=NAME)
    assert "being processed" in str(refused.value.message)
    company.refresh_from_db()
    assert company.closed_at is None
    assert Membership.objects.filter(company=company).count() == 2
    assert Meeting.objects.get(pk=world["meeting"].pk).status == MeetingStatus.ACCEPTED
    assert booth_is_live(world["live"])
