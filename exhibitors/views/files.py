"""Private files (proofs of transfer and other private uploads): handed out only here, after checking who
asks, and always as a download so a browser never renders one in the site's origin."""

from django.http import FileResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from exhibitors.models import PrivateFile
from exhibitors.permissions import private_file_or_404


def private_file_response(found: PrivateFile) -> FileResponse:
    """A private file as a download under its stored name: never rendered in the site's origin, never
    cached. The caller has checked who asks."""
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
def private_file_download(request, public_id):
    """The file, to its company's members and the chamber's staff; 404 to anyone else."""
    return private_file_response(private_file_or_404(user=request.user, public_id=public_id))
