from django.conf import settings


def site_nav(request):
    """What every page's header needs: the language list."""
    return {"feria_languages": settings.LANGUAGES}
