"""The personal parts of the public pages, filled per request (exhibitors/holes.py explains holes).

- `nav`: the header's links; for a signed-in person, the unread badge (one query) and the sign-out form;
- `favourite` (kind "booth" or "product", id, label): a "Save" button with the person's saved state, one
  query for every button of the page;
- `booth_chat` (booth id, fair id, company id, company name): the booth's chat box: "Chat with us" and what
  goes with it, or, for the company's own people, a note; with `beacon` (booth id, company id), the booth
  view-counting pixel, left out for the company's own people. Both share one query per page.
"""

from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.html import escape

from exhibitors.holes import hole_kind, render_small
from exhibitors.models import Company, Membership
from exhibitors.selectors.privacy import contact_shared_expression
from fair.models import Favourite


@hole_kind("nav")
def nav_hole(request, items: list[tuple]) -> list[str]:
    from fair.chat.selectors.conversations import unread_total

    user = request.user
    unread = unread_total(user) if user.is_authenticated else 0
    html = render_small("holes/nav.html", request, {"chat_unread": unread})
    return [html for _item in items]


# Stand-ins in the Save form rendered once per page (letters only: they pass escaping unchanged).
_ADD, _REMOVE, _LABEL = "FERIAHOLEADDURL", "FERIAHOLEREMOVEURL", "FERIAHOLELABEL"


@hole_kind("favourite")
def favourite_hole(request, items: list[tuple]) -> list[str]:
    user = request.user
    if not user.is_authenticated:
        return ["" for _item in items]
    booth_ids = [object_id for kind, object_id, _label in items if kind == "booth"]
    product_ids = [object_id for kind, object_id, _label in items if kind == "product"]
    saved = set()
    for booth_id, product_id in (
        Favourite.objects.filter(user=user)
        .filter(Q(booth_id__in=booth_ids) | Q(product_id__in=product_ids))
        .values_list("booth_id", "product_id")
    ):
        saved.add(("booth", booth_id) if booth_id else ("product", product_id))
    # The form is rendered once per state with stand-ins, then each button gets its own addresses and label
    # (a directory page has one button per card).
    forms = {
        state: render_small(
            "fair/_favourite_form.html",
            request,
            {"add_url": _ADD, "remove_url": _REMOVE, "saved": state, "label": _LABEL},
        )
        for state in (True, False)
    }
    return [
        forms[(kind, object_id) in saved]
        .replace(_ADD, reverse(f"fair:favourite_{kind}_add", args=[object_id]))
        .replace(_REMOVE, reverse(f"fair:favourite_{kind}_remove", args=[object_id]))
        .replace(_LABEL, escape(label))
        for kind, object_id, label in items
    ]


def _company_relations(request, company_ids: set[int]) -> dict[int, SimpleNamespace]:
    """For each company: whether the person works for it and shares their card with it. One query, kept on
    the request for the page's other holes."""
    known = getattr(request, "_feria_company_relations", None)
    if known is None:
        known = request._feria_company_relations = {}
    missing = company_ids - known.keys()
    user = request.user
    if missing and user.is_authenticated:
        rows = (
            Company.objects.filter(pk__in=missing)
            .annotate(
                own=Exists(Membership.objects.filter(user=user, company=OuterRef("pk"))),
                shared=contact_shared_expression(user_ref=user.pk, company_ref=OuterRef("pk")),
            )
            .values_list("pk", "own", "shared")
        )
        for company_id, own, shared in rows:
            known[company_id] = SimpleNamespace(own=own, shared=shared)
    nobody = SimpleNamespace(own=False, shared=False)
    return {company_id: known.get(company_id, nobody) for company_id in company_ids}


@hole_kind("booth_chat")
def booth_chat_hole(request, items: list[tuple]) -> list[str]:
    relations = _company_relations(request, {company_id for _b, _f, company_id, _n in items})
    return [
        render_small(
            "holes/booth_chat.html",
            request,
            {
                "booth_id": booth_id,
                "booth": SimpleNamespace(pk=booth_id),
                "fair_id": fair_id,
                "company": SimpleNamespace(pk=company_id, legal_name=name),
                "own_company": relations[company_id].own,
                "card_shared": relations[company_id].shared,
            },
        )
        for booth_id, fair_id, company_id, name in items
    ]


@hole_kind("beacon")
def beacon_hole(request, items: list[tuple]) -> list[str]:
    relations = _company_relations(request, {company_id for _booth_id, company_id in items})
    return [
        ""
        if relations[company_id].own
        else (
            f'<img class="view-beacon" src="{reverse("results:booth_beacon", args=[booth_id])}" alt="" '
            'width="1" height="1">'
        )
        for booth_id, company_id in items
    ]
