"""A whole-page cache for anonymous visitors (settings.FERIA_PAGE_CACHE_SECONDS; 0 turns it off).

What a visitor without a session sees of a public page is the same for every such visitor, so the rendered
HTML can be kept for a few seconds and handed out again without touching the database. The middleware sits
right after LocaleMiddleware, so the language is known and the key is the host, full path, language and
lite-mode variant (exhibitors.selectors.lite: "lite", "normal", or "offer" when the browser sends
`Save-Data: on` and nothing was chosen yet), so each mode keeps its own copy.

It stores a response only when nothing about it belongs to one person:
  - GET, 200, HTML, not streamed, not under the admin;
  - the request carries no session cookie (nobody is signed in) and no pending messages;
  - the response sets no cookie (a page with a form sets the CSRF cookie, so forms are never cached), the
    session was not written, and it does not say private / no-store / no-cache;
  - it varies only on Cookie, Accept-Language and Save-Data (all covered by the rules and the key).
A signed-in person (session cookie) always gets a fresh page.

Edits show at once. While a page is rendered for the cache, the code that loads what it shows names it
(exhibitors/cache_tags.py: `booth:12`, `company:5`, `page:<translation key>`, `fair:<translation key>`,
`site`...); the stored page keeps those tags and when its rendering started. Writes stamp the tags they touch
when their transaction commits (cms/cache_purge.py), and a hit first reads the tags' stamps (one get_many, no
database query): a page rendered before any of them is rendered again. So FERIA_PAGE_CACHE_SECONDS only
bounds how long an untouched page is kept, and can be long (docs/deploy.md, "Anonymous page cache"). A page
is kept no longer than it said it stays right (a fair's next phase, a booth's next opening), nor past
midnight (date-bound badges), nor more than a minute when it named nothing it depends on.
"""

import datetime
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import cc_delim_re, patch_vary_headers

from exhibitors import cache_tags
from exhibitors.selectors.lite import lite_state

# Wagtail's admin (and Django's, should it ever be mounted): staff pages are never cached.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")
CACHE_HEADER = "X-Feria-Cache"
KEY_PREFIX = "feria:page:v3:"
# Long URLs are nearly always unique (search strings); keeping them would only push useful pages out.
MAX_CACHED_PATH = 1024
ALLOWED_VARY = {"cookie", "accept-language", "save-data"}
# django.contrib.messages' cookie; a request that brings messages must see them, not a cached page.
MESSAGES_COOKIE = "messages"
SKIPPED_HEADERS = {"set-cookie", CACHE_HEADER.lower()}


def page_cache_key(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or ""
    variant = lite_state(request).variant
    raw = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{language}|{variant}"
    return KEY_PREFIX + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def request_is_cacheable(request: HttpRequest) -> bool:
    """Only anonymous GET/HEAD requests for public pages may be answered from (or fill) the cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    path = request.path_info
    if path.startswith(ADMIN_PREFIXES) or path.rstrip("/") in {"/admin", "/django-admin"}:
        return False
    if len(request.get_full_path()) > MAX_CACHED_PATH:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    """A response that could have been made for anyone without a session, and says nothing against it."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or response.has_header("Content-Encoding"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    vary = {field.strip().lower() for field in cc_delim_re.split(response.get("Vary", "")) if field.strip()}
    return vary <= ALLOWED_VARY


class PageCacheMiddleware:
    """Serve and store anonymous visitors' HTML pages (see the module docstring for the rules)."""

    def __init__(self, get_response):
        self.seconds = int(getattr(settings, "FERIA_PAGE_CACHE_SECONDS", 0) or 0)
        if self.seconds <= 0:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.cache = caches["default"]

    # Which requests and responses, under which key: the anonymous rules here; cms/member_cache.py overrides
    # them for signed-in people and keeps the rest of the mechanism.
    request_is_cacheable = staticmethod(request_is_cacheable)
    response_is_cacheable = staticmethod(response_is_cacheable)
    key = staticmethod(page_cache_key)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.request_is_cacheable(request):
            return self.get_response(request)
        key = self.key(request)
        stored = self.cache.get(key)
        if stored is not None:
            status, content, headers, started, tags = stored
            if cache_tags.is_current(tags, started):
                return self.rebuild(status, content, headers)
        deps, token = cache_tags.recording_start()
        try:
            response = self.get_response(request)
        finally:
            cache_tags.recording_stop(token)
        if self.response_is_cacheable(request, response):
            seconds = self.lifetime(deps)
            if seconds > 0 and cache_tags.stamps_ready(deps.tags, deps.started):
                self.cache.set(key, self.freeze(response, deps), seconds)
                response[CACHE_HEADER] = "miss"
        return response

    def lifetime(self, deps: cache_tags.Dependencies) -> int:
        """How long the page may be kept: the setting, no later than the page said, nor past midnight (pages
        that show a date-bound state, such as a certificate's badge, change when the day does), and briefly
        when nothing about the page was declared."""
        seconds = self.seconds if deps.declared else min(self.seconds, cache_tags.UNDECLARED_SECONDS)
        now = timezone.localtime()
        tomorrow = datetime.datetime.combine(
            now.date() + datetime.timedelta(days=1), datetime.time(), tzinfo=now.tzinfo
        )
        until = tomorrow.timestamp() if deps.until is None else min(deps.until, tomorrow.timestamp())
        return int(min(seconds, until - time.time()))

    @staticmethod
    def freeze(response: HttpResponse, deps: cache_tags.Dependencies) -> tuple:
        headers = [(name, value) for name, value in response.items() if name.lower() not in SKIPPED_HEADERS]
        return (response.status_code, response.content, headers, deps.started, sorted(deps.tags))

    @staticmethod
    def rebuild(status: int, content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        # The page is the anonymous one: shared caches downstream must not hand it to someone signed in.
        patch_vary_headers(response, ("Cookie", "Save-Data"))
        response[CACHE_HEADER] = "hit"
        return response
