"""Attachments to a request for quotation: PDFs and pictures checked like every upload before anything is
written, stored under neutral names (the exhibitors never learn the buyer's file name), downloadable only by
the buyer, the receiving companies' members and the chamber's staff; shown on the three request pages; in the
export; gone on erasure unless the request was accepted."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from exhibitors.models import PrivateFile
from exhibitors.services.erasure import account_anonymise
from exhibitors.services.exports import EXPORT_SECTIONS
from quotes.enums import PaymentRoute
from quotes.models import QuoteRequest, RequestAttachment
from quotes.services.quotes import quote_accept
from quotes.services.requests import RequestRefused
from tests.factories.exhibitors import UserFactory
from tests.factories.quotes import post_request, send_quote
from tests.factories.uploads import image_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def _form(**changes) -> dict:
    data = {
        "description": "Roasted coffee, medium roast, 1 kg valve bags",
        "hs_code": "0901",
        "quantity": "600",
        "unit": "BG",
        "incoterm": "CIF",
        "destination_country": "DE",
        "destination_port": "Hamburg",
        "wanted_by": (timezone.localdate() + timedelta(days=40)).isoformat(),
        "closes_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(changes)
    return data


def _spec(name="Kaufmann-Kaffeehaus-spec.pdf"):
    return upload(pdf_bytes("Kaffeehaus Nord spec"), name, "application/pdf")


def _booth_request_with_pdf(market, client):
    client.force_login(market.buyer)
    response = client.post(
        reverse("quotes:request_new_booth", args=[market.booth.pk]), _form(attachments=[_spec()])
    )
    assert response.status_code == 302
    client.logout()
    rfq = QuoteRequest.objects.get()
    return rfq, rfq.attachments.select_related("file").get()


def test_booth_request_takes_a_pdf_and_a_picture_under_neutral_names(market, client):
    client.force_login(market.buyer)
    response = client.post(
        reverse("quotes:request_new_booth", args=[market.booth.pk]),
        _form(attachments=[_spec(), upload(image_bytes("jpeg"), "IMG_Beatrix.jpg", "image/jpeg")]),
    )
    rfq = QuoteRequest.objects.get()
    assert response["Location"] == reverse("quotes:request_detail", args=[rfq.pk])
    files = [attachment.file for attachment in rfq.attachments.select_related("file")]
    assert [(f.name, f.content_type) for f in files] == [
        (f"rfq-{rfq.pk}-1.pdf", "application/pdf"),
        (f"rfq-{rfq.pk}-2.jpg", "image/jpeg"),
    ]
    # The buyer's own file names are kept nowhere, not even as the stored file's name.
    assert all(f.company_id is None and f.uploaded_by == market.buyer for f in files)
    assert not any("Kaufmann" in f.file.name or "Beatrix" in f.file.name for f in files)
    page = client.get(reverse("quotes:request_detail", args=[rfq.pk])).content.decode()
    first = reverse("quotes:request_attachment", args=[rfq.pk, rfq.attachments.first().pk])
    assert f'href="{first}"' in page and f"rfq-{rfq.pk}-1.pdf" in page and "Picture (JPEG)" in page


def test_a_photo_is_stored_without_its_metadata(market):
    exif = PILImage.Exif()
    exif[0x013B] = "Beatrix Kaufmann"  # Artist
    exif[0x0112] = 6  # turned: kept, or the photo would show sideways
    out = io.BytesIO()
    PILImage.new("RGB", (64, 48), "green").save(out, "JPEG", exif=exif.tobytes())
    assert b"Beatrix" in out.getvalue()
    rfq = post_request(
        buyer=market.buyer, fair=market.fair, uploads=[upload(out.getvalue(), "me.jpg", "image/jpeg")]
    )
    stored = rfq.attachments.get().file
    content = stored.file.open("rb").read()
    assert b"Beatrix" not in content and stored.size == len(content)
    assert dict(PILImage.open(io.BytesIO(content)).getexif()) == {0x0112: 6}


def test_fair_request_form_takes_a_picture(market, client):
    client.force_login(market.buyer)
    response = client.post(
        reverse("quotes:request_new_fair", args=[market.fair.pk]),
        _form(attachments=[upload(image_bytes("png"), "sample.png")]),
    )
    assert response.status_code == 302
    attachment = RequestAttachment.objects.select_related("file", "request").get()
    assert attachment.request.booth is None and attachment.file.content_type == "image/png"
    assert attachment.kind_label == "Picture (PNG)"


def test_text_calling_itself_a_pdf_is_refused_and_nothing_is_written(market, client):
    client.force_login(market.buyer)
    fake = upload(b"Just some text, not a PDF at all.\n", "spec.pdf", "application/pdf")
    response = client.post(
        reverse("quotes:request_new_booth", args=[market.booth.pk]),
        _form(attachments=[upload(image_bytes(), "fine.png"), fake]),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "spec.pdf: This file is neither a PDF nor a PNG, JPEG, GIF or WebP picture." in body
    assert "Please choose your files again" in body
    # What was typed is still in the form.
    assert "Roasted coffee, medium roast, 1 kg valve bags" in body and 'value="Hamburg"' in body
    assert not QuoteRequest.objects.exists() and not PrivateFile.objects.exists()


def test_oversize_pdf_is_refused_with_the_limit(market, client, settings):
    settings.FERIA_MAX_PDF_BYTES = 100
    client.force_login(market.buyer)
    response = client.post(
        reverse("quotes:request_new_fair", args=[market.fair.pk]), _form(attachments=[_spec("big.pdf")])
    )
    assert response.status_code == 200
    assert "big.pdf: This file is" in response.content.decode()
    assert "the limit is 100" in response.content.decode()
    assert not QuoteRequest.objects.exists() and not PrivateFile.objects.exists()


def test_at_most_five_files(market, client):
    client.force_login(market.buyer)
    six = [upload(image_bytes(), f"photo-{n}.png") for n in range(6)]
    response = client.post(reverse("quotes:request_new_fair", args=[market.fair.pk]), _form(attachments=six))
    assert response.status_code == 200
    assert "At most 5 files." in response.content.decode()
    assert not QuoteRequest.objects.exists() and not PrivateFile.objects.exists()
    rfq = post_request(
        buyer=market.buyer, fair=market.fair, uploads=[upload(image_bytes(), f"p{n}.png") for n in range(5)]
    )
    assert rfq.attachments.count() == 5
    with pytest.raises(RequestRefused) as caught:
        post_request(buyer=market.buyer, fair=market.fair, uploads=six)
    assert "attachments" in caught.value.message_dict


def test_download_permissions(market, client, staff):
    rfq, attachment = _booth_request_with_pdf(market, client)
    mine = reverse("quotes:request_attachment", args=[rfq.pk, attachment.pk])
    coffee = reverse("quotes:company_request_attachment", args=[market.coffee.pk, rfq.pk, attachment.pk])
    cacao = reverse("quotes:company_request_attachment", args=[market.cacao.pk, rfq.pk, attachment.pk])
    chamber = reverse("quotes_admin:attachment", args=[rfq.pk, attachment.pk])

    def status(person, url):
        client.logout()
        if person is not None:
            client.force_login(person)
        return client.get(url)

    response = status(market.buyer, mine)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    for member in (market.coffee_owner, market.coffee_staff):
        response = status(member, coffee)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="rfq-{rfq.pk}-1.pdf"'
        assert response["Cache-Control"] == "private, no-store"
    assert status(staff, chamber).status_code == 200
    # A company that did not receive the booth request, through its own page or the receiving company's.
    assert status(market.cacao_owner, cacao).status_code == 404
    assert status(market.cacao_owner, coffee).status_code == 404
    assert status(market.cacao_owner, mine).status_code == 404
    other_buyer = UserFactory(email="other.buyer@example.com")
    assert status(other_buyer, mine).status_code == 404
    assert status(market.coffee_owner, mine).status_code == 404
    assert status(market.coffee_owner, chamber).status_code in (302, 403, 404)
    anonymous = status(None, mine)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert status(None, coffee).status_code == 302
    # An attachment of another request does not open under this one.
    other = post_request(buyer=market.buyer, fair=market.fair, uploads=[_spec()])
    foreign = other.attachments.get()
    elsewhere = reverse("quotes:company_request_attachment", args=[market.coffee.pk, rfq.pk, foreign.pk])
    assert status(market.coffee_owner, elsewhere).status_code == 404


def test_fair_request_attachment_reaches_only_receiving_companies(market, client):
    rfq = post_request(buyer=market.buyer, fair=market.fair, uploads=[_spec()])
    attachment = rfq.attachments.get()
    receiving = set(rfq.recipients.values_list("company_id", flat=True))
    assert market.coffee.pk in receiving and market.tea.pk not in receiving
    client.force_login(market.coffee_owner)
    url = reverse("quotes:company_request_attachment", args=[market.coffee.pk, rfq.pk, attachment.pk])
    assert client.get(url).status_code == 200
    client.force_login(market.tea_owner)
    url = reverse("quotes:company_request_attachment", args=[market.tea.pk, rfq.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_exhibitor_sees_the_neutral_name_only(market, client):
    rfq, attachment = _booth_request_with_pdf(market, client)
    client.force_login(market.coffee_owner)
    body = client.get(reverse("quotes:company_request", args=[market.coffee.pk, rfq.pk])).content.decode()
    url = reverse("quotes:company_request_attachment", args=[market.coffee.pk, rfq.pk, attachment.pk])
    assert f'href="{url}"' in body and f"rfq-{rfq.pk}-1.pdf" in body and "(PDF," in body
    assert "Kaufmann" not in body and "Kaffeehaus" not in body and "Beatrix" not in body


def test_chamber_list_links_the_attachments(market, client, staff):
    rfq, attachment = _booth_request_with_pdf(market, client)
    client.force_login(staff)
    body = client.get(f"/admin/quotes/?fair={market.fair.pk}").content.decode()
    assert reverse("quotes_admin:attachment", args=[rfq.pk, attachment.pk]) in body
    assert f"rfq-{rfq.pk}-1.pdf" in body


def test_export_lists_the_attachments(market):
    rfq = post_request(buyer=market.buyer, fair=market.fair, booth=market.booth, uploads=[_spec()])
    section = EXPORT_SECTIONS["quotes"]
    (row,) = section.person(person=market.buyer)
    (listed,) = row["attachments"]
    assert listed["file_name"] == f"rfq-{rfq.pk}-1.pdf" and listed["content_type"] == "application/pdf"
    assert listed["size"] == len(pdf_bytes("Kaffeehaus Nord spec"))
    (company_row,) = section.company(company=market.coffee)
    assert company_row["attachments"][0]["file_name"] == f"rfq-{rfq.pk}-1.pdf"


def test_erasure_removes_the_attachments_of_requests_not_accepted(market, django_capture_on_commit_callbacks):
    rfq = post_request(buyer=market.buyer, fair=market.fair, uploads=[_spec()])
    stored = rfq.attachments.get().file
    storage, name = storages["private"], stored.file.name
    accepted = post_request(buyer=market.buyer, fair=market.fair, uploads=[_spec()])
    quote = send_quote(request=accepted, company=market.coffee, by=market.coffee_staff)
    quote_accept(quote=quote, buyer=market.buyer, route=PaymentRoute.BANK_TRANSFER)
    kept = accepted.attachments.get().file
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_anonymise(user=market.buyer)
    assert not RequestAttachment.objects.filter(request=rfq).exists()
    assert not PrivateFile.objects.filter(pk=stored.pk).exists() and not storage.exists(name)
    assert QuoteRequest.objects.filter(pk=rfq.pk).exists()
    # The accepted request keeps its sheet, the basis of the order.
    assert accepted.attachments.get().file == kept and storage.exists(kept.file.name)
