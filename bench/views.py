from django.http import HttpResponse


def plain(request):
    """The baseline: a view that does nothing, behind the same middleware stack as every page."""
    return HttpResponse(b"ok", content_type="text/plain")
