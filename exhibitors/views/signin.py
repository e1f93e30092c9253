"""The page shown when sign-in from an address is paused (django-axes' AXES_LOCKOUT_CALLABLE)."""

from django.conf import settings
from django.shortcuts import render


def sign_in_locked_out(request, original_response=None, credentials=None):
    """Say what happened and what still works, with 429 Too Many Requests. The same page whether or not the
    address typed belongs to anyone, and for the site's and the admin's sign-in forms alike."""
    context = {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)}
    response = render(request, "account/login_locked.html", context, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
