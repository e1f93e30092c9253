"""Every image and PDF an exhibitor uploads passes through here.

The checks run in order of cost and before anything is decoded or stored: the size reported by the upload
handler, the real type read from the first bytes (the file name and the browser's claimed type are never
trusted), and for images the pixel count read from the format's header. Only an image that passed all of
that is decoded once, to make sure it is not damaged (a damaged original would break every rendition later).

Accepted files become Wagtail Images or Documents in the "Exhibitor uploads" collection. They must be stored
inside `upload_atomic()`: if anything in the block fails, the rows roll back and the files already written to
storage are deleted, so a refusal never leaves a half-saved upload behind.
"""

import contextvars
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Collection

UPLOADS_COLLECTION_NAME = "Exhibitor uploads"

# Real type -> extension the stored file gets (whatever the uploaded name said).
IMAGE_EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
IMAGE_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
PDF_ACCEPT = "application/pdf,.pdf"

# Where a PDF's end-of-file marker must appear (the spec allows a little trailing whitespace or junk).
_PDF_TAIL = 2048


class UploadRefused(ValidationError):
    """An upload that is not accepted; the message says why in the uploader's language."""


@dataclass(frozen=True)
class ImageHeader:
    kind: str  # one of IMAGE_EXTENSIONS
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def _damaged() -> UploadRefused:
    return UploadRefused(
        _("This image is damaged or incomplete. Please export it again and upload the new file."),
        code="image_damaged",
    )


def _read_at(upload, offset: int, length: int) -> bytes:
    upload.seek(offset)
    return upload.read(length)


def _check_size(upload, limit: int, code: str) -> None:
    size = upload.size
    if size is None or size > limit:
        raise UploadRefused(
            _("This file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size or 0), "limit": filesizeformat(limit)},
            code=code,
        )
    if size == 0:
        raise UploadRefused(_("This file is empty."), code="empty")


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<!doctype svg")):
        return True
    # An XML prolog, comments or a doctype may come first; the root element decides.
    return text.startswith((b"<?xml", b"<!--", b"<!doctype")) and b"<svg" in text


def _image_kind(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def _png_size(upload) -> tuple[int, int]:
    head = _read_at(upload, 8, 16)
    if len(head) < 16 or head[4:8] != b"IHDR":
        raise _damaged()
    return struct.unpack(">II", head[8:16])


def _gif_size(upload) -> tuple[int, int]:
    """The largest extent of the logical screen and of every frame, read block by block (no LZW decoding)."""
    head = _read_at(upload, 0, 13)
    if len(head) < 13:
        raise _damaged()
    width, height, flags = struct.unpack("<HHB", head[6:11])
    position = 13
    if flags & 0x80:  # global colour table
        position += 3 * (2 ** ((flags & 0x07) + 1))

    def skip_sub_blocks(pos: int) -> int:
        while True:
            size = _read_at(upload, pos, 1)
            if not size:
                raise _damaged()
            pos += 1
            if size[0] == 0:
                return pos
            pos += size[0]

    frames = 0
    while position < upload.size:
        introducer = _read_at(upload, position, 1)
        if not introducer:
            raise _damaged()
        if introducer == b"\x3b":  # trailer
            break
        if introducer == b"\x21":  # extension: label, then sub-blocks
            position = skip_sub_blocks(position + 2)
        elif introducer == b"\x2c":  # image descriptor
            descriptor = _read_at(upload, position + 1, 9)
            if len(descriptor) < 9:
                raise _damaged()
            left, top, frame_width, frame_height, frame_flags = struct.unpack("<HHHHB", descriptor)
            width = max(width, left + frame_width)
            height = max(height, top + frame_height)
            frames += 1
            position += 10
            if frame_flags & 0x80:  # local colour table
                position += 3 * (2 ** ((frame_flags & 0x07) + 1))
            position = skip_sub_blocks(position + 1)  # LZW minimum code size, then the data
        else:
            raise _damaged()
    if not frames:
        raise _damaged()
    return width, height


# Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(upload) -> tuple[int, int]:
    position = 2
    while position < upload.size:
        marker = _read_at(upload, position, 2)
        if len(marker) < 2 or marker[0] != 0xFF:
            raise _damaged()
        code = marker[1]
        if code == 0xFF:  # fill byte
            position += 1
            continue
        if code in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        if code in (0xD9, 0xDA):  # end of image or start of scan before any frame header
            raise _damaged()
        length_bytes = _read_at(upload, position + 2, 2)
        if len(length_bytes) < 2:
            raise _damaged()
        (length,) = struct.unpack(">H", length_bytes)
        if length < 2:
            raise _damaged()
        if code in _JPEG_SOF:
            frame = _read_at(upload, position + 4, 5)
            if len(frame) < 5:
                raise _damaged()
            _precision, height, width = struct.unpack(">BHH", frame)
            return width, height
        position += 2 + length
    raise _damaged()


def _webp_size(upload) -> tuple[int, int]:
    head = _read_at(upload, 12, 18)
    if len(head) < 18:
        raise _damaged()
    chunk = head[:4]
    data = head[8:]
    if chunk == b"VP8 ":
        if data[3:6] != b"\x9d\x01\x2a":
            raise _damaged()
        width, height = struct.unpack("<HH", data[6:10])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L":
        if data[0] != 0x2F:
            raise _damaged()
        (bits,) = struct.unpack("<I", data[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        width = int.from_bytes(data[4:7], "little") + 1
        height = int.from_bytes(data[7:10], "little") + 1
        return width, height
    raise _damaged()


_SIZE_READERS = {"png": _png_size, "gif": _gif_size, "jpeg": _jpeg_size, "webp": _webp_size}


def image_check(upload: UploadedFile) -> ImageHeader:
    """Refuse all but a sound PNG, JPEG, GIF or WebP within the size and pixel caps (raises UploadRefused)."""
    _check_size(upload, settings.FERIA_MAX_IMAGE_BYTES, "image_too_big")
    head = _read_at(upload, 0, 1024)
    kind = _image_kind(head)
    if kind is None:
        if _looks_like_svg(head):
            raise UploadRefused(
                _("SVG images are not accepted. Please upload a PNG, JPEG, GIF or WebP image."),
                code="image_svg",
            )
        raise UploadRefused(
            _("This file is not a PNG, JPEG, GIF or WebP image."),
            code="image_type",
        )
    width, height = _SIZE_READERS[kind](upload)
    if width <= 0 or height <= 0:
        raise _damaged()
    header = ImageHeader(kind=kind, width=width, height=height)
    limit = settings.FERIA_MAX_IMAGE_PIXELS
    if header.pixels > limit:
        raise UploadRefused(
            _(
                "This image is %(width)s × %(height)s pixels, which is more than the %(limit)s megapixels "
                "allowed. Please make it smaller and upload it again."
            )
            % {"width": width, "height": height, "limit": floatformat(limit / 1_000_000, -1)},
            code="image_too_many_pixels",
        )
    # Within the caps: decode once (first frame) to catch damaged or truncated files now rather than when
    # a page asks for a rendition.
    upload.seek(0)
    try:
        with PILImage.open(upload, formats=[PILLOW_FORMATS[kind]]) as decoded:
            if decoded.size != (width, height) and kind != "gif":
                raise _damaged()
            if kind == "jpeg":
                # JPEG decodes at 1/8 scale: every byte of the scan is still read and checked, in 1/64 of the
                # memory a phone photo would otherwise take.
                decoded.draft(None, (max(1, width // 8), max(1, height // 8)))
            decoded.load()
    except UploadRefused:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, PILImage.DecompressionBombError) as exc:
        raise _damaged() from exc
    finally:
        upload.seek(0)
    return header


def pdf_check(upload: UploadedFile) -> None:
    """Refuse anything but a complete PDF within the size cap (raises UploadRefused)."""
    _check_size(upload, settings.FERIA_MAX_PDF_BYTES, "pdf_too_big")
    head = _read_at(upload, 0, 1024)
    if not head.startswith(b"%PDF-"):
        if _looks_like_svg(head) or _image_kind(head):
            raise UploadRefused(_("Brochures must be PDF files, not images."), code="pdf_type")
        raise UploadRefused(_("This file is not a PDF."), code="pdf_type")
    tail = _read_at(upload, max(0, upload.size - _PDF_TAIL), _PDF_TAIL)
    if b"%%EOF" not in tail:
        raise UploadRefused(
            _("This PDF is incomplete (its end is missing). Please save it again and upload the new file."),
            code="pdf_incomplete",
        )
    upload.seek(0)


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


_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "feria_stored_files", default=None
)


@contextmanager
def upload_atomic() -> Iterator[None]:
    """One transaction for an upload and the rows that point at it; on failure the stored files go too."""
    outer = _stored_files.get()
    stored: list = [] if outer is None else outer
    token = _stored_files.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if outer is None:
            for storage, name in stored:
                storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def _remember(field_file) -> None:
    _stored_files.get().append((field_file.storage, field_file.name))


def _require_upload_atomic() -> None:
    if _stored_files.get() is None:
        raise RuntimeError("Uploads are stored only inside upload_atomic().")


def image_store(*, upload: UploadedFile, user, title: str = "") -> AbstractImage:
    """Check the upload and save it as a Wagtail Image in the uploads collection (writes the file)."""
    _require_upload_atomic()
    header = image_check(upload)
    original_name = upload.name
    upload.name = _safe_name(original_name, IMAGE_EXTENSIONS[header.kind], "image")
    image = get_image_model()(
        title=_title(title, original_name, "image"),
        file=upload,
        collection=uploads_collection(),
        uploaded_by_user=user if getattr(user, "is_authenticated", False) else None,
    )
    image._set_image_file_metadata()
    try:
        image.save()
    finally:
        if image.file.name and getattr(image.file, "_committed", False):
            _remember(image.file)
    return image


def document_store(*, upload: UploadedFile, user, title: str = "") -> AbstractDocument:
    """Check the upload and save it as a Wagtail Document in the uploads collection (writes the file)."""
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
    try:
        document.save()
    finally:
        if document.file.name and getattr(document.file, "_committed", False):
            _remember(document.file)
    return document
