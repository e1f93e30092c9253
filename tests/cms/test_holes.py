"""Holes (exhibitors/holes.py): markers carry their arguments, are filled kind by kind, and a marker this code
did not write is dropped rather than breaking the page."""

from django.test import RequestFactory

from exhibitors.holes import MARKER_START, fill_holes, hole_kind, hole_marker

calls = []


@hole_kind("test_echo")
def echo_hole(request, items):
    calls.append(list(items))
    return [f"<b>{'-'.join(str(arg) for arg in item)}</b>" for item in items]


def test_markers_are_filled_once_per_kind_with_every_item():
    calls.clear()
    first, second = hole_marker("test_echo", 1, "a"), hole_marker("test_echo", 2, "b")
    html = f"<p>{first}{second}{first}</p>"

    filled = fill_holes(RequestFactory().get("/"), html)

    assert filled == "<p><b>1-a</b><b>2-b</b><b>1-a</b></p>"
    assert calls == [[(1, "a"), (2, "b")]]  # one call for the kind, each distinct item once


def test_labels_travel_as_text_whatever_they_hold():
    html = str(hole_marker("test_echo", 'Café "Inca" --> <Ltd>'))
    assert "-->" not in html.removesuffix("-->")
    assert fill_holes(RequestFactory().get("/"), html) == '<b>Café "Inca" --> <Ltd></b>'


def test_markers_this_code_did_not_write_are_dropped():
    html = "<p><!--feria-hole:unknown:W10=--><!--feria-hole:test_echo:not-json--></p>"

    assert fill_holes(RequestFactory().get("/"), html) == "<p></p>"
    assert MARKER_START.decode() not in fill_holes(RequestFactory().get("/"), html)
