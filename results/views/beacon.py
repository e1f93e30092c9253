"""The booth page's view beacon: a 1x1 transparent GIF that counts a view in the cache (results.counting).

It reads nothing from the database and writes nothing to it, so it stays cheap however busy the fair is,
and the booth page itself keeps being served from the anonymous page cache."""

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from results.counting import booth_view_count

# The smallest transparent GIF (GIF89a, 1x1, one transparent colour).
PIXEL = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
MAX_USER_AGENT = 400


@require_GET
def booth_beacon(request, booth_id: str) -> HttpResponse:
    """GET /<lang>/v/booth/<id>.gif: count one view of booth <id>; always the same pixel, never stored."""
    booth_view_count(
        booth_id=int(booth_id),
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:MAX_USER_AGENT],
    )
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex"
    return response
