"""Inside Django (run by the bench as `python -m bench.wire_pages OUT.json`): the pages bench/wire.py fetches,
and a session of the demo buyer for the signed-in ones (the conversation page)."""

import json
import sys
from importlib import import_module

import django


def main(out: str) -> None:
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from bench.pages import pages
    from cms.demo import data
    from fair.chat.models import Conversation

    urls = pages()
    urls.pop("plain", None)
    found = {
        "home": urls["home"],
        "fair": urls["fair"],
        "directory": urls["directory"].split("?", 1)[0],
        "directory search": urls["directory"],
        "booth": urls["booth"],
    }
    buyer_email = next(account.email for account in data.ACCOUNTS if account.email.startswith("buyer@"))
    buyer = get_user_model().objects.get(email=buyer_email)
    conversation = Conversation.objects.filter(buyer=buyer).order_by("pk").first()
    session = None
    if conversation is not None:
        found["conversation"] = f"/en/chat/conversations/{conversation.pk}/"
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(buyer.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = buyer.get_session_auth_hash()
        store.save()
        session = [settings.SESSION_COOKIE_NAME, store.session_key]
    with open(out, "w") as handle:
        json.dump({"urls": found, "session": session, "signed_in": ["conversation"]}, handle)


if __name__ == "__main__":
    main(sys.argv[1])
