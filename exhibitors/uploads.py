"""Every image and PDF an exhibitor uploads passes through here.

The checks run in order of cost and before anything is decoded or stored: the size reported by the upload
handler, the real type read from the first bytes (the file name and the browser's claimed type are never
trusted), and for images the pixel count and the number of frames, read by walking the format's blocks by
their length fields with a cap on how many there may be (so the time is bounded whatever the file holds).
Only an image that passed all of that is decoded once, to make sure it is not damaged (a damaged original
would break every rendition later).

Checking happens first, outside any transaction (`image_check`); only then are the rows written
(exhibitors.services.uploads). Accepted
files become Wagtail Images or Documents in the "Exhibitor uploads" collection, stored inside
`upload_atomic()`: if anything in the block fails, the rows roll back and the files already written to
storage are deleted, so a refusal never leaves a half-saved upload behind. On SQLite a transaction holds the
database's write lock, so nothing slow may run inside it.

`image_metadata_strip` copies a checked picture without what it says about who made it (EXIF, XMP, text
chunks, comments, data after the picture), block by block and so losslessly; requests for quotation use it,
since the exhibitors must not learn who the buyer is (docs/rfq.md).
"""

import contextvars
import io
import struct
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

# Real type -> extension the stored file gets (whatever the uploaded name said).
IMAGE_EXTENSIONS = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
PILLOW_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}
IMAGE_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"
PDF_ACCEPT = "application/pdf,.pdf"

# How many blocks a reader walks before it gives up on a file (each block is a jump by a length field).
# A sound 8 MB GIF is about 33,000 blocks (255-byte sub-blocks of image data); a PNG writer's IDAT chunks are
# 8 KB or more; a JPEG's headers are a few dozen segments. A file made of millions of empty blocks is refused
# in milliseconds instead of keeping a worker busy for seconds.
_GIF_MAX_BLOCKS = 100_000
_PNG_MAX_CHUNKS = 20_000
_JPEG_MAX_MARKERS = 2_000

# Where a PDF's end-of-file marker must appear (the spec allows a little trailing whitespace or junk).
_PDF_TAIL = 2048


# The files stored inside the current upload_atomic() block (exhibitors.services.uploads); None outside.
stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("feria_stored_files", default=None)


class UploadRefused(ValidationError):
    """An upload that is not accepted; the message says why in the uploader's language."""


@dataclass(frozen=True)
class ImageHeader:
    """What image_check found: the real type, the largest extent of any frame, the number of frames, and the
    size the stored image has (a GIF's logical screen may be smaller than a frame)."""

    kind: str  # one of IMAGE_EXTENSIONS
    width: int
    height: int
    frames: int = 1
    stored_width: int = 0
    stored_height: int = 0

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


def _too_complex() -> UploadRefused:
    return UploadRefused(
        _(
            "This image is made of too many separate parts to be checked. Please export it again from an "
            "image editor and upload the new file."
        ),
        code="image_too_complex",
    )


def _too_many_frames(limit: int) -> UploadRefused:
    return UploadRefused(
        _("This animation has more than %(limit)s frames. Please shorten it and upload it again.")
        % {"limit": limit},
        code="image_too_many_frames",
    )


class _Budget:
    """Counts the blocks a reader walks, so a file made of millions of tiny blocks is refused in bounded time
    (each step is a jump by a length field, never a byte-by-byte scan)."""

    def __init__(self, limit: int):
        self.left = limit

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise _too_complex()


def _png_size(data: bytes) -> tuple[int, int, int]:
    """Size from IHDR, frame count from acTL (APNG), and every chunk walked by its length up to IEND."""
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise _damaged()
    width, height = struct.unpack_from(">II", data, 16)
    frames = 1
    budget = _Budget(_PNG_MAX_CHUNKS)
    position = 8
    while True:
        budget.spend()
        if position + 8 > len(data):
            raise _damaged()
        length, chunk = struct.unpack_from(">I4s", data, position)
        if chunk == b"acTL" and length >= 8:
            (frames,) = struct.unpack_from(">I", data, position + 8)
        if chunk == b"IEND":
            break
        position += 12 + length
    return width, height, frames


def _gif_sub_blocks_end(data: bytes, position: int, budget: _Budget) -> int:
    """Where the data sub-blocks starting at `position` end: each jumped over by its length byte, up to the
    empty one that closes them."""
    while True:
        if position >= len(data):
            raise _damaged()
        size = data[position]
        position += 1
        if size == 0:
            return position
        budget.spend()
        position += size


def _gif_size(data: bytes) -> tuple[int, int, int]:
    """The largest extent of the logical screen and of every frame, and the number of frames, read block by
    block (jumping over each sub-block by its length byte; no LZW decoding)."""
    if len(data) < 13:
        raise _damaged()
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    end = len(data)
    position = 13
    if flags & 0x80:  # global colour table
        position += 3 * (2 ** ((flags & 0x07) + 1))
    budget = _Budget(_GIF_MAX_BLOCKS)
    frame_limit = settings.FERIA_MAX_IMAGE_FRAMES

    frames = 0
    while True:
        if position >= end:
            raise _damaged()
        budget.spend()
        introducer = data[position]
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:  # extension: label, then sub-blocks
            position = _gif_sub_blocks_end(data, position + 2, budget)
        elif introducer == 0x2C:  # image descriptor
            if position + 10 > end:
                raise _damaged()
            descriptor = struct.unpack_from("<HHHHB", data, position + 1)
            left, top, frame_width, frame_height, frame_flags = descriptor
            width = max(width, left + frame_width)
            height = max(height, top + frame_height)
            frames += 1
            if frames > frame_limit:
                raise _too_many_frames(frame_limit)
            position += 10
            if frame_flags & 0x80:  # local colour table
                position += 3 * (2 ** ((frame_flags & 0x07) + 1))
            position = _gif_sub_blocks_end(data, position + 1, budget)  # LZW minimum code size, then the data
        else:
            raise _damaged()
    if not frames:
        raise _damaged()
    return width, height, frames


# Start-of-frame markers carry the size; C4 (Huffman tables), C8 (reserved) and CC (arithmetic coding) do not.
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int, int]:
    """Every marker segment up to the start of scan, jumped over by its length; the size from the frame
    header."""
    budget = _Budget(_JPEG_MAX_MARKERS)
    end = len(data)
    size = None
    position = 2
    while True:
        budget.spend()
        if position + 2 > end or data[position] != 0xFF:
            if size is not None:
                break  # the size is known: the pixel cap decides first, decoding finds the damage after
            raise _damaged()
        code = data[position + 1]
        if code == 0xFF:  # fill byte
            position += 1
            continue
        if code in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        if code == 0xD9:  # end of image before any scan
            raise _damaged()
        if code == 0xDA:  # start of scan: the headers are over
            break
        if position + 4 > end:
            raise _damaged()
        (length,) = struct.unpack_from(">H", data, position + 2)
        if length < 2:
            raise _damaged()
        if code in _JPEG_SOF and size is None:
            if position + 9 > end:
                raise _damaged()
            _precision, height, width = struct.unpack_from(">BHH", data, position + 4)
            size = (width, height)
        position += 2 + length
    if size is None:
        raise _damaged()
    return size[0], size[1], 1


def _webp_size(data: bytes) -> tuple[int, int, int]:
    head = data[12:30]
    if len(head) < 18:
        raise _damaged()
    chunk = head[:4]
    body = head[8:]
    if chunk == b"VP8 ":
        if body[3:6] != b"\x9d\x01\x2a":
            raise _damaged()
        width, height = struct.unpack("<HH", body[6:10])
        return width & 0x3FFF, height & 0x3FFF, 1
    if chunk == b"VP8L":
        if body[0] != 0x2F:
            raise _damaged()
        (bits,) = struct.unpack("<I", body[1:5])
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 1
    if chunk == b"VP8X":
        width = int.from_bytes(body[4:7], "little") + 1
        height = int.from_bytes(body[7:10], "little") + 1
        # Frames of an animation are counted by Pillow (libwebp's demuxer, in C) once the file is opened.
        return width, height, 1
    raise _damaged()


_SIZE_READERS = {"png": _png_size, "gif": _gif_size, "jpeg": _jpeg_size, "webp": _webp_size}


def image_check(upload: UploadedFile) -> ImageHeader:
    """Refuse all but a sound PNG, JPEG, GIF or WebP within the size, pixel and frame caps (raises
    UploadRefused). Runs in bounded time and outside any transaction: call it before `upload_atomic()`."""
    # Checking decodes the file; inside upload_atomic() that would hold the database's write lock meanwhile.
    if stored_files.get() is not None:
        raise RuntimeError("Check uploads before upload_atomic(), not inside it.")
    _check_size(upload, settings.FERIA_MAX_IMAGE_BYTES, "image_too_big")
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    kind = _image_kind(data[:1024])
    if kind is None:
        if _looks_like_svg(data[:1024]):
            raise UploadRefused(
                _("SVG images are not accepted. Please upload a PNG, JPEG, GIF or WebP image."),
                code="image_svg",
            )
        raise UploadRefused(
            _("This file is not a PNG, JPEG, GIF or WebP image."),
            code="image_type",
        )
    width, height, frames = _SIZE_READERS[kind](data)
    if width <= 0 or height <= 0:
        raise _damaged()
    limit = settings.FERIA_MAX_IMAGE_PIXELS
    if width * height > limit:
        raise UploadRefused(
            _(
                "This image is %(width)s × %(height)s pixels, which is more than the %(limit)s megapixels "
                "allowed. Please make it smaller and upload it again."
            )
            % {"width": width, "height": height, "limit": floatformat(limit / 1_000_000, -1)},
            code="image_too_many_pixels",
        )
    frame_limit = settings.FERIA_MAX_IMAGE_FRAMES
    if frames > frame_limit:
        raise _too_many_frames(frame_limit)
    # Within the caps: decode once (first frame) to catch damaged or truncated files now rather than when
    # a page asks for a rendition.
    try:
        with PILImage.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as decoded:
            if decoded.size != (width, height) and kind != "gif":
                raise _damaged()
            if kind == "webp" and getattr(decoded, "n_frames", 1) > frame_limit:
                raise _too_many_frames(frame_limit)
            stored_size = decoded.size
            if kind == "jpeg":
                # JPEG decodes at 1/8 scale: every byte of the scan is still read and checked, in 1/64 of the
                # memory a phone photo would otherwise take.
                decoded.draft(None, (max(1, width // 8), max(1, height // 8)))
            decoded.load()
    except UploadRefused:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, struct.error, PILImage.DecompressionBombError) as exc:
        raise _damaged() from exc
    return ImageHeader(
        kind=kind,
        width=width,
        height=height,
        frames=frames,
        stored_width=stored_size[0],
        stored_height=stored_size[1],
    )


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


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def pdf_or_image_check(upload: UploadedFile) -> str:
    """Check a PDF or an image (whichever its first bytes say it is) and return its real type, "pdf" or one
    of IMAGE_EXTENSIONS (raises UploadRefused). Call it before `upload_atomic()`."""
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        pdf_check(upload)
        return "pdf"
    return image_check(upload).kind


# What image_metadata_strip keeps: the JFIF header (APP0), the colour profile (APP2 "ICC_PROFILE") and Adobe's
# colour transform flag (APP14), which decoding needs; every other application segment (EXIF, XMP, IPTC,
# maker notes, MPF) and comments go.
_JPEG_KEEP_APP = {0xE0, 0xEE}
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_WEBP_DROP = {b"EXIF", b"XMP "}
_GIF_KEEP_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # looping; anything else (XMP) goes
_WEBP_MAX_CHUNKS = 20_000


def _jpeg_orientation_segment(data: bytes) -> bytes:
    """An APP1 holding only the EXIF orientation, when the photo has one other than "upright" (a phone
    photo's pixels are stored sideways and the tag turns them); else nothing."""
    try:
        with PILImage.open(io.BytesIO(data), formats=["JPEG"]) as decoded:
            orientation = decoded.getexif().get(0x0112)
    except (OSError, SyntaxError, ValueError, EOFError, struct.error):
        return b""
    if orientation not in range(2, 9):
        return b""
    exif = PILImage.Exif()
    exif[0x0112] = orientation
    payload = exif.tobytes()
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def _jpeg_strip(data: bytes) -> bytes:
    budget = _Budget(_JPEG_MAX_MARKERS)
    kept = [data[:2]]
    position = 2
    while True:
        budget.spend()
        if position + 4 > len(data) or data[position] != 0xFF:
            raise _damaged()
        code = data[position + 1]
        if code == 0xFF:
            position += 1
            continue
        if code in (0x01, *range(0xD0, 0xD8)):
            kept.append(data[position : position + 2])
            position += 2
            continue
        if code == 0xDA:
            break
        if code == 0xD9:
            raise _damaged()
        (length,) = struct.unpack_from(">H", data, position + 2)
        segment = data[position : position + 2 + length]
        keep = code not in range(0xE0, 0xF0) and code != 0xFE
        keep = keep or code in _JPEG_KEEP_APP or (code == 0xE2 and segment[4:16] == b"ICC_PROFILE\x00")
        if keep:
            kept.append(segment)
        position += 2 + length
    # The orientation goes right after the JFIF header when there is one (both standards want to come first).
    kept.insert(2 if len(kept) > 1 and kept[1][:2] == b"\xff\xe0" else 1, _jpeg_orientation_segment(data))
    # The scans up to the first end-of-image marker (entropy-coded data never holds FF D9); whatever a camera
    # appends after it (a second picture, a depth map, a motion photo's video) goes.
    end = data.find(b"\xff\xd9", position)
    kept.append(data[position:] if end < 0 else data[position : end + 2])
    return b"".join(kept)


def _png_strip(data: bytes) -> bytes:
    budget = _Budget(_PNG_MAX_CHUNKS)
    kept = [data[:8]]
    position = 8
    while True:
        budget.spend()
        if position + 12 > len(data):
            raise _damaged()
        length, chunk = struct.unpack_from(">I4s", data, position)
        if chunk not in _PNG_DROP:
            kept.append(data[position : position + 12 + length])
        position += 12 + length
        if chunk == b"IEND":
            return b"".join(kept)


def _webp_strip(data: bytes) -> bytes:
    budget = _Budget(_WEBP_MAX_CHUNKS)
    end = min(len(data), 8 + struct.unpack_from("<I", data, 4)[0])
    kept = []
    position = 12
    while position + 8 <= end:
        budget.spend()
        chunk, length = struct.unpack_from("<4sI", data, position)
        whole = data[position : position + 8 + length + (length & 1)]
        if chunk == b"VP8X" and length >= 10:
            flags = whole[8] & ~0x0C  # the "has EXIF" and "has XMP" bits
            whole = whole[:8] + bytes([flags]) + whole[9:]
        if chunk not in _WEBP_DROP:
            kept.append(whole)
        position += 8 + length + (length & 1)
    body = b"WEBP" + b"".join(kept)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _gif_strip(data: bytes) -> bytes:
    budget = _Budget(_GIF_MAX_BLOCKS)
    end = len(data)
    flags = data[10]
    position = 13 + (3 * (2 ** ((flags & 0x07) + 1)) if flags & 0x80 else 0)
    kept = [data[:position]]

    while True:
        budget.spend()
        if position >= end:
            raise _damaged()
        introducer = data[position]
        if introducer == 0x3B:
            kept.append(b"\x3b")
            return b"".join(kept)
        if introducer == 0x21:
            label = data[position + 1] if position + 1 < end else None
            following = _gif_sub_blocks_end(data, position + 2, budget)
            application = data[position + 3 : position + 14] if label == 0xFF else b""
            if label not in (0xFE, 0xFF) or application in _GIF_KEEP_APPLICATIONS:
                kept.append(data[position:following])
            position = following
        elif introducer == 0x2C:
            frame_flags = data[position + 9]
            start = position
            position += 10
            if frame_flags & 0x80:
                position += 3 * (2 ** ((frame_flags & 0x07) + 1))
            position = _gif_sub_blocks_end(data, position + 1, budget)
            kept.append(data[start:position])
        else:
            raise _damaged()


_STRIPPERS = {"jpeg": _jpeg_strip, "png": _png_strip, "webp": _webp_strip, "gif": _gif_strip}


def image_metadata_strip(upload: UploadedFile, kind: str) -> UploadedFile:
    """A copy of a picture that image_check() accepted, without what it says about who made it and where: EXIF
    (camera, owner, GPS position, date), XMP, IPTC, text chunks and comments, and data appended after the
    picture. Lossless: the pixels are copied as they are, block by block; a JPEG keeps its orientation. The
    copy is checked again (raises UploadRefused). Call it before `upload_atomic()`."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        stripped = _STRIPPERS[kind](data)
    except (IndexError, struct.error) as exc:
        raise _damaged() from exc
    copy = SimpleUploadedFile(upload.name or "image", stripped, content_type=CONTENT_TYPES[kind])
    if image_check(copy).kind != kind:
        raise _damaged()
    return copy
