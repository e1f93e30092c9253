"""Content-Security-Policy on every page, and no inline script or style anywhere outside Wagtail's admin.

The public pages are not listed by hand: the test builds a fair with an approved booth from the factories,
then visits every URL the resolver can reverse with the ids it has, every live Wagtail page and its routes,
and every same-language link those pages show, as a visitor, an exhibitor, a buyer and chamber staff. New
pages are covered as soon as something links to them.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from exhibitors.enums import ApplicationStatus, MembershipRole
from tests.factories.exhibitors import (
    BoothFactory,
    BuyerProfileFactory,
    MembershipFactory,
    ProductFactory,
    UserFactory,
)
from tests.factories.fair import FairPageFactory

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
    "form-action 'self' https://checkout.stripe.com https://connect.stripe.com"
)
# Wagtail's admin ships inline scripts and styles in its widgets and previews pages in a frame.
ADMIN_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; frame-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'self'; "
    "form-action 'self' https://checkout.stripe.com https://connect.stripe.com"
)
CSP = "Content-Security-Policy"
NOT_CRAWLED = ("/admin/", "/static/", "/media/", "/documents/")
MAX_PAGES_PER_VISITOR = 400
# <script type="application/json"> (Django's json_script) is data the browser never executes.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


# --- Finding inline script and style ---


class InlineCodeFinder(HTMLParser):
    """Collects every construct a strict script-src/style-src policy would block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        names = {name.lower(): (value or "") for name, value in attrs}
        where = f"line {self.getpos()[0]}: <{tag}>"
        if tag == "script":
            kind = names.get("type", "").strip().lower()
            if "src" not in names and kind not in DATA_SCRIPT_TYPES:
                self.problems.append(f"{where} inline <script> without src")
        if tag == "style":
            self.problems.append(f"{where} <style> element")
        for name, value in names.items():
            if name == "style":
                self.problems.append(f"{where} style attribute")
            elif re.fullmatch(r"on[a-z]+", name):
                self.problems.append(f"{where} {name}= event handler attribute")
            elif name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"{where} javascript: URL in {name}")

    handle_startendtag = handle_starttag


TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
TEMPLATE_CODE = re.compile(r"{%.*?%}|{{.*?}}", re.DOTALL)


def inline_code_in_html(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def inline_code_in_template(source: str) -> list[str]:
    """Template tags are blanked out (same length, newlines kept) so only the HTML they sit in is judged."""
    source = TEMPLATE_COMMENT.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    source = TEMPLATE_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), source)
    return inline_code_in_html(source)


def project_template_dirs() -> list[Path]:
    base = Path(settings.BASE_DIR).resolve()
    dirs = [Path(d).resolve() for config in settings.TEMPLATES for d in config.get("DIRS", [])]
    for app in apps.get_app_configs():
        path = Path(app.path).resolve()
        if base in path.parents and ".venv" not in path.parts and (path / "templates").is_dir():
            dirs.append(path / "templates")
    return dirs


def is_wagtail_admin_template(relative: Path, source: str) -> bool:
    """Overrides of Wagtail's admin and the chamber's admin views: the admin has its own, looser policy."""
    top = relative.parts[0]
    return (
        top.startswith("wagtail")
        or "admin" in relative.parts[:-1]
        or re.search(r"{%\s*extends\s+[\"']wagtail", source) is not None
    )


def public_templates() -> list[tuple[Path, str]]:
    found = []
    for directory in project_template_dirs():
        for path in sorted(directory.rglob("*.html")):
            source = path.read_text(encoding="utf-8")
            if not is_wagtail_admin_template(path.relative_to(directory), source):
                found.append((path, source))
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">import "x";</script>',
        "<style>p { color: red }</style>",
        '<p style="color: red">x</p>',
        '<p {% if x %}style="color: red"{% endif %}>x</p>',
        '<button onclick="go()">go</button>',
        "<body onload='go()'>",
        '<a href="javascript:go()">go</a>',
        '<img src="x.png" onerror="go()">',
    ],
)
def test_inline_code_finder_flags_blocked_constructs(snippet):
    assert inline_code_in_template(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script src=\"{% static 'js/feria.js' %}\" defer></script>",
        '<script id="data" type="application/json">{"a": 1}</script>',
        '<link rel="stylesheet" href="/static/css/feria.css">',
        '<p class="{% if on %}on{% endif %}" data-onclick="x">{% translate "style=none" %}</p>',
        "{# <script>alert(1)</script> #}",
        "{% comment %}<p style='x'>old</p>{% endcomment %}",
    ],
)
def test_inline_code_finder_accepts_external_code(snippet):
    assert inline_code_in_template(snippet) == []


def test_templates_have_no_inline_script_or_style():
    templates = public_templates()
    base = Path(settings.BASE_DIR).resolve() / "templates" / "base.html"
    assert base in [path for path, _ in templates]
    problems = [
        f"{path.relative_to(settings.BASE_DIR)} {problem}"
        for path, source in templates
        for problem in inline_code_in_template(source)
    ]
    assert problems == []


# --- Visiting every public page ---


class LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "a" and names.get("href"):
            self.links.append(names["href"])
        if tag == "form" and (names.get("method") or "get").lower() == "get" and names.get("action"):
            self.links.append(names["action"])


def local_links(html: str) -> list[str]:
    finder = LinkFinder()
    finder.feed(html)
    links = []
    for href in finder.links:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        links.append(href)
    return links


def url_patterns(patterns, namespace: str = ""):
    """(qualified name, keyword names) of every named URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            regex = entry.pattern.regex
            yield f"{namespace}{entry.name}", set(regex.groupindex)


def reversible_urls(known_ids: dict[str, object]) -> set[str]:
    urls = set()
    with translation.override("en"):
        for name, keywords in url_patterns(get_resolver().url_patterns):
            if not keywords <= set(known_ids):
                continue
            try:
                urls.add(reverse(name, kwargs={key: known_ids[key] for key in keywords}))
            except NoReverseMatch:
                continue
    return urls


def wagtail_urls(known_ids: dict[str, object]) -> set[str]:
    urls = set()
    for page in Page.objects.live().public().specific():
        url = page.get_url()
        if not url:
            continue
        urls.add(url)
        if isinstance(page, RoutablePageMixin):
            for route in page.get_subpage_urls():
                keywords = set(route.pattern.regex.groupindex)
                if not route.name or not keywords <= set(known_ids):
                    continue
                try:
                    sub = page.reverse_subpage(route.name, kwargs={key: known_ids[key] for key in keywords})
                except NoReverseMatch:
                    continue
                urls.add(url.rstrip("/") + "/" + sub.lstrip("/"))
    return urls


def crawl(client, start: set[str]) -> dict[str, object]:
    """Visit the start URLs and every English-language local link they lead to; answer url -> response."""
    seen: dict[str, object] = {}
    queue = sorted(start)
    while queue and len(seen) < MAX_PAGES_PER_VISITOR:
        url = queue.pop(0)
        if url in seen or url.startswith(NOT_CRAWLED):
            continue
        response = client.get(url)
        seen[url] = response
        if response.get("Content-Type", "").startswith("text/html") and response.status_code == 200:
            for link in local_links(response.content.decode()):
                path = urlsplit(link).path
                if link not in seen and (path.startswith("/en/") or not re.match(r"^/[a-z]{2}/", path)):
                    queue.append(link)
    return seen


@pytest.fixture
def fair_world(db, home_page):
    """A live fair with an approved booth showing a product, its owner, a buyer and a chamber editor."""
    fair = FairPageFactory(title="Andean Coffee Fair", slug="andean-coffee")
    booth = BoothFactory(fair=fair, status=ApplicationStatus.APPROVED)
    product = ProductFactory(company=booth.company)
    booth.booth_products.create(product=product)
    pending = BoothFactory(fair=fair)
    exhibitor = MembershipFactory(company=booth.company, role=MembershipRole.OWNER).user
    MembershipFactory(user=exhibitor, company=pending.company, role=MembershipRole.OWNER)
    buyer = BuyerProfileFactory().user
    editor = UserFactory(is_staff=True, is_superuser=True)
    known_ids = {
        "company_id": booth.company_id,
        "fair_id": fair.pk,
        "booth_id": booth.pk,
        "product_id": product.pk,
        "hall_id": booth.hall_id,
        "package_id": booth.package_id,
        "page_id": fair.pk,
        "company_slug": booth.company.slug,
        "fair_slug": fair.slug,
    }
    return {"fair": fair, "booth": booth, "users": [exhibitor, buyer, editor], "known_ids": known_ids}


def assert_public_policy(visited: dict[str, object]) -> None:
    problems = []
    for url, response in visited.items():
        if response.status_code >= 500:
            problems.append(f"{url} answered {response.status_code}")
        is_html = response.get("Content-Type", "").startswith("text/html")
        is_page = is_html and not 300 <= response.status_code < 400
        header = response.get(CSP)
        if (is_page or header is not None) and header != STRICT_POLICY:
            problems.append(f"{url} ({response.status_code}): {header!r}")
        if is_page:
            problems += [f"{url}: {problem}" for problem in inline_code_in_html(response.content.decode())]
    assert problems == []


def test_every_public_page_has_the_strict_policy_and_no_inline_code(client, fair_world):
    # Server errors are listed with the other problems (and logged with their traceback) rather than
    # stopping the visit at the first one.
    client.raise_request_exception = False
    known_ids = fair_world["known_ids"]
    start = reversible_urls(known_ids) | wagtail_urls(known_ids) | {"/es/", "/fr/", "/pt/", "/healthz"}

    anonymous = crawl(client, start)
    assert_public_policy(anonymous)
    fair_url = fair_world["fair"].get_url()
    with translation.override("en"):
        login, signup, dashboard = reverse("account_login"), reverse("account_signup"), reverse("dashboard")
    assert {"/en/", fair_url, login, signup, dashboard} <= set(anonymous)
    for url in ("/en/", fair_url, login, signup):
        assert anonymous[url].status_code == 200, url

    for user in fair_world["users"]:
        client.force_login(user)
        visited = crawl(client, start)
        assert_public_policy(visited)
        assert visited[dashboard].status_code == 200
        client.logout()


def test_strict_policy_forbids_inline_code_and_allows_stripe_checkout(client, home_page):
    response = client.get("/en/")
    assert response[CSP] == STRICT_POLICY
    policy = directives(response[CSP])
    assert "'unsafe-inline'" not in response[CSP]
    assert "'unsafe-eval'" not in response[CSP]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "https://checkout.stripe.com" in policy["form-action"]


def test_admin_alone_gets_the_admin_policy(client, home_page):
    editor = UserFactory(is_staff=True, is_superuser=True)
    assert client.get("/admin/login/")[CSP] == ADMIN_POLICY
    client.force_login(editor)
    assert client.get("/admin/")[CSP] == ADMIN_POLICY
    assert client.get(f"/admin/pages/{home_page.pk}/")[CSP] == ADMIN_POLICY
    for path in ("/en/", "/en/admin/", "/en/administration/", "/django-admin/login/", "/healthz"):
        response = client.get(path, follow=True)
        assert response[CSP] == STRICT_POLICY, path


def test_admin_policy_is_documented():
    text = (Path(settings.BASE_DIR) / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert "FERIA_ADMIN_CSP" in text
    assert "'unsafe-inline'" in text


def test_policies_match_settings(settings):
    from csp.utils import build_policy

    for config, expected in ((settings.FERIA_CSP, STRICT_POLICY), (settings.FERIA_ADMIN_CSP, ADMIN_POLICY)):
        built = build_policy(config=config)
        assert sorted(built.split("; ")) == sorted(expected.split("; "))
