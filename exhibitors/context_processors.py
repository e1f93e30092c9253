from exhibitors.selectors.lite import lite_state


def lite_mode(request):
    """`lite`: the visitor's lite-mode state (exhibitors.selectors.lite.LiteState)."""
    return {"lite": lite_state(request)}
