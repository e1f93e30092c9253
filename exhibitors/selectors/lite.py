"""Lite mode: which variant of the public pages a visitor gets (fewer and smaller pictures, no gallery until
asked, no embeds, no web fonts).

A signed-in person's choice is on their account (`User.lite_mode`); an anonymous visitor's is a cookie
(`LITE_COOKIE`, "1" or "0"; see docs/privacy.md). Until either says something, a browser that sends
`Save-Data: on` is offered the mode (a banner), and nothing else changes.
"""

from dataclasses import dataclass

from django.http import HttpRequest

LITE_COOKIE = "feria_lite"
LITE_COOKIE_SECONDS = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class LiteState:
    lite: bool
    chosen: bool
    save_data: bool

    @property
    def offer(self) -> bool:
        """Show the banner offering lite mode: the browser asks to save data and nothing was chosen yet."""
        return self.save_data and not self.chosen

    @property
    def variant(self) -> str:
        """The page variant this state renders, for cache keys ("lite", "offer" or "normal")."""
        if self.lite:
            return "lite"
        return "offer" if self.offer else "normal"


def lite_cookie_choice(request: HttpRequest) -> bool | None:
    value = request.COOKIES.get(LITE_COOKIE)
    return {"1": True, "0": False}.get(value)


def lite_state(request: HttpRequest) -> LiteState:
    """The visitor's lite-mode state: the account's choice, else the cookie's, else nothing chosen."""
    cached = getattr(request, "_feria_lite_state", None)
    if cached is not None:
        return cached
    choice = None
    # Only when authentication already ran: the page cache asks before it, and then nobody is signed in.
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        choice = user.lite_mode
    if choice is None:
        choice = lite_cookie_choice(request)
    save_data = request.headers.get("Save-Data", "").strip().lower() == "on"
    state = LiteState(lite=bool(choice), chosen=choice is not None, save_data=save_data)
    request._feria_lite_state = state
    return state
