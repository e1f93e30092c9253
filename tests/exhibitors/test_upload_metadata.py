"""image_metadata_strip: a checked picture copied without what it says about who made it (EXIF owner and GPS,
XMP, text chunks, comments, data after the picture), pixels untouched, a JPEG's orientation kept."""

import io

import pytest
from PIL import Image as PILImage
from PIL import ImageCms, PngImagePlugin

from exhibitors.uploads import UploadRefused, image_check, image_metadata_strip
from tests.factories.uploads import upload

NAME = b"Beatrix Kaufmann"


def _exif(orientation: int = 6) -> bytes:
    exif = PILImage.Exif()
    exif[0x013B] = NAME.decode()  # Artist
    exif[0x8298] = NAME.decode()  # Copyright
    exif[0x0112] = orientation
    return exif.tobytes()


def _save(image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _strip(data: bytes, kind: str) -> bytes:
    checked = upload(data, f"photo.{kind}")
    assert image_check(checked).kind == kind
    return image_metadata_strip(checked, kind).read()


def test_jpeg_loses_exif_comment_and_trailer_but_keeps_pixels_profile_and_orientation():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    picture = PILImage.effect_noise((120, 80), 60).convert("RGB")
    data = _save(picture, "JPEG", progressive=True, icc_profile=profile, exif=_exif(), comment=NAME)
    data += b"appended by the camera: " + NAME
    stripped = _strip(data, "jpeg")
    assert NAME in data and NAME not in stripped
    before, after = PILImage.open(io.BytesIO(data)), PILImage.open(io.BytesIO(stripped))
    assert before.tobytes() == after.tobytes()
    assert after.info["icc_profile"] == profile
    assert dict(after.getexif()) == {0x0112: 6}


def test_upright_jpeg_gets_no_exif_at_all():
    data = _save(PILImage.new("RGB", (40, 30), "red"), "JPEG", exif=_exif(orientation=1))
    stripped = _strip(data, "jpeg")
    assert b"Exif" not in stripped and NAME not in stripped


def test_png_loses_text_and_exif_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", NAME.decode())
    info.add_itxt("Description", NAME.decode(), zip=True)
    data = _save(PILImage.new("RGBA", (40, 30), (1, 2, 3, 128)), "PNG", pnginfo=info, exif=_exif())
    stripped = _strip(data, "png")
    assert NAME in data and NAME not in stripped
    assert b"tEXt" not in stripped and b"eXIf" not in stripped and b"iTXt" not in stripped
    assert PILImage.open(io.BytesIO(stripped)).getpixel((3, 3)) == (1, 2, 3, 128)


def test_animated_webp_and_gif_keep_their_frames():
    frames = [PILImage.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    webp = _save(frames[0], "WEBP", save_all=True, append_images=frames[1:], exif=_exif(), xmp=b"<x>" + NAME)
    gif = _save(frames[0], "GIF", save_all=True, append_images=frames[1:], loop=0, comment=NAME)
    for data, kind in ((webp, "webp"), (gif, "gif")):
        stripped = _strip(data, kind)
        assert NAME in data and NAME not in stripped
        assert PILImage.open(io.BytesIO(stripped)).n_frames == 3
    assert PILImage.open(io.BytesIO(_strip(gif, "gif"))).info["loop"] == 0


def test_a_file_that_breaks_while_copying_is_refused():
    data = _save(PILImage.new("RGB", (40, 30), "red"), "PNG")
    broken = upload(data[:40], "photo.png")  # cut inside the image data: the walk runs off the end
    with pytest.raises(UploadRefused):
        image_metadata_strip(broken, "png")
