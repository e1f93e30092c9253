from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import translation

from fair.matchmaking.selectors.recommendations import recommendations_for
from fair.selectors.fairs import fair_live_by_slug


@login_required
def recommended(request, fair_slug: str) -> TemplateResponse:
    """Booths and products suggested to the signed-in buyer at one fair, each with its reasons."""
    fair = fair_live_by_slug(slug=fair_slug, language_code=translation.get_language())
    if fair is None:
        raise Http404
    return TemplateResponse(
        request,
        "matchmaking/recommended.html",
        {"fair": fair, "suggestions": recommendations_for(fair=fair, user=request.user)},
    )
