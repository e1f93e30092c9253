"""Personal parts of shared pages ("holes"): rendered per request, after the rest of the page.

A public page (home, fair, directory, booth) is the same for every signed-in buyer but for a few parts: the
header's links and unread badge, each "Save" button's state, the booth's chat box and the view-counting
pixel. Templates write those parts as `{% hole "kind" arg ... %}`, which leaves a marker in the HTML (an HTML
comment carrying the kind and its arguments). `HoleMiddleware` then fills every marker of a response with
the person's own HTML, kind by kind, each kind with at most one query for all of its markers (the saved
states of every button at once, say).

So the rest of the page holds nothing personal, and the page cache (cms/cache.py) can keep it and hand it
to every signed-in person with the same view of it (language, lite mode, time zone), filling the holes
anew for each one. The markers never reach a browser: every HTML response passes through the middleware.
"""

import base64
import json
import re
from collections import defaultdict
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

MARKER_START = b"<!--feria-hole:"
MARKER = re.compile(r"<!--feria-hole:([a-z_]+):([A-Za-z0-9_=-]*)-->")

# kind -> renderer(request, [args, ...]) -> [html, ...] (same order)
_RENDERERS: dict[str, Callable[[HttpRequest, list[tuple]], list[str]]] = {}


SHARED_ATTRIBUTE = "feria_shared_page"


def shared_page(response: HttpResponse) -> HttpResponse:
    """Mark a view's response as the same for every signed-in person but for its holes, so the page cache
    may keep it for all of them (cms/member_cache.py). Only for pages whose every personal part is a hole."""
    setattr(response, SHARED_ATTRIBUTE, True)
    return response


def hole_kind(name: str):
    """Register a renderer for a kind of hole: it gets the request and the argument tuples of every marker of
    that kind in the page, and returns their HTML in the same order."""

    def register(function):
        _RENDERERS[name] = function
        return function

    return register


def hole_marker(kind: str, *args) -> SafeString:
    if kind not in _RENDERERS:
        raise ValueError(f"unknown hole kind {kind!r}")
    args = [arg if arg is None or isinstance(arg, bool | int) else str(arg) for arg in args]
    payload = base64.urlsafe_b64encode(json.dumps(args, separators=(",", ":")).encode()).decode()
    return mark_safe(f"<!--feria-hole:{kind}:{payload}-->")


def _decode(kind: str, payload: str) -> tuple | None:
    """A marker's arguments, or None for one this code did not write (an unknown kind, a broken payload):
    such a marker is dropped, never an error page."""
    if kind not in _RENDERERS:
        return None
    try:
        args = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return None
    return tuple(args) if isinstance(args, list) else None


def fill_holes(request: HttpRequest, html: str) -> str:
    found = MARKER.findall(html)
    if not found:
        return html
    by_kind: dict[str, list[tuple]] = defaultdict(list)
    for kind, payload in found:
        args = _decode(kind, payload)
        if args is not None:
            by_kind[kind].append(args)
    filled: dict[tuple[str, tuple], str] = {}
    for kind, items in by_kind.items():
        unique = list(dict.fromkeys(items))
        for item, text in zip(unique, _RENDERERS[kind](request, unique), strict=True):
            filled[(kind, item)] = text

    def replace(match: re.Match) -> str:
        return filled.get((match.group(1), _decode(match.group(1), match.group(2))), "")

    return MARKER.sub(replace, html)


def has_holes(response: HttpResponse) -> bool:
    return (
        not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and MARKER_START in response.content
    )


def fill_response(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if has_holes(response):
        charset = response.charset
        response.content = fill_holes(request, response.content.decode(charset)).encode(charset)
    return response


class HoleMiddleware:
    """Fills the holes of every HTML response (see the module docstring). It sits after the middleware that
    sets up the person (authentication, time zone, messages), so a hole sees what the page's view saw."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return fill_response(request, self.get_response(request))


def _csrf_token(request: HttpRequest) -> str:
    # One masked token for all the holes of a page (each get_token() call masks the secret anew).
    token = getattr(request, "_feria_hole_csrf_token", None)
    if token is None:
        token = request._feria_hole_csrf_token = get_token(request)
    return token


def render_small(template_name: str, request: HttpRequest, context: dict) -> str:
    """A hole's template, rendered with only what it is given plus the request and person (no context
    processors: a page has many holes)."""
    # Lazy, as Django's own context processor: asking for a token marks the CSRF cookie to be sent, which an
    # anonymous page that shows no form must not do (it would stay out of the page cache).
    token = SimpleLazyObject(lambda: _csrf_token(request))
    values = {"request": request, "user": request.user, "csrf_token": token, **context}
    return get_template(template_name).template.render(Context(values, autoescape=True))
