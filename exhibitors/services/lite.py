"""Lite mode chosen by a signed-in person (anonymous visitors keep it in a cookie, set by the view)."""

from exhibitors.models import User


def user_lite_mode_set(*, user: User, lite: bool) -> None:
    """Remember `user`'s choice of lite mode on their account (writes one column)."""
    user.lite_mode = lite
    user.save(update_fields=["lite_mode"])
