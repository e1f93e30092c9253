"""Reasons in plain words, in the reader's language: the buyer reads why a booth is suggested to them, an
exhibitor why a buyer is (docs/matchmaking.md lists every sentence and when it shows)."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from exhibitors.hs import hs_lookup
from fair.matchmaking.scoring import Reason

# Only reply times up to this are worth saying.
REPLY_TIME_SHOWN_UP_TO_SECONDS = 24 * 3600


GOODS_TEXT_MAX = 60


def _goods(code: str) -> str:
    """ "HS 0901 (coffee, whether or not roasted or decaffeinated…)": the code and the start of its HS 2022
    text (in English, as the nomenclature is), cut at a word."""
    entry = hs_lookup(code)
    if entry is None:
        return f"HS {code}"
    text = entry.description.replace("; ", ": ")
    if len(text) > GOODS_TEXT_MAX:
        text = text[: GOODS_TEXT_MAX + 1].rsplit(" ", 1)[0].rstrip(" ,:;") + "…"
    return f"HS {code} ({text[:1].lower()}{text[1:]})"


def reason_text(item: Reason, *, audience: str, names: dict[str, str]) -> str:
    """One reason as a sentence; `audience` is "buyer" or "exhibitor"; `names` maps sector and
    certification slugs to their names."""
    kind = item.kind
    for_buyer = audience == "buyer"
    params = dict(item.params)
    if kind == "hs":
        goods = _goods(params["code"])
        if for_buyer:
            return _("sells %(goods)s, which you are looking for") % {"goods": goods}
        return _("looking for %(goods)s, which you sell") % {"goods": goods}
    if kind == "bridge":
        values = {"goods": _goods(params["code"]), "word": params["word"]}
        if for_buyer:
            return _("sells %(goods)s, matching “%(word)s” in your profile") % values
        return _("writes “%(word)s”, which matches your %(goods)s") % values
    if kind == "keyword":
        if for_buyer:
            return _("mentions “%(words)s”, which you are looking for") % {"words": params["word"]}
        return _("looking for “%(words)s”, which your catalogue mentions") % {"words": params["word"]}
    if kind == "similar":
        values = {"goods": _goods(params["code"]), "company": params["company"]}
        if params["how"] == "saved":
            return _("sells %(goods)s, like %(company)s, which you saved") % values
        return _("sells %(goods)s, like %(company)s, whom you wrote to") % values
    if kind == "sector":
        sector = names.get(params["slug"], params["slug"])
        if not for_buyer:
            return _("interested in %(sector)s") % {"sector": sector}
        if params.get("named"):
            return _("works in %(sector)s, which you mention") % {"sector": sector}
        return _("works in %(sector)s, one of your sectors") % {"sector": sector}
    if kind == "saved":
        return _("you saved this booth or one of its products")
    if kind == "chatted":
        return _("you are in conversation with them")
    if kind == "certification":
        name = names.get(params["slug"], params["slug"])
        if params.get("verified"):
            if for_buyer:
                return _("certified %(certification)s, as you asked (verified by the chamber)") % {
                    "certification": name
                }
            return _("asks for %(certification)s, which you hold (verified by the chamber)") % {
                "certification": name
            }
        if for_buyer:
            return _("certified %(certification)s, as you asked") % {"certification": name}
        return _("asks for %(certification)s, which you hold") % {"certification": name}
    if kind == "exports_to":
        country = countries.name(params["country"]) or params["country"]
        if for_buyer:
            return _("already exports to %(country)s") % {"country": country}
        return _("based in %(country)s, where you already export") % {"country": country}
    if kind == "origin":
        country = countries.name(params["country"]) or params["country"]
        if for_buyer:
            return _("based in %(country)s, a country you buy from") % {"country": country}
        return _("buys from %(country)s, where you are based") % {"country": country}
    if kind == "order_small":
        if for_buyer:
            return _("sells in small lots (minimum order from %(quantity)s %(unit)s)") % {
                "quantity": params["quantity"],
                "unit": params["unit"],
            }
        return _("orders small lots, which your minimum orders allow")
    if kind == "order_large":
        if for_buyer:
            return _("able to supply full containers")
        return _("orders full containers")
    if kind == "replies":
        count = params["count"]
        if params["unit"] == "minutes":
            return ngettext(
                "usually replies within %(count)s minute", "usually replies within %(count)s minutes", count
            ) % {"count": count}
        return ngettext(
            "usually replies within %(count)s hour", "usually replies within %(count)s hours", count
        ) % {"count": count}
    return ""
