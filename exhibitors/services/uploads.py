"""Storing uploads that passed the checks in exhibitors/uploads.py: Wagtail Images and Documents in the
"Exhibitor uploads" collection, and private files, written inside `upload_atomic()` so that a failure rolls
the rows back and deletes the files already written."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection

from exhibitors.models import PrivateFile
from exhibitors.uploads import CONTENT_TYPES, IMAGE_EXTENSIONS, ImageHeader, pdf_check, stored_files

UPLOADS_COLLECTION_NAME = "Exhibitor uploads"


def uploads_collection() -> Collection:
    """The collection every exhibitor upload goes in (created the first time it is needed)."""
    collection = Collection.objects.filter(name=UPLOADS_COLLECTION_NAME, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=UPLOADS_COLLECTION_NAME)
    return collection


def _safe_name(original: str | None, extension: str, fallback: str) -> str:
    stem = slugify(PurePath(original or "").stem)[:60] or fallback
    return f"{stem}.{extension}"


def _title(title: str, original: str | None, fallback: str) -> str:
    return (title or PurePath(original or "").stem or fallback).strip()[:255] or fallback


@contextmanager
def upload_atomic() -> Iterator[None]:
    """One transaction for an upload and the rows that point at it; on failure the stored files go too."""
    outer = stored_files.get()
    stored: list = [] if outer is None else outer
    token = stored_files.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if outer is None:
            for storage, name in stored:
                storage.delete(name)
        raise
    finally:
        stored_files.reset(token)


def _remember(field_file) -> None:
    stored_files.get().append((field_file.storage, field_file.name))


def _save_remembering(instance) -> None:
    """Save a row whose `file` was just written, and remember the file so upload_atomic() deletes it if the
    transaction is rolled back (even when the save itself fails after the file was written)."""
    try:
        instance.save()
    finally:
        if instance.file.name and getattr(instance.file, "_committed", False):
            _remember(instance.file)


def _require_upload_atomic() -> None:
    if stored_files.get() is None:
        raise RuntimeError("Uploads are stored only inside upload_atomic().")


def image_store(*, upload: UploadedFile, header: ImageHeader, user, title: str = "") -> AbstractImage:
    """Save an upload that image_check() accepted as a Wagtail Image in the uploads collection (writes the
    file; nothing is decoded here)."""
    _require_upload_atomic()
    original_name = upload.name
    upload.name = _safe_name(original_name, IMAGE_EXTENSIONS[header.kind], "image")
    image = get_image_model()(
        title=_title(title, original_name, "image"),
        file=upload,
        # Given here, so Django does not open the file again to measure it.
        width=header.stored_width or header.width,
        height=header.stored_height or header.height,
        collection=uploads_collection(),
        uploaded_by_user=user if getattr(user, "is_authenticated", False) else None,
    )
    image._set_image_file_metadata()
    _save_remembering(image)
    return image


def document_store(*, upload: UploadedFile, user, title: str = "") -> AbstractDocument:
    """Check the upload (two short reads) and save it as a Wagtail Document in the uploads collection (writes
    the file)."""
    _require_upload_atomic()
    pdf_check(upload)
    original_name = upload.name
    upload.name = _safe_name(original_name, "pdf", "brochure")
    document = get_document_model()(
        title=_title(title, original_name, "brochure"),
        file=upload,
        collection=uploads_collection(),
        uploaded_by_user=user if getattr(user, "is_authenticated", False) else None,
    )
    document._set_document_file_metadata()
    _save_remembering(document)
    return document


def private_file_store(*, upload: UploadedFile, kind: str, company, user, name: str = "") -> PrivateFile:
    """Save a checked upload (`kind` from pdf_or_image_check) in private storage under a random name
    (writes the file, a PrivateFile row). Only the company's members and the chamber's staff can read it."""
    _require_upload_atomic()
    extension = "pdf" if kind == "pdf" else IMAGE_EXTENSIONS[kind]
    fallback = "document" if kind == "pdf" else "image"
    safe_name = _safe_name(name or upload.name, extension, fallback)
    upload.name = f"{fallback}.{extension}"  # only the extension is kept: PrivateFile picks a random name
    stored = PrivateFile(
        file=upload,
        name=safe_name,
        content_type=CONTENT_TYPES[kind],
        size=upload.size,
        company=company,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    _save_remembering(stored)
    return stored
