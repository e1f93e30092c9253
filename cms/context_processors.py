from django.conf import settings
from django.urls import translate_url


def site_nav(request):
    """The chamber running the site, and links to the same page in every language (plain links, so
    pages stay cacheable)."""
    from cms.chamber import chamber_for_request

    path = request.get_full_path()
    return {
        "chamber": chamber_for_request(request),
        "feria_language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
