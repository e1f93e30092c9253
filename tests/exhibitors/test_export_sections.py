"""The sections of a person's export beyond profile, messages and payments: the record log, chat blocks,
reports and sanctions, calendar feeds, two-factor devices, settings and matchmaking preferences; and a
company's booth applications, bank transfers and Stripe account. Two buyers who talk to the same company
are seeded with all of them: each export holds its person's rows and none of the other's."""

import io
import json
import zipfile

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from exhibitors.enums import MembershipRole
from exhibitors.models import Certification, DataExport
from exhibitors.records.services import record_append
from exhibitors.services.exports import EXPORT_SECTIONS, export_build
from fair.chat.enums import Side
from fair.chat.models import ChatSanction, ConversationBlock, Message, MessageReport
from fair.meetings.models import CalendarFeed
from payments.models import ConnectedAccount
from tests.factories.exhibitors import BuyerProfileFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.privacy import chat_with_messages


def _seed_buyer(*, email, first_name, company, owner, marker):
    buyer = UserFactory(email=email, first_name=first_name, last_name="Buyer", lite_mode=True)
    buyer.time_zone = "Europe/Berlin"
    buyer.preferred_language = "fr"
    buyer.save()
    profile = BuyerProfileFactory(user=buyer, company_name=f"{marker} Import", order_size="large")
    profile.origin_countries = ["PE"]
    profile.save()
    profile.target_certifications.set(
        [Certification.objects.create(name=f"{marker} cert", slug=marker.lower())]
    )
    conversation = chat_with_messages(
        buyer=buyer, company=company, company_member=owner, texts=(f"{marker} asks", f"Olga to {marker}")
    )
    ConversationBlock.objects.create(conversation=conversation, side=Side.BUYER, created_by=buyer)
    answer = Message.objects.filter(conversation=conversation, sender=owner).first()
    MessageReport.objects.create(message=answer, reporter=buyer, reason=f"{marker} reports rudeness")
    ChatSanction.objects.create(user=buyer, kind="warning", reason=f"{marker} was warned")
    CalendarFeed.objects.create(user=buyer, token=f"{marker.lower()}feedtoken0123456789")
    TOTPDevice.objects.create(user=buyer, name=f"{marker} phone", confirmed=True)
    backup = StaticDevice.objects.create(user=buyer, name="backup", confirmed=True)
    StaticToken.objects.create(device=backup, token=f"{marker.lower()}code1")
    record_append(
        kind="company.verified",
        facts={"note": f"{marker} fact"},
        subject=f"test:{marker}",
        users=[buyer.pk],
    )
    return buyer


@pytest.fixture
def two_buyers(db):
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    owner = UserFactory(email="olga@example.com", first_name="Olga", last_name="Owner")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    bea = _seed_buyer(email="bea@example.com", first_name="Bea", company=company, owner=owner, marker="BEA")
    carl = _seed_buyer(
        email="carl@example.com", first_name="Carl", company=company, owner=owner, marker="CARL"
    )
    record_append(
        kind="company.verified",
        facts={"note": "company fact"},
        subject="test:company",
        companies=[company.pk],
    )
    ConnectedAccount.objects.create(company=company, stripe_account_id="acct_1234567890WXYZ")
    return {"company": company, "owner": owner, "bea": bea, "carl": carl}


def _export(**kwargs) -> tuple[dict, str]:
    export = export_build(export=DataExport.objects.create(**kwargs))
    export.file.open("rb")
    archive = zipfile.ZipFile(io.BytesIO(export.file.read()))
    text = "".join(archive.read(name).decode() for name in archive.namelist())
    return json.loads(archive.read("data.json"))["sections"], text


def test_new_sections_are_registered():
    assert {
        "records",
        "chat_blocks",
        "chat_reports",
        "chat_sanctions",
        "calendar_feeds",
        "two_factor",
        "booth_applications",
        "bank_transfers",
        "stripe_account",
    } <= set(EXPORT_SECTIONS)


def test_person_export_holds_all_their_data_and_none_of_the_other_buyers(two_buyers):
    bea = two_buyers["bea"]
    sections, text = _export(user=bea)

    profile = sections["profile"][0]
    assert (profile["lite_mode"], profile["time_zone"], profile["preferred_language"]) == (
        True,
        "Europe/Berlin",
        "fr",
    )
    assert profile["buyer_profile"]["target_certifications"] == ["BEA cert"]
    assert profile["buyer_profile"]["origin_countries"] == ["PE"]
    assert profile["buyer_profile"]["order_size"] == "large"
    assert [(r["kind"], r["party"], r["facts"]) for r in sections["records"]] == [
        ("company.verified", "person", {"note": "BEA fact"})
    ]
    assert [(b["blocked_by"], b["blocked"]) for b in sections["chat_blocks"]] == [
        ("buyer", "Cafe Inca S.A.C.")
    ]
    assert [r["reason"] for r in sections["chat_reports"]] == ["BEA reports rudeness"]
    assert [s["reason"] for s in sections["chat_sanctions"]] == ["BEA was warned"]
    assert [f["token"] for f in sections["calendar_feeds"]] == ["beaf…"]
    assert [(d["kind"], d["name"], d["backup_codes_left"]) for d in sections["two_factor"]] == [
        ("authenticator", "BEA phone", None),
        ("backup_codes", "backup", 1),
    ]
    # Secrets stay out: the feed's full token, the authenticator's key, the backup code.
    device = TOTPDevice.objects.get(user=bea)
    for secret in ("beafeedtoken0123456789", device.key, "beacode1"):
        assert secret not in text
    for foreign in ("carl@example.com", "CARL", "Carl", "company fact", "olga@example.com"):
        assert foreign not in text


def test_company_export_holds_its_records_applications_and_masked_stripe_account(two_buyers):
    from tests.factories.exhibitors import BoothFactory

    company = two_buyers["company"]
    BoothFactory(company=company)
    sections, text = _export(user=two_buyers["owner"], company=company)

    assert [r["facts"] for r in sections["records"]] == [{"note": "company fact"}]
    assert len(sections["booth_applications"]) == 1
    assert sections["booth_applications"][0]["status"] == "pending"
    assert sections["stripe_account"][0]["stripe_account"] == "…WXYZ"
    assert "acct_1234567890WXYZ" not in text
    assert [b["blocked_by"] for b in sections["chat_blocks"]] == []
    for private in ("BEA fact", "CARL fact", "BEA was warned", "beaf"):
        assert private not in text
