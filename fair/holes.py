"""The personal parts of the public pages, filled per request (exhibitors/holes.py explains holes).

- `nav`: the header's links; for a signed-in person, the unread badge (one query) and the sign-out form;
- `favourite` (kind "booth" or "product", id, label): a "Save" button with the person's saved state, one
  query for every button of the page;
- `booth_chat` (booth id, fair id, company id, company name): the booth's chat box: "Chat with us" and what
  goes with it, or, for the company's own people, a note; with `beacon` (booth id, company id), the booth
  view-counting pixel, left out for the company's own people. Both share one query per page.
"""

from types import SimpleNamespace

from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from exhibitors.enums import ConsentKind
from exhibitors.holes import hole_kind, render_small
from exhibitors.models import Company, Consent, Membership
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
_ID = 987654321987654321


@hole_kind("favourite")
def favourite_hole(request, items: list[tuple]) -> list[str]:
    user = request.user
    if not user.is_authenticated:
        return ["" for _item in items]
    booth_ids = [object_id for kind, object_id, _label in items if kind == "booth"]
    product_ids = [object_id for kind, object_id, _label in items if kind == "product"]
    saved = _saved(user.pk, booth_ids, product_ids)
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
    # The four addresses are reversed once, with a stand-in id, rather than twice per button.
    urls = {
        (kind, action): reverse(f"fair:favourite_{kind}_{action}", args=[_ID])
        for kind in ("booth", "product")
        for action in ("add", "remove")
    }
    return [
        forms[(kind, object_id) in saved]
        .replace(_ADD, urls[(kind, "add")].replace(str(_ID), str(int(object_id))))
        .replace(_REMOVE, urls[(kind, "remove")].replace(str(_ID), str(int(object_id))))
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
        for company_id, own, shared in _relations(user.pk, sorted(missing)):
            known[company_id] = SimpleNamespace(own=bool(own), shared=bool(shared))
    nobody = SimpleNamespace(own=False, shared=False)
    return {company_id: known.get(company_id, nobody) for company_id in company_ids}


# The holes' two queries are written out: they run on every page a signed-in person opens, where building
# them with the ORM cost more than running them. Same rows as the ORM's: Favourite by person; Membership;
# the newest contact-sharing Consent per company (exhibitors.selectors.privacy.contact_shared_expression).


def _in(values: list[int]) -> str:
    return ", ".join(["%s"] * len(values))


def _saved(user_id: int, booth_ids: list[int], product_ids: list[int]) -> set[tuple[str, int]]:
    conditions, params = [], [user_id]
    for column, ids in (("booth_id", booth_ids), ("product_id", product_ids)):
        if ids:
            conditions.append(f"{column} IN ({_in(ids)})")
            params += ids
    if not conditions:
        return set()
    sql = (
        f"SELECT booth_id, product_id FROM {Favourite._meta.db_table} "
        f"WHERE user_id = %s AND ({' OR '.join(conditions)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {("booth", booth) if booth else ("product", product) for booth, product in cursor.fetchall()}


def _relations(user_id: int, company_ids: list[int]) -> list[tuple]:
    """(company id, works for it, shares their card with it now) for each company."""
    sql = (
        f"SELECT c.id, EXISTS (SELECT 1 FROM {Membership._meta.db_table} m "
        "WHERE m.company_id = c.id AND m.user_id = %s), "
        f"(SELECT k.granted FROM {Consent._meta.db_table} k WHERE k.company_id = c.id AND k.user_id = %s "
        "AND k.kind = %s ORDER BY k.recorded_at DESC, k.id DESC LIMIT 1) "
        f"FROM {Company._meta.db_table} c WHERE c.id IN ({_in(company_ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_id, user_id, ConsentKind.CONTACT_SHARING, *company_ids])
        return cursor.fetchall()


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
