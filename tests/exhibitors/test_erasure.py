"""Erasure: asked with the password, cancellable for 14 days, then the account is anonymised by the
periodic job; counterparts keep the conversation (from "a deleted account"), tax records stay, a company's
last owner must hand it over first, and the audit log says only that an erasure happened."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from exhibitors.enums import ConsentKind, MembershipRole
from exhibitors.models import BuyerProfile, Consent, Membership, User
from exhibitors.services.consents import consent_record
from exhibitors.services.erasure import ACTION_ERASED, ErasureError, account_anonymise, erasures_due
from fair.chat.models import Message
from fair.chat.serializers import message_data
from fair.models import Favourite
from payments.models import Order, Receipt
from tests.factories.exhibitors import (
    BuyerProfileFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.privacy import chat_with_messages, paid_order_with_receipt

PASSWORD = "correct horse battery"


@pytest.fixture
def company(db):
    return CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")


@pytest.fixture
def owner(company):
    user = UserFactory(email="olga@example.com", first_name="Olga", last_name="Owner")
    MembershipFactory(user=user, company=company, role=MembershipRole.OWNER)
    return user


@pytest.fixture
def buyer(company, owner):
    user = UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer")
    BuyerProfileFactory(user=user, company_name="Bea Import GmbH")
    consent_record(user=user, kind=ConsentKind.MARKETING, granted=True)
    Favourite.objects.create(user=user, product=ProductFactory(company=company))
    chat_with_messages(buyer=user, company=company, company_member=owner, texts=("Bea asks", "Olga answers"))
    paid_order_with_receipt(
        buyer=user,
        company=company,
        reference="BEA-1",
        recipient_name="Bea Import GmbH",
        recipient_tax_id="DE1",
    )
    return user


def test_erasure_needs_the_password(client, buyer):
    client.force_login(buyer)
    response = client.post(reverse("erasure_request"), {"password": "wrong"})
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    buyer.refresh_from_db()
    assert buyer.erasure_due_at is None


def test_erasure_is_scheduled_after_14_days_and_can_be_cancelled(client, buyer):
    client.force_login(buyer)
    mail.outbox.clear()
    response = client.post(reverse("erasure_request"), {"password": PASSWORD})
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert timedelta(days=13, hours=23) < buyer.erasure_due_at - timezone.now() <= timedelta(days=14)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bea@example.com"]
    # Before the date, the job leaves the account alone.
    assert erasures_due() == 0
    client.post(reverse("erasure_cancel"))
    buyer.refresh_from_db()
    assert buyer.erasure_due_at is None
    assert erasures_due(now=timezone.now() + timedelta(days=15)) == 0
    assert User.objects.get(pk=buyer.pk).email == "bea@example.com"


def test_due_erasure_anonymises_and_keeps_counterpart_and_tax_records(client, buyer, owner):
    client.force_login(buyer)
    client.post(reverse("erasure_request"), {"password": PASSWORD})
    assert erasures_due(now=timezone.now() + timedelta(days=14, minutes=1)) == 1
    erased = User.objects.get(pk=buyer.pk)
    assert (erased.first_name, erased.last_name) == ("", "")
    assert "bea" not in erased.email
    assert not erased.is_active and not erased.has_usable_password()
    assert str(erased) == "A deleted account"
    assert not Consent.objects.filter(user=erased).exists()
    assert not BuyerProfile.objects.filter(user=erased).exists()
    assert not Favourite.objects.filter(user=erased).exists()
    # The owner's conversation is whole, the buyer's messages shown as from a deleted account.
    texts = list(Message.objects.order_by("id").values_list("body", flat=True))
    assert texts == ["Bea asks", "Olga answers"]
    first = Message.objects.order_by("id").first()
    assert message_data(first)["sender"]["name"] == "A deleted account"
    # Tax records: the receipt as issued, the order's amounts.
    receipt = Receipt.objects.get(order__reference="BEA-1")
    assert (receipt.recipient_name, receipt.recipient_tax_id, receipt.total_amount) == (
        "Bea Import GmbH",
        "DE1",
        10000,
    )
    assert Order.objects.get(reference="BEA-1").payer_user_id == erased.pk
    # The audit log: that it happened, nothing of what the account held.
    entry = ModelLogEntry.objects.get(action=ACTION_ERASED)
    assert entry.object_id == str(erased.pk)
    assert "Bea" not in entry.label and entry.data == {}
    # The session is gone: the old password hash no longer matches.
    assert client.get(reverse("privacy")).status_code == 302


def test_last_owner_must_hand_over_the_company_first(client, owner, company):
    client.force_login(owner)
    response = client.post(reverse("erasure_request"), {"password": PASSWORD})
    assert response.status_code == 400
    assert "only owner of Cafe Inca S.A.C." in response.content.decode()
    owner.refresh_from_db()
    assert owner.erasure_due_at is None
    colleague = UserFactory(email="pia@example.com")
    MembershipFactory(user=colleague, company=company, role=MembershipRole.OWNER)
    assert client.post(reverse("erasure_request"), {"password": PASSWORD}).status_code == 302
    account_anonymise(user=owner)
    assert list(Membership.objects.filter(company=company).values_list("user__email", flat=True)) == [
        "pia@example.com"
    ]


def test_job_waits_while_the_person_became_the_last_owner(owner, company):
    owner.erasure_due_at = timezone.now() - timedelta(minutes=1)
    owner.save()
    assert erasures_due() == 0
    owner.refresh_from_db()
    assert owner.erased_at is None and owner.erasure_due_at is not None
    with pytest.raises(ErasureError):
        account_anonymise(user=owner)
