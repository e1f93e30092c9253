"""Pictures and brochures for the demo data, drawn with Pillow at run time (no downloaded assets).

Each picture is made from a seed, so the same company always gets the same pictures: a colour gradient,
a few translucent shapes, film-like grain (so JPEGs weigh what real photos weigh) and a caption.
"""

import io
import random
import unicodedata
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont, ImageOps

# Sizes at scale 1.0: gallery and product pictures are photo-sized, as people upload them.
PHOTO_SIZE = (1600, 1200)
PRODUCT_SIZE = (1200, 900)
COVER_SIZE = (1800, 600)
LOGO_SIZE = (512, 512)
# A4 at 100 dpi.
BROCHURE_SIZE = (827, 1169)


def scaled(size: tuple[int, int], scale: float) -> tuple[int, int]:
    return (max(24, round(size[0] * scale)), max(24, round(size[1] * scale)))


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans where the system has it (it has every accent); else Pillow's built-in font."""
    try:
        return ImageFont.truetype("DejaVuSans.ttf", max(8, size))
    except OSError:
        return ImageFont.load_default(size=max(8, size))


def _printable(text: str, font) -> str:
    """Pillow's built-in font has no accented letters: fold them (é → e) rather than draw boxes."""
    if getattr(font, "path", "").endswith("DejaVuSans.ttf"):
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


@cache
def _grain(size: tuple[int, int]) -> Image.Image:
    """One grain field per size, shared by every picture of that size (making noise is the slow part)."""
    return Image.effect_noise(size, 48).convert("RGB")


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return (int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16))


def _scene(size: tuple[int, int], palette: tuple[str, str, str], seed: str, shapes: int) -> Image.Image:
    rnd = random.Random(seed)
    width, height = size
    dark, light, accent = (_hex(colour) for colour in palette)
    gradient = Image.linear_gradient("L").rotate(rnd.choice((0, 30, 90, 135, 180)), expand=False)
    base = ImageOps.colorize(gradient.resize(size), black=dark, white=light).convert("RGBA")
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(shapes):
        x, y = rnd.randrange(width), rnd.randrange(height)
        radius = rnd.randrange(max(2, width // 14), max(3, width // 3))
        colour = rnd.choice((accent, light, dark, (255, 255, 255)))
        alpha = rnd.randrange(40, 150)
        if rnd.random() < 0.6:
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, alpha))
        else:
            points = [
                (x + rnd.randrange(-radius, radius), y + rnd.randrange(-radius, radius)) for _ in range(3)
            ]
            draw.polygon(points, fill=(*colour, alpha))
    # A soft horizon, like a table top or a field, so pictures read as scenes rather than patterns.
    horizon = rnd.randrange(height // 2, height * 5 // 6)
    draw.rectangle((0, horizon, width, height), fill=(*dark, 70))
    overlay = overlay.filter(ImageFilter.GaussianBlur(radius=max(1, width // 200)))
    picture = Image.alpha_composite(base, overlay).convert("RGB")
    return Image.blend(picture, _grain(size), 0.12)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    """Words onto lines no wider than `width` (a single longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _caption(picture: Image.Image, text: str, *, corner: bool = True, within: float | None = None) -> None:
    """Draw `text` at the bottom on a black band. `within` (an aspect ratio such as 4 / 3) keeps it inside
    the middle part of that shape, which is what a page cropping the picture to that shape still shows: the
    caption is centred there and wraps onto more lines rather than running past the crop."""
    if not text:
        return
    width, height = picture.size
    font = _font(max(10, height // 14))
    text = _printable(text, font)
    draw = ImageDraw.Draw(picture)
    pad = max(4, height // 40)
    box_left, box_width = 0, width
    if within and width > height * within:
        box_width = int(height * within)
        box_left = (width - box_width) // 2
        corner = False
    lines = _wrap(draw, text, font, box_width - pad * 6)
    line_height = font.size + pad
    y = height - pad * 3 - line_height * len(lines)
    for line in lines:
        left, top, right, bottom = draw.textbbox((0, 0), line, font=font)
        x = box_left + (pad * 2 if corner else (box_width - (right - left)) // 2)
        draw.rectangle((x - pad, y - pad, x + (right - left) + pad, y + line_height), fill=(0, 0, 0))
        draw.text((x, y - top // 2), line, font=font, fill=(255, 255, 255))
        y += line_height


def photo_jpeg(
    *,
    size: tuple[int, int],
    palette: tuple[str, str, str],
    seed: str,
    caption: str = "",
    caption_within: float | None = None,
    quality: int = 82,
) -> bytes:
    """A photo-like JPEG: gradient, shapes, grain and a caption (kept inside the middle `caption_within`
    aspect ratio when pages also show the picture cropped to that shape)."""
    picture = _scene(size, palette, seed, shapes=14)
    _caption(picture, caption, within=caption_within)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def logo_png(*, size: tuple[int, int], palette: tuple[str, str, str], initials: str, seed: str) -> bytes:
    """A round badge with the company's initials on a transparent background."""
    rnd = random.Random(seed)
    dark, light, accent = (_hex(colour) for colour in palette)
    width, height = size
    picture = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    margin = max(1, width // 32)
    draw.ellipse((margin, margin, width - margin, height - margin), fill=(*dark, 255))
    ring = max(1, width // 24)
    draw.ellipse(
        (margin + ring, margin + ring, width - margin - ring, height - margin - ring),
        outline=(*accent, 255),
        width=max(1, width // 40),
    )
    # Three leaves under the initials.
    for step in range(3):
        x = width // 2 + (step - 1) * width // 8
        y = height * 3 // 4 + rnd.randrange(-height // 40 - 1, height // 40 + 1)
        radius = max(2, width // 22)
        draw.ellipse((x - radius, y - radius // 2, x + radius, y + radius // 2), fill=(*light, 220))
    font = _font(height // 3)
    initials = _printable(initials, font)
    left, top, right, bottom = draw.textbbox((0, 0), initials, font=font)
    draw.text(
        ((width - (right - left)) / 2 - left, (height - (bottom - top)) / 2 - top),
        initials,
        font=font,
        fill=(255, 255, 255, 255),
    )
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()


def brochure_pdf(
    *, size: tuple[int, int], palette: tuple[str, str, str], seed: str, title: str, lines: list[str]
) -> bytes:
    """A two-page PDF brochure: a cover picture with the title, then the product list."""
    width, height = size
    cover = _scene(size, palette, seed, shapes=10)
    _caption(cover, title, corner=False)
    page = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(page)
    dark = _hex(palette[0])
    draw.rectangle((0, 0, width, height // 10), fill=dark)
    heading = _font(max(10, height // 30))
    body = _font(max(8, height // 50))
    draw.text((width // 14, height // 40), _printable(title, heading), font=heading, fill=(255, 255, 255))
    y = height // 7
    for line in lines:
        draw.text((width // 14, y), _printable(f"– {line}", body), font=body, fill=(30, 30, 30))
        y += max(10, height // 28)
    out = io.BytesIO()
    cover.save(out, "PDF", save_all=True, append_images=[page], resolution=100.0, title=title)
    return out.getvalue()
