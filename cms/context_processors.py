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
        # The header badge of unread messages: one query, only on pages that draw it for a signed-in person.
        "chat_unread": SimpleLazyObject(lambda: _chat_unread(request)),
    }


def _chat_unread(request) -> int:
    from fair.chat.selectors.conversations import unread_total

    user = getattr(request, "user", None)
    return unread_total(user) if user is not None and user.is_authenticated else 0
