"""Proofs of transfer are private: stored outside /media under a random name, in no Wagtail collection, and
handed out only to the paying company's members and the chamber's staff, as a download."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from exhibitors.models import PrivateFile
from payments.models import BankTransferProof, Order
from tests.factories.exhibitors import CompanyFactory, MembershipFactory, UserFactory
from tests.factories.staff import ChamberStaffFactory
from tests.factories.uploads import image_bytes, pdf_bytes, upload
from tests.payments.test_booth_fees import booth_and_owner, chamber, fair, fee_url, igv  # noqa: F401

pytestmark = pytest.mark.django_db

PROOF = pdf_bytes("Transfer confirmation 4711")


@pytest.fixture
def proof(client, booth_and_owner) -> PrivateFile:  # noqa: F811
    booth, owner = booth_and_owner
    client.force_login(owner)
    sent = upload(PROOF, name="transfer-confirmation.pdf", content_type="application/pdf")
    response = client.post(fee_url(booth, action="transfer/"), {"proof": sent, "note": "Monday"})
    assert response.status_code == 302
    client.logout()
    return BankTransferProof.objects.get().file


def download(client, user, stored: PrivateFile):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("private_file", kwargs={"public_id": stored.public_id}))


def test_proof_stored_privately_under_a_random_name(proof):
    assert get_document_model().objects.count() == 0
    assert get_image_model().objects.count() == 0
    assert "transfer" not in proof.file.name and "confirmation" not in proof.file.name
    stored_at = Path(proof.file.path).resolve()
    assert Path(settings.MEDIA_ROOT).resolve() not in stored_at.parents
    assert Path(settings.FERIA_PRIVATE_ROOT).resolve() in stored_at.parents
    assert proof.file.read() == PROOF
    assert proof.name == "proof-of-transfer-" + Order.objects.get().reference.lower() + ".pdf"


@pytest.mark.parametrize("who", ["anonymous", "buyer", "other company"])
def test_proof_download_refused_to_everyone_else(client, proof, who):
    user = {
        "anonymous": lambda: None,
        "buyer": UserFactory,
        "other company": lambda: MembershipFactory(company=CompanyFactory()).user,
    }[who]()

    assert download(client, user, proof).status_code == 404
    # Nor is it anywhere under /media.
    assert client.get(f"/media/{proof.file.name}").status_code == 404


@pytest.mark.parametrize("who", ["owner", "colleague", "chamber staff"])
def test_proof_download_to_the_company_and_the_chamber(client, proof, booth_and_owner, who):  # noqa: F811
    booth, owner = booth_and_owner
    user = {
        "owner": lambda: owner,
        "colleague": lambda: MembershipFactory(company=booth.company).user,
        "chamber staff": ChamberStaffFactory,
    }[who]()

    response = download(client, user, proof)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PROOF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert proof.name in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_proof_pages_link_to_the_private_download(client, proof, booth_and_owner):  # noqa: F811
    booth, owner = booth_and_owner
    client.force_login(owner)
    url = reverse("private_file", kwargs={"public_id": proof.public_id})
    assert url in client.get(fee_url(booth)).content.decode()
    client.force_login(ChamberStaffFactory())
    order = Order.objects.get()
    assert url in client.get(f"/admin/booth-fees/{order.pk}/").content.decode()


def test_image_proof_stored_with_its_real_type(client, booth_and_owner):  # noqa: F811
    booth, owner = booth_and_owner
    client.force_login(owner)
    sent = upload(image_bytes("jpeg"), name="photo.png", content_type="image/png")
    assert client.post(fee_url(booth, action="transfer/"), {"proof": sent}).status_code == 302
    stored = BankTransferProof.objects.get().file
    assert stored.content_type == "image/jpeg"
    assert stored.file.name.endswith(".jpg")
    assert get_image_model().objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_moves_existing_proofs_to_private_storage(booth_and_owner):  # noqa: F811
    """A proof stored the old way (a public Wagtail document) is moved by the data migration."""
    from payments.services.booth_fees import booth_fee_order_ensure

    booth, owner = booth_and_owner
    order = booth_fee_order_ensure(booth=booth, by=owner)
    executor = MigrationExecutor(connection)
    executor.migrate([("payments", "0005_bank_proof_private_file")])
    old_apps = executor.loader.project_state([("payments", "0005_bank_proof_private_file")]).apps
    OldDocument = old_apps.get_model("wagtaildocs", "Document")
    OldProof = old_apps.get_model("payments", "BankTransferProof")
    OldAttempt = old_apps.get_model("payments", "PaymentAttempt")
    document = OldDocument(title="Proof of transfer")
    document.file.save("transfer-confirmation.pdf", ContentFile(PROOF), save=False)
    document.save()
    public_name = document.file.name
    attempt = OldAttempt.objects.create(
        order_id=order.pk, method="bank_transfer", status="open", amount=order.total_amount, currency="USD"
    )
    OldProof.objects.create(attempt=attempt, document=document, uploaded_by_id=owner.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    proof = BankTransferProof.objects.get()
    assert proof.file.file.read() == PROOF
    assert proof.file.company_id == booth.company_id
    assert "transfer" not in proof.file.file.name
    assert get_document_model().objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / public_name).exists()


@pytest.mark.parametrize("fair_param", ["²", "99999999999999999999999", "1_0"])
def test_booth_fees_admin_odd_fair_filter_shows_all(client, fair_param):
    client.force_login(ChamberStaffFactory())

    assert client.get("/admin/booth-fees/", {"fair": fair_param}).status_code == 200
