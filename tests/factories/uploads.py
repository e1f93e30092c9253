"""Real image and PDF files made in memory, uploads built from them, and the booth rows that hold them."""

import io
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from exhibitors.models import BoothDocument, BoothImage, BoothLink, BoothProduct, OfficeHours, ProductImage
from exhibitors.services.renditions import image_renditions_make
from tests.factories.exhibitors import BoothFactory, ProductFactory

PILLOW_NAMES = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF", "webp": "WEBP"}


def image_bytes(kind: str = "png", width: int = 64, height: int = 48, color=(20, 120, 80)) -> bytes:
    """A real, small image of the given type, encoded by Pillow."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, PILLOW_NAMES[kind])
    return buffer.getvalue()


def noisy_png(width: int = 200, height: int = 200) -> bytes:
    """A PNG whose pixel data does not compress away, so truncating it cuts real image data."""
    buffer = io.BytesIO()
    PILImage.effect_noise((width, height), 80).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb's calling card)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


def jpeg_claiming(width: int, height: int) -> bytes:
    """The start of a JPEG (an APP0 segment, then a frame header) claiming width × height pixels."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof = (
        b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    )
    return b"\xff\xd8" + app0 + sof + b"\x00" * 64


def gif_with_frame(screen: tuple[int, int], frame: tuple[int, int]) -> bytes:
    """A GIF whose one frame may be larger than its logical screen."""
    header = b"GIF89a" + struct.pack("<HHBBB", screen[0], screen[1], 0, 0, 0)
    descriptor = b"\x2c" + struct.pack("<HHHHB", 0, 0, frame[0], frame[1], 0)
    return header + descriptor + b"\x02\x02\x44\x01\x00" + b"\x3b"


def gif_with_empty_comments(count: int) -> bytes:
    """A 1×1 GIF whose single frame follows `count` empty comment extensions (`21 FE 00`): tiny blocks that
    a byte-by-byte reader takes seconds to walk."""
    header = b"GIF89a" + struct.pack("<HHBBB", 1, 1, 0, 0, 0)
    frame = b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00"
    return header + b"\x21\xfe\x00" * count + frame + b"\x3b"


def jpeg_of_markers(count: int) -> bytes:
    """A JPEG start followed by `count` empty comment segments before any frame header."""
    return b"\xff\xd8" + b"\xff\xfe\x00\x02" * count + jpeg_claiming(10, 10)[2:]


def png_of_chunks(count: int) -> bytes:
    """A small, sound PNG with `count` empty private chunks between its header and its data."""
    sound = image_bytes("png", 4, 4)
    ihdr_end = 8 + 25
    return sound[:ihdr_end] + _png_chunk(b"prVt", b"") * count + sound[ihdr_end:]


SVG = (
    b'<?xml version="1.0"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
)


def pdf_bytes(pages_text: str = "Brochure") -> bytes:
    """A minimal, complete PDF."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
        b"% " + pages_text.encode() + b"\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return body


def upload(data: bytes, name: str = "file.png", content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


class WagtailImageFactory(DjangoModelFactory):
    class Meta:
        model = get_image_model()
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(lambda: SimpleUploadedFile("picture.png", image_bytes("png")))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        image = model_class(*args, **kwargs)
        image._set_image_file_metadata()
        image.save()
        return image

    @factory.post_generation
    def renditions(image, create, sizes, **kwargs):
        """`WagtailImageFactory(renditions=ALL_SIZES)`: what the task worker makes after an upload."""
        if create and sizes:
            image_renditions_make(image=image, sizes=sizes)


class WagtailDocumentFactory(DjangoModelFactory):
    class Meta:
        model = get_document_model()

    title = factory.Sequence(lambda n: f"Brochure {n}")
    file = factory.LazyFunction(lambda: SimpleUploadedFile("brochure.pdf", pdf_bytes()))


class BoothImageFactory(DjangoModelFactory):
    class Meta:
        model = BoothImage

    booth = factory.SubFactory(BoothFactory)
    image = factory.SubFactory(WagtailImageFactory)
    caption = factory.Sequence(lambda n: f"Photo {n}")
    sort_order = factory.Sequence(lambda n: n)


class BoothDocumentFactory(DjangoModelFactory):
    class Meta:
        model = BoothDocument

    booth = factory.SubFactory(BoothFactory)
    document = factory.SubFactory(WagtailDocumentFactory)
    title = factory.Sequence(lambda n: f"Brochure {n}")
    sort_order = factory.Sequence(lambda n: n)


class BoothLinkFactory(DjangoModelFactory):
    class Meta:
        model = BoothLink

    booth = factory.SubFactory(BoothFactory)
    label = "Website"
    url = "https://example.com/"


class OfficeHoursFactory(DjangoModelFactory):
    class Meta:
        model = OfficeHours

    booth = factory.SubFactory(BoothFactory)
    weekday = 0
    opens_at = "09:00"
    closes_at = "12:00"


class BoothProductFactory(DjangoModelFactory):
    class Meta:
        model = BoothProduct

    booth = factory.SubFactory(BoothFactory)
    product = factory.LazyAttribute(lambda o: ProductFactory(company=o.booth.company))
    sort_order = factory.Sequence(lambda n: n)


class ProductImageFactory(DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.SubFactory(WagtailImageFactory)
    sort_order = factory.Sequence(lambda n: n)
