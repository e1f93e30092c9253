"""What browsers may keep of an HTML page, and which pages are compressed (see docs/deploy.md).

`CachePolicyMiddleware` (inside `ConditionalGetMiddleware`, outside the page cache) gives every HTML page
that did not choose its own policy a `Cache-Control`:
  - a signed-in person's page, or any page that used the CSRF token or sets a cookie: `private, no-store`
    (it holds someone's data or a secret; nothing keeps it);
  - an anonymous visitor's page: `no-cache` — any cache may keep it but must ask again each time, and
    `ConditionalGetMiddleware` answers that question with its ETag: a revisit costs a 304 and no body.
Both vary on `Cookie` (the anonymous/signed-in split and the lite-mode cookie) and `Save-Data` (the lite
mode banner).

`AnonymousGZipMiddleware` compresses HTML only when that page holds no secret an attacker could find by
reflecting guesses into it (BREACH): no signed-in person, no CSRF token used. Static files are compressed
ahead by WhiteNoise and never reach it.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

NO_STORE = "private, no-store"
REVALIDATE = "no-cache"


def _is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def _signed_in(request) -> bool:
    # A page-cache hit returns before authentication ran: that visitor is anonymous by construction.
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def holds_secret(request, response) -> bool:
    """Whether the response is one person's: signed in, a CSRF token in it, or a cookie set."""
    return _signed_in(request) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")) or bool(response.cookies)


class CachePolicyMiddleware:
    """Cache-Control and Vary for HTML pages (module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_html(response) or response.has_header("Cache-Control"):
            return response
        if request.method not in ("GET", "HEAD") or holds_secret(request, response):
            response["Cache-Control"] = NO_STORE
        else:
            response["Cache-Control"] = REVALIDATE
        patch_vary_headers(response, ("Cookie", "Save-Data"))
        return response


class AnonymousGZipMiddleware(GZipMiddleware):
    """Django's gzip, for HTML pages that hold no secret (module docstring)."""

    def process_response(self, request, response):
        if not _is_html(response) or holds_secret(request, response):
            return response
        if "private" in response.get("Cache-Control", ""):
            return response
        return super().process_response(request, response)
