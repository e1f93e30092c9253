"""Public pages stay within their weight budget (docs/deploy.md; `make bench` measures the real thing in
Chromium): first visit ≤ 150 KB normal and ≤ 50 KB lite, repeat visit ≤ 10 KB.

Demo-like data: a fair with a cover, 24 exhibitors with logos (the directory's page size), a booth with a
full gallery and products; pictures drawn as seed_demo draws them, renditions made as the worker makes
them. Through the test client: the gzipped HTML (anonymous pages are compressed), then every stylesheet,
script and image it references, each once, as a browser with an empty cache would fetch them — static files
at their gzipped size (WhiteNoise serves them pre-compressed), an image's `srcset` at its first (smallest)
candidate, as a screen of ordinary density picks it. Lazy images count too, so the budget holds whatever
the screen. The repeat visit is the HTML's 304 answer.
"""

import gzip
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images import get_image_model

from cms.demo import images
from exhibitors.enums import ApplicationStatus
from exhibitors.renditions import ALL_SIZES
from exhibitors.selectors.lite import LITE_COOKIE
from exhibitors.services.renditions import image_renditions_make
from tests.factories.exhibitors import BoothFactory, CompanyFactory, ProductFactory
from tests.factories.fair import FairPageFactory
from tests.factories.uploads import BoothImageFactory, BoothProductFactory

FIRST_BUDGET = {"normal": 150_000, "lite": 50_000}
REPEAT_BUDGET = 10_000
PALETTE = ("#1f6f5c", "#f2c14e", "#3b3b58")


class References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        rel = (attributes.get("rel") or "").split()
        if tag == "link" and ("stylesheet" in rel or "icon" in rel):
            self.found.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.found.append(attributes["src"])
        elif tag == "img" and attributes.get("srcset"):
            self.found.append(attributes["srcset"].split(",")[0].split()[0])
        elif tag == "img" and attributes.get("src"):
            self.found.append(attributes["src"])


def asset_bytes(client, url: str) -> int:
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        data = (Path(settings.BASE_DIR) / "static" / path[len(settings.STATIC_URL) :]).read_bytes()
        return min(len(data), len(gzip.compress(data)))
    if path.startswith(settings.MEDIA_URL):
        return default_storage.size(path[len(settings.MEDIA_URL) :])
    # Served by the site itself (the booth's view-counting pixel): weighed as it is sent.
    response = client.get(url)
    assert response.status_code == 200, url
    return len(response.content)


def first_visit(client, url: str) -> tuple[int, str]:
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200, url
    body = response.content
    html = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    parser = References()
    parser.feed(html.decode())
    assets = sum(asset_bytes(client, ref) for ref in dict.fromkeys(parser.found))
    return len(body) + assets, response.get("ETag", "")


def picture(content: bytes, title: str):
    image = get_image_model()(title=title, file=SimpleUploadedFile(f"{title}.png", content))
    image._set_image_file_metadata()
    image.save()
    image_renditions_make(image=image, sizes=ALL_SIZES)
    return image


@pytest.fixture
def demo_like(home_page):
    cover = images.photo_jpeg(size=images.COVER_SIZE, palette=PALETTE, seed="fair", caption="Expo")
    fair = FairPageFactory(title="Expo Pacifico", slug="expo", cover_image=picture(cover, "cover"))
    booths = []
    for number in range(24):
        logo = images.logo_png(
            size=images.LOGO_SIZE, palette=PALETTE, initials=f"C{number}", seed=str(number)
        )
        company = CompanyFactory(legal_name=f"Company {number:02d}", slug=f"company-{number:02d}")
        booths.append(
            BoothFactory(
                fair=fair,
                company=company,
                logo=picture(logo, f"logo-{number}"),
                featured=number < 4,
                status=ApplicationStatus.APPROVED,
            )
        )
    booth = booths[0]
    booth.cover = picture(cover, "booth-cover")
    booth.save()
    for number in range(4):
        photo = images.photo_jpeg(
            size=images.PHOTO_SIZE, palette=PALETTE, seed=f"g{number}", caption="Coffee"
        )
        BoothImageFactory(booth=booth, image=picture(photo, f"gallery-{number}"))
    for number in range(5):
        BoothProductFactory(
            booth=booth, product=ProductFactory(company=booth.company, name=f"Quinoa {number}")
        )
    return {
        "home": "/en/",
        "fair": f"/en/{fair.slug}/",
        "directory": f"/en/{fair.slug}/exhibitors/",
        "directory search": f"/en/{fair.slug}/exhibitors/?q=quinoa",
        "booth": f"/en/{fair.slug}/booths/{booth.company.slug}/",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["normal", "lite"])
def test_public_pages_stay_within_budget(client, demo_like, mode):
    if mode == "lite":
        client.cookies[LITE_COOKIE] = "1"
    over = []
    for name, url in demo_like.items():
        first, etag = first_visit(client, url)
        repeat = client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
        repeat_bytes = len(repeat.content) + sum(len(f"{k}: {v}\r\n") for k, v in repeat.items())
        if first > FIRST_BUDGET[mode]:
            over.append(f"{name} first visit {first} bytes > {FIRST_BUDGET[mode]}")
        if repeat.status_code != 304 or repeat_bytes > REPEAT_BUDGET:
            over.append(f"{name} repeat visit {repeat.status_code}, {repeat_bytes} bytes")
    assert not over, "\n".join(over)
