"""Data exports: a ZIP (JSON and CSV) of everything held about the person and nothing about anyone else,
built by the worker with progress, e-mailed when ready, downloadable only by them for 24 hours; an owner
exports their company the same way."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from exhibitors.enums import ConsentKind, DataExportStatus, MembershipRole
from exhibitors.models import DataExport
from exhibitors.services.consents import consent_record
from exhibitors.services.exports import EXPORT_SECTIONS
from fair.models import Favourite
from tests.factories.exhibitors import (
    BuyerProfileFactory,
    CompanyFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.privacy import chat_with_messages, paid_order_with_receipt


@pytest.fixture
def world(db):
    company = CompanyFactory(legal_name="Cafe Inca S.A.C.", slug="cafe-inca")
    owner = UserFactory(email="olga@example.com", first_name="Olga", last_name="Owner")
    MembershipFactory(user=owner, company=company, role=MembershipRole.OWNER)
    buyer = UserFactory(email="bea@example.com", first_name="Bea", last_name="Buyer")
    BuyerProfileFactory(user=buyer, company_name="Bea Import GmbH")
    consent_record(user=buyer, kind=ConsentKind.MARKETING, granted=True)
    product = ProductFactory(company=company, name="Organic coffee")
    Favourite.objects.create(user=buyer, product=product)
    chat_with_messages(buyer=buyer, company=company, company_member=owner, texts=("Bea asks", "Olga answers"))
    paid_order_with_receipt(
        buyer=buyer,
        company=company,
        reference="BEA-1",
        recipient_name="Bea Import GmbH",
        recipient_tax_id="DE1",
    )
    other = UserFactory(email="carl@example.com", first_name="Carl", last_name="Other")
    BuyerProfileFactory(user=other, company_name="Carl Trading Ltd")
    consent_record(user=other, kind=ConsentKind.MARKETING, granted=True)
    Favourite.objects.create(user=other, product=ProductFactory(company=company, name="Secret cacao"))
    chat_with_messages(
        buyer=other, company=company, company_member=owner, texts=("Carl asks", "Olga to Carl")
    )
    paid_order_with_receipt(
        buyer=other,
        company=company,
        reference="CARL-1",
        recipient_name="Carl Trading Ltd",
        recipient_tax_id="GB9",
    )
    return {"company": company, "owner": owner, "buyer": buyer, "other": other}


def _zip(export: DataExport) -> zipfile.ZipFile:
    export.file.open("rb")
    return zipfile.ZipFile(io.BytesIO(export.file.read()))


def test_sections_come_from_every_app():
    assert {"profile", "consents", "companies", "favourites", "messages", "orders", "receipts"} <= set(
        EXPORT_SECTIONS
    )


def test_export_holds_all_of_the_persons_data_and_none_of_anyone_elses(client, world):
    buyer = world["buyer"]
    client.force_login(buyer)
    response = client.post(reverse("export_create"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=buyer)
    assert export.status == DataExportStatus.READY
    assert export.progress == 100
    archive = _zip(export)
    names = set(archive.namelist())
    assert {"data.json", "profile.csv", "consents.csv", "favourites.csv", "messages.csv"} <= names
    data = json.loads(archive.read("data.json"))
    assert data["format"] == "feria-export-1"
    sections = data["sections"]
    assert sections["profile"][0]["email"] == "bea@example.com"
    assert sections["profile"][0]["buyer_profile"]["company_name"] == "Bea Import GmbH"
    assert [c["kind"] for c in sections["consents"]] == [ConsentKind.MARKETING]
    assert [f["name"] for f in sections["favourites"]] == ["Organic coffee"]
    assert [(m["direction"], m["text"], m["conversation_with"]) for m in sections["messages"]] == [
        ("sent", "Bea asks", "Cafe Inca S.A.C."),
        ("received", "Olga answers", "Cafe Inca S.A.C."),
    ]
    assert [o["reference"] for o in sections["orders"]] == ["BEA-1"]
    assert [r["recipient_name"] for r in sections["receipts"]] == ["Bea Import GmbH"]
    everything = "".join(archive.read(name).decode() for name in names)
    for foreign in ("carl@example.com", "Carl", "Secret cacao", "CARL-1", "GB9", "olga@example.com"):
        assert foreign not in everything
    rows = list(csv.DictReader(io.StringIO(archive.read("messages.csv").decode())))
    assert rows[0]["text"] == "Bea asks"


def test_ready_export_is_emailed_with_a_link_to_the_privacy_page(client, world):
    client.force_login(world["buyer"])
    mail.outbox.clear()
    client.post(reverse("export_create"))
    ready = [message for message in mail.outbox if "ready" in message.subject]
    assert len(ready) == 1
    assert ready[0].to == ["bea@example.com"]
    assert reverse("privacy") in ready[0].body


def test_export_downloads_only_for_its_person_and_only_for_24_hours(client, world):
    client.force_login(world["buyer"])
    client.post(reverse("export_create"))
    export = DataExport.objects.get(user=world["buyer"])
    url = reverse("export_download", args=[export.public_id])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world["other"])
    assert client.get(url).status_code == 404
    client.force_login(world["buyer"])
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(url).status_code == 404


def test_pending_export_shows_progress_and_a_refresh_link(client, world):
    DataExport.objects.create(user=world["buyer"], status=DataExportStatus.RUNNING, progress=40)
    client.force_login(world["buyer"])
    content = client.get(reverse("privacy")).content.decode()
    assert 'value="40"' in content
    assert "data-export-refresh" in content
    assert "data-export-pending" in content


def test_owner_exports_the_company(client, world):
    client.force_login(world["owner"])
    url = reverse("company_privacy", args=[world["company"].pk])
    assert client.post(url).status_code == 302
    export = DataExport.objects.get(user=world["owner"], company=world["company"])
    data = json.loads(_zip(export).read("data.json"))
    sections = data["sections"]
    assert data["subject"] == {"kind": "company", "id": world["company"].pk}
    assert sections["profile"][0]["legal_name"] == "Cafe Inca S.A.C."
    assert {p["name"] for p in sections["products"]} == {"Organic coffee", "Secret cacao"}
    assert {o["reference"] for o in sections["orders"]} == {"BEA-1", "CARL-1"}
    assert {m["conversation_with"] for m in sections["messages"]} == {"Bea Buyer", "Carl Other"}
    assert "favourites" not in sections  # buyers' lists are theirs, not the company's


def test_company_export_is_for_owners_only(client, world):
    staff = UserFactory(email="sam@example.com")
    MembershipFactory(user=staff, company=world["company"], role=MembershipRole.STAFF)
    url = reverse("company_privacy", args=[world["company"].pk])
    client.force_login(staff)
    assert client.get(url).status_code == 404
    client.force_login(world["buyer"])
    assert client.post(url).status_code == 404
    assert not DataExport.objects.exists()
