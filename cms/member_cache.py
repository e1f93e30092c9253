"""The public pages for signed-in people: the part that is the same for everyone kept, the personal parts
filled per request.

The anonymous page cache (cms/cache.py) cannot serve anyone with a session. Yet a buyer's fair page, directory
or booth page differs from another buyer's only in its holes (exhibitors/holes.py: the header's links and
unread badge, "Save" buttons, the booth's chat box and view pixel), which HoleMiddleware fills after the page
is made. So the page before filling is kept here, under the same key as an anonymous one plus the person's
time zone (dates are shown in it), and handed to every signed-in person who asks for the same address in
the same language and lite mode. It is dropped by the same dependency tags as the anonymous pages
(exhibitors/cache_tags.py), so an edit shows at once.

Only what can be shared is kept:
  - the view said its page is the same for every signed-in person but for its holes
    (exhibitors.holes.shared_page): the
    home page, fair pages, standard pages, the directory and booth pages;
  - GET, 200, HTML, not streamed; nobody on the staff (they see the editing bar and previews); no messages
    waiting to be shown;
  - nothing personal was written into the page: no CSRF token was asked for while it was made (a form's
    token belongs in a hole), no cookie set, the session not written.
"""

from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from cms.cache import (
    ADMIN_PREFIXES,
    MAX_CACHED_PATH,
    MESSAGES_COOKIE,
    PageCacheMiddleware,
    page_cache_key,
)
from exhibitors.holes import SHARED_ATTRIBUTE


def member_page_key(request: HttpRequest) -> str:
    return f"{page_cache_key(request)}:member:{timezone.get_current_timezone_name()}"


def member_request_is_cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return False
    if request.path_info.startswith(ADMIN_PREFIXES) or len(request.get_full_path()) > MAX_CACHED_PATH:
        return False
    if MESSAGES_COOKIE in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.get(SessionStorage.session_key))


def member_response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if not getattr(response, SHARED_ATTRIBUTE, False):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


class MemberPageCacheMiddleware(PageCacheMiddleware):
    """Serve and store signed-in people's shared pages, holes unfilled (see the module docstring). It sits
    inside HoleMiddleware, which fills the holes of a stored page and of a fresh one alike."""

    request_is_cacheable = staticmethod(member_request_is_cacheable)
    response_is_cacheable = staticmethod(member_response_is_cacheable)
    key = staticmethod(member_page_key)
