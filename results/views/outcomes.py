"""The outcome survey's pages: the person's meetings to tell about, and the answer form (changeable)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from exhibitors.integers import parse_int
from results.forms import OutcomeForm
from results.selectors.outcomes import outcomes_for_user
from results.services.outcomes import outcome_answer


@login_required
@require_GET
def outcome_list(request):
    return render(
        request, "results/outcome_list.html", {"outcomes": list(outcomes_for_user(user=request.user))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_answer_view(request, outcome_id: int):
    outcome_id = parse_int(str(outcome_id), minimum=1)
    outcome = outcomes_for_user(user=request.user).filter(pk=outcome_id).first() if outcome_id else None
    if outcome is None:
        raise Http404
    initial = {
        "result": outcome.result or None,
        "value_amount": outcome.value_amount,
        "value_currency": outcome.value_currency,
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            outcome_answer(outcome=outcome, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your answer is saved."))
            return redirect("results:outcomes")
    return render(request, "results/outcome_form.html", {"outcome": outcome, "form": form})
