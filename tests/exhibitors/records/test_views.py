"""Receipts: only the parties download them; anyone checks them on the public page, which says nothing
more than that the record exists unchanged; the public key is published."""

import base64
import hashlib
import json

import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from exhibitors.records.services import record_append
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

VERIFY_URL = "/en/records/verify/"


@pytest.fixture
def entry():
    company = CompanyFactory(legal_name="Secret Trading S.A.")
    buyer = UserFactory()
    record = record_append(
        kind="company.verified",
        facts={"company": "Secret Trading S.A.", "amount": 17700},
        subject="test:1",
        users=[buyer.pk],
        companies=[company.pk],
    )
    return record, company, buyer


def receipt_url(record):
    return f"/en/records/{record.position}/receipt/"


def download(client, user, record):
    client.force_login(user)
    return client.get(receipt_url(record))


def test_named_party_downloads_the_receipt(client, entry):
    record, _company, buyer = entry

    response = download(client, buyer, record)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    receipt = json.loads(response.content)
    assert receipt["record"]["hash"] == record.hash
    assert receipt["record"]["canonical"] == record.canonical


def test_member_of_a_party_company_downloads_the_receipt(client, entry):
    record, company, _buyer = entry
    member = UserFactory()
    MembershipFactory(user=member, company=company)
    assert download(client, member, record).status_code == 200


@pytest.mark.parametrize("who", ["anonymous", "stranger", "staff"])
def test_everyone_else_gets_404(client, entry, who, staff):
    record, _company, _buyer = entry
    if who == "stranger":
        client.force_login(UserFactory())
    elif who == "staff":
        client.force_login(staff)
    assert client.get(receipt_url(record)).status_code == 404


def test_huge_position_is_404(client, entry):
    client.force_login(entry[2])
    assert client.get("/en/records/99999999999999999999999/receipt/").status_code == 404


def test_receipt_verifies_with_the_published_key_alone(client, entry):
    record, _company, buyer = entry
    receipt = json.loads(download(client, buyer, record).content)
    published = client.get("/.well-known/feria-records-key").json()

    assert published["algorithm"] == "Ed25519"
    key = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    key.verify(base64.b64decode(receipt["signature"]), rfc8785.dumps(receipt["record"]))  # raises if wrong
    body = receipt["record"]
    recomputed = hashlib.sha256(
        (body["previous_hash"] + body["canonical"] + body["time"]).encode()
    ).hexdigest()
    assert recomputed == body["hash"]
    assert receipt["key_id"] == published["key_id"]


def check(client, text=None, upload=None):
    data = {"receipt": text or ""}
    if upload is not None:
        data["receipt_file"] = upload
    return client.post(VERIFY_URL, data)


def test_verification_page_confirms_an_unchanged_record_without_signing_in(client, entry):
    record, _company, buyer = entry
    text = download(client, buyer, record).content.decode()
    client.logout()

    response = check(client, text)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This record exists, unchanged since" in html
    assert "Secret Trading" not in html
    assert "17700" not in html


def test_verification_page_takes_the_file(client, entry):
    from django.core.files.uploadedfile import SimpleUploadedFile

    record, _company, buyer = entry
    content = download(client, buyer, record).content
    client.logout()
    response = check(client, upload=SimpleUploadedFile("record-1.json", content, "application/json"))
    assert "This record exists, unchanged since" in response.content.decode()


def test_verification_page_refuses_a_changed_receipt(client, entry):
    record, _company, buyer = entry
    receipt = json.loads(download(client, buyer, record).content)
    receipt["record"]["canonical"] = receipt["record"]["canonical"].replace("17700", "1")

    html = check(client, json.dumps(receipt)).content.decode()

    assert "The signature does not match" in html
    assert "unchanged since" not in html


def test_verification_page_refuses_garbage_in_the_readers_language(client, entry):
    html = client.post("/es/records/verify/", {"receipt": "hello"}).content.decode()
    assert "unchanged since" not in html
    assert 'lang="es"' in html
    assert "Esto no es un comprobante de constancia" in html


def test_verification_page_asks_for_a_receipt(client):
    response = check(client, "")
    assert "Paste a receipt or choose its file." in response.content.decode()


def test_verification_page_lists_published_heads(client, entry):
    from exhibitors.records.services import record_anchor_today

    record_anchor_today()
    html = client.get(VERIFY_URL).content.decode()
    assert entry[0].hash in html
