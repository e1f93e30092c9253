from django.utils import translation
from wagtail.models import Locale

from fair.selectors.fairs import fairs_for_home


def fairs_to_browse(request) -> list:
    """Live and upcoming fairs in the reader's language, for links to their suggestions."""
    try:
        locale = Locale.objects.get(language_code=translation.get_language())
    except Locale.DoesNotExist:
        locale = Locale.get_default()
    found = fairs_for_home(locale=locale)
    return found["live_fairs"] + found["upcoming_fairs"]
