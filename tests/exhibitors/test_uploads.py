import io
import os
import tracemalloc

import pytest
from django.core.files.storage import default_storage
from django.template import Context, Template
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from exhibitors.services.renditions import image_renditions_make
from exhibitors.services.uploads import UPLOADS_COLLECTION_NAME, document_store, image_store, upload_atomic
from exhibitors.uploads import UploadRefused, image_check, pdf_check
from tests.factories.exhibitors import UserFactory
from tests.factories.uploads import (
    SVG,
    gif_with_frame,
    image_bytes,
    jpeg_claiming,
    noisy_png,
    pdf_bytes,
    png_claiming,
    upload,
)

Image = get_image_model()
Document = get_document_model()


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif", "webp"])
def test_image_check_each_format_accepted(kind):
    header = image_check(upload(image_bytes(kind, 30, 20), name=f"photo.{kind}"))

    assert (header.kind, header.width, header.height) == (kind, 30, 20)


def test_image_check_jpeg_named_png_reports_real_type():
    header = image_check(upload(image_bytes("jpeg"), name="photo.png", content_type="image/png"))

    assert header.kind == "jpeg"


def test_image_check_png_bomb_refused_from_header_with_little_memory():
    bomb = upload(png_claiming(14000, 14000), name="bomb.png")

    tracemalloc.start()
    try:
        with pytest.raises(UploadRefused) as caught:
            image_check(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 5 * 1024 * 1024
    assert caught.value.code == "image_too_many_pixels"
    assert "14000 × 14000 pixels" in caught.value.messages[0]


def test_image_check_jpeg_bomb_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(jpeg_claiming(20000, 20000), name="bomb.jpg"))

    assert caught.value.code == "image_too_many_pixels"


def test_image_check_gif_frame_larger_than_screen_counts_the_frame():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(gif_with_frame(screen=(10, 10), frame=(10000, 10000)), name="small.gif"))

    assert caught.value.code == "image_too_many_pixels"


def test_image_check_animated_gif_walks_every_frame():
    frames = [PILImage.new("P", (40, 30), color) for color in (1, 2, 3)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)

    header = image_check(upload(buffer.getvalue(), name="anim.gif"))

    assert (header.kind, header.width, header.height) == ("gif", 40, 30)


def test_image_check_pixel_cap_follows_setting(settings):
    settings.FERIA_MAX_IMAGE_PIXELS = 100 * 100

    with pytest.raises(UploadRefused):
        image_check(upload(image_bytes("png", 101, 100)))
    assert image_check(upload(image_bytes("png", 100, 100))).pixels == 10000


def test_image_check_svg_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(SVG, name="logo.svg", content_type="image/svg+xml"))

    assert caught.value.code == "image_svg"
    assert "SVG images are not accepted" in caught.value.messages[0]


def test_image_check_svg_renamed_png_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(b"\n  " + SVG.split(b"\n", 1)[1], name="logo.png", content_type="image/png"))

    assert caught.value.code == "image_svg"


def test_image_check_text_renamed_jpg_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(b"just some text, not a picture", name="photo.jpg", content_type="image/jpeg"))

    assert caught.value.code == "image_type"
    assert "not a PNG, JPEG, GIF or WebP image" in caught.value.messages[0]


def test_image_check_oversize_refused_before_reading(settings):
    settings.FERIA_MAX_IMAGE_BYTES = 1000
    big = upload(image_bytes("png") + b"\x00" * 2000)

    with pytest.raises(UploadRefused) as caught:
        image_check(big)

    assert caught.value.code == "image_too_big"
    assert "1000" in caught.value.messages[0] or "KB" in caught.value.messages[0]
    assert big.file.tell() == 0


def test_image_check_empty_file_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(b""))

    assert caught.value.code == "empty"


def test_image_check_truncated_png_refused():
    data = noisy_png()

    with pytest.raises(UploadRefused) as caught:
        image_check(upload(data[: len(data) // 2]))

    assert caught.value.code == "image_damaged"


def test_image_check_garbage_after_png_signature_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(b"\x89PNG\r\n\x1a\n" + os.urandom(300)))

    assert caught.value.code == "image_damaged"


def test_image_check_truncated_jpeg_scan_refused():
    buffer = io.BytesIO()
    PILImage.effect_noise((400, 300), 80).convert("RGB").save(buffer, "JPEG")
    data = buffer.getvalue()

    with pytest.raises(UploadRefused) as caught:
        image_check(upload(data[: len(data) * 2 // 3], name="cut.jpg"))

    assert caught.value.code == "image_damaged"


def test_image_check_truncated_jpeg_header_refused():
    with pytest.raises(UploadRefused) as caught:
        image_check(upload(image_bytes("jpeg")[:40], name="cut.jpg"))

    assert caught.value.code == "image_damaged"


def test_pdf_check_accepts_pdf():
    pdf_check(upload(pdf_bytes(), name="brochure.pdf", content_type="application/pdf"))


def test_pdf_check_refuses_image_renamed_pdf():
    with pytest.raises(UploadRefused) as caught:
        pdf_check(upload(image_bytes("png"), name="brochure.pdf", content_type="application/pdf"))

    assert caught.value.code == "pdf_type"


def test_pdf_check_refuses_html_claiming_pdf():
    with pytest.raises(UploadRefused) as caught:
        pdf_check(upload(b"<html>%PDF-1.4</html>", name="brochure.pdf", content_type="application/pdf"))

    assert caught.value.code == "pdf_type"


def test_pdf_check_refuses_truncated_pdf():
    data = pdf_bytes()

    with pytest.raises(UploadRefused) as caught:
        pdf_check(upload(data[: data.index(b"%%EOF")], name="cut.pdf"))

    assert caught.value.code == "pdf_incomplete"


def test_pdf_check_oversize_refused(settings):
    settings.FERIA_MAX_PDF_BYTES = 100

    with pytest.raises(UploadRefused) as caught:
        pdf_check(upload(pdf_bytes(), name="brochure.pdf"))

    assert caught.value.code == "pdf_too_big"


@pytest.mark.django_db
def test_image_store_saves_real_type_in_uploads_collection():
    user = UserFactory()

    photo = upload(image_bytes("jpeg", 40, 30), name="Fotó del café.png")
    header = image_check(photo)
    with upload_atomic():
        image = image_store(upload=photo, header=header, user=user)

    image.refresh_from_db()
    assert image.collection.name == UPLOADS_COLLECTION_NAME
    assert image.file.name.startswith("original_images/foto-del-cafe")
    assert image.file.name.endswith(".jpg")
    assert image.title == "Fotó del café"
    assert (image.width, image.height) == (40, 30)
    assert image.uploaded_by_user == user
    assert image.file_hash
    assert default_storage.exists(image.file.name)


@pytest.mark.django_db
def test_uploads_collection_created_once():
    user = UserFactory()

    first, second = upload(image_bytes()), upload(image_bytes())
    headers = image_check(first), image_check(second)
    with upload_atomic():
        image_store(upload=first, header=headers[0], user=user)
        image_store(upload=second, header=headers[1], user=user)

    assert Collection.objects.filter(name=UPLOADS_COLLECTION_NAME).count() == 1


@pytest.mark.django_db
def test_image_store_outside_upload_atomic_refused():
    photo = upload(image_bytes())
    header = image_check(photo)
    with pytest.raises(RuntimeError):
        image_store(upload=photo, header=header, user=UserFactory())

    assert Image.objects.count() == 0


def test_image_check_inside_upload_atomic_refused():
    # Checking decodes the file: inside the transaction it would hold the write lock all the while.
    with pytest.raises(RuntimeError), upload_atomic():
        image_check(upload(image_bytes()))


@pytest.mark.django_db
def test_upload_atomic_failure_after_store_deletes_rows_and_files():
    user = UserFactory()
    stored_names = []

    photo = upload(image_bytes())
    header = image_check(photo)
    with pytest.raises(ZeroDivisionError), upload_atomic():
        image = image_store(upload=photo, header=header, user=user)
        document = document_store(upload=upload(pdf_bytes(), name="b.pdf"), user=user)
        stored_names += [image.file.name, document.file.name]
        assert all(default_storage.exists(name) for name in stored_names)
        1 / 0  # noqa: B018 - any failure later in the block

    assert Image.objects.count() == 0
    assert Document.objects.count() == 0
    assert not any(default_storage.exists(name) for name in stored_names)


@pytest.mark.django_db
def test_document_store_saves_pdf_with_pdf_extension():
    with upload_atomic():
        document = document_store(
            upload=upload(pdf_bytes(), name="catalogue.exe"), user=UserFactory(), title=""
        )

    assert document.file.name.endswith(".pdf")
    assert document.title == "catalogue"
    assert document.collection.name == UPLOADS_COLLECTION_NAME


@pytest.mark.django_db
def test_feria_image_tag_renders_webp_rendition():
    photo = upload(image_bytes("png", 400, 400))
    header = image_check(photo)
    with upload_atomic():
        image = image_store(upload=photo, header=header, user=UserFactory())
    image_renditions_make(image=image, sizes=["logo"])  # as the task worker does after the upload

    html = Template('{% load feria_images %}{% feria_image image "logo" alt="Logo" %}').render(
        Context({"image": image})
    )

    assert ".webp" in html
    assert 'width="160"' in html and 'height="160"' in html
    assert 'loading="lazy"' in html
