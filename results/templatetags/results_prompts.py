"""`{% outcomes_prompt %}`: a notice on the dashboard while meetings wait for an outcome answer."""

from django import template

from results.selectors.outcomes import outcomes_waiting

register = template.Library()


@register.inclusion_tag("results/_outcomes_prompt.html", takes_context=True)
def outcomes_prompt(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    waiting = outcomes_waiting(user=user) if user is not None and user.is_authenticated else 0
    return {"waiting": waiting}
