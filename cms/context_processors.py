from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject


def site_nav(request):
    """The chamber running the site, and links to the same page in every language (plain links, so
    pages stay cacheable)."""
    from cms.chamber import chamber_for_request

    path = request.get_full_path()
    return {
        # Lazy: pages that never show the chamber (the Wagtail admin) never look it up.
        "chamber": SimpleLazyObject(lambda: chamber_for_request(request)),
        "feria_language_links": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
