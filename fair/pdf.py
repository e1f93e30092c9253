"""Small printable PDFs from Django templates (ReportLab): the fair catalogue, and any other document.

`render_pdf(template_name, context)` renders the template with Django, then lays out its markup with
ReportLab. The template writes a small subset of HTML, one block per line or nested as usual:

  <h1>, <h2>, <h3>, <p>, <p class="muted">, <ul><li>…</li></ul>, <hr>, <img src="storage:NAME" width="48">,
  <img src="qr:URL" width="48">

Inside a block, ReportLab's inline tags work (<b>, <i>, <br/>, <a href="...">). Text is escaped by Django's
autoescape as in any template. `storage:NAME` is a file in the default storage (an image or rendition's
`file.name`); it is downscaled to the width given (in points) at about 110 dots per inch, and re-encoded as a
JPEG, so a page of logos stays small. `qr:URL` draws a QR code of the URL (segno), one image pixel per
module so it stays sharp at any size. Anything else (unknown tags, other image sources) is left out.

Fonts: DejaVu Sans when the system has it (every Latin, Greek and Cyrillic letter), else ReportLab's built-in
Helvetica (Western European letters only).
"""

import io
from html.parser import HTMLParser
from pathlib import Path

import segno
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import HRFlowable, Image, ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

DOTS_PER_POINT = 110 / 72
JPEG_QUALITY = 60
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BLOCK_TAGS = {"h1", "h2", "h3", "p", "li"}
INLINE_TAGS = {"b", "i", "u", "br", "a", "strong", "em"}


def _fonts() -> tuple[str, str]:
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        if "FeriaSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("FeriaSans", str(regular)))
            pdfmetrics.registerFont(TTFont("FeriaSans-Bold", str(bold)))
            pdfmetrics.registerFontFamily(
                "FeriaSans",
                normal="FeriaSans",
                bold="FeriaSans-Bold",
                italic="FeriaSans",
                boldItalic="FeriaSans-Bold",
            )
        return "FeriaSans", "FeriaSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=12.5)
    return {
        "h1": ParagraphStyle("h1", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=6),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=3
        ),
        "h3": ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10.5, leading=13, spaceBefore=5),
        "p": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#555555"), fontSize=8.5),
        "li": body,
    }


def downscaled_image(name: str, *, width_points: float) -> Image | None:
    """A flowable of a stored image at `width_points` wide, re-encoded as a small JPEG; None if unreadable."""
    try:
        with default_storage.open(name, "rb") as stored:
            picture = PILImage.open(stored)
            picture.load()
    except (OSError, ValueError):
        return None
    target = max(1, int(width_points * DOTS_PER_POINT))
    if picture.width > target:
        picture = picture.resize((target, max(1, round(picture.height * target / picture.width))))
    if picture.mode not in ("RGB", "L"):
        flattened = PILImage.new("RGB", picture.size, "white")
        flattened.paste(picture, mask=picture.getchannel("A") if "A" in picture.getbands() else None)
        picture = flattened
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True)
    buffer.seek(0)
    height_points = width_points * picture.height / picture.width
    return Image(buffer, width=width_points, height=height_points)


def qr_image(url: str, *, width_points: float) -> Image:
    """A flowable QR code of `url` (error correction M, the standard quiet zone), `width_points` wide."""
    code = segno.make(url, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=1, border=4)
    buffer.seek(0)
    return Image(buffer, width=width_points, height=width_points)


class _Layout(HTMLParser):
    """Turns the template's markup into ReportLab flowables (see the module docstring)."""

    def __init__(self, styles: dict[str, ParagraphStyle]):
        super().__init__(convert_charrefs=False)
        self.styles = styles
        self.story: list = []
        self.block: str | None = None
        self.style: ParagraphStyle | None = None
        self.text: list[str] = []
        self.items: list | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in BLOCK_TAGS and self.block is None:
            self.block, self.text = tag, []
            self.style = self.styles["muted" if "muted" in (attributes.get("class") or "") else tag]
        elif tag == "ul":
            self.items = []
        elif tag == "hr":
            self.story.append(HRFlowable(width="100%", thickness=0.5, color=colors.lightgrey, spaceBefore=4))
        elif tag == "img":
            source = attributes.get("src") or ""
            if source.startswith("storage:"):
                image = downscaled_image(
                    source[len("storage:") :], width_points=float(attributes.get("width") or 48)
                )
                if image is not None:
                    image.hAlign = "LEFT"
                    self.story.append(image)
            elif source.startswith("qr:") and len(source) > 3:
                image = qr_image(source[3:], width_points=float(attributes.get("width") or 48))
                image.hAlign = "LEFT"
                self.story.append(image)
        elif self.block is not None and tag in INLINE_TAGS:
            tag = {"strong": "b", "em": "i"}.get(tag, tag)
            if tag == "br":
                self.text.append("<br/>")
            elif tag == "a":
                self.text.append(f'<a href="{_attr(attributes.get("href", ""))}" color="#1a4f8b">')
            else:
                self.text.append(f"<{tag}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.block is not None and tag == self.block:
            markup = " ".join("".join(self.text).split())
            if markup:
                paragraph = Paragraph(markup, self.style)
                if self.block == "li" and self.items is not None:
                    self.items.append(ListItem(paragraph, leftIndent=10))
                else:
                    self.story.append(paragraph)
            self.block = None
        elif tag == "ul" and self.items is not None:
            if self.items:
                self.story.append(ListFlowable(self.items, bulletType="bullet", start="•", leftIndent=10))
            self.items = None
        elif self.block is not None and tag in INLINE_TAGS and tag != "br":
            self.text.append(f"</{ {'strong': 'b', 'em': 'i'}.get(tag, tag) }>")

    def handle_data(self, data):
        if self.block is not None:
            # Django already escaped the text; what is left must stay escaped for ReportLab's markup.
            self.text.append(data.replace("<", "&lt;").replace(">", "&gt;"))

    def handle_entityref(self, name):
        if self.block is not None:
            self.text.append(f"&{name};")

    def handle_charref(self, name):
        if self.block is not None:
            self.text.append(f"&#{name};")


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def render_pdf(template_name: str, context: dict, *, title: str = "", request=None) -> bytes:
    """Render `template_name` with `context` and lay it out as an A4 PDF (see the module docstring)."""
    markup = render_to_string(template_name, context, request=request)
    layout = _Layout(_styles())
    layout.feed(markup)
    layout.close()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=title,
        creator="Feria",
    )
    document.build(layout.story or [Spacer(1, 1)])
    return buffer.getvalue()
