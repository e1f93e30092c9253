from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fair.matchmaking.forms.preferences import PreferencesForm
from fair.matchmaking.selectors.facts import buyer_profile_of, user_is_discoverable
from fair.matchmaking.selectors.preferences import fairs_to_browse
from fair.matchmaking.services.preferences import buyer_preferences_save


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """ "Why these suggestions": the fields the scorer reads, the personalisation switch, discoverability."""
    profile = buyer_profile_of(request.user)
    if profile is None:
        return render(request, "matchmaking/preferences.html", {"profile": None})
    form = PreferencesForm(
        request.POST or None, instance=profile, discoverable=user_is_discoverable(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            buyer_preferences_save(
                user=request.user,
                profile=profile,
                ip_address=request.META.get("REMOTE_ADDR"),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error("hs_codes", error)
        else:
            messages.success(request, _("Your suggestions now follow these choices."))
            return redirect("matchmaking:preferences")
    return render(
        request,
        "matchmaking/preferences.html",
        {"profile": profile, "form": form, "fairs": fairs_to_browse(request)},
    )
