from django.conf import settings
from django.urls import translate_url


def site_nav(request):
    """Links to the same page in every language (plain links, so pages stay cacheable)."""
    path = request.get_full_path()
    return {
        "feria_language_links": [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]
    }
