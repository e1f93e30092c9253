"""Which exhibitors of a fair receive a fair-wide request: the matchmaking rules (docs/matchmaking.md) with
the request as the buyer's wish (its HS code), scored against each live exhibitor's whole catalogue."""

from django.db.models import Prefetch

from exhibitors.models import Company, Product
from exhibitors.selectors.booths import booths_live
from fair.matchmaking.reasons import reason_text
from fair.matchmaking.scoring import BuyerFacts, ExhibitorFacts, ProductFacts, Reason, rank
from fair.matchmaking.selectors.facts import names_for_reasons

# Only reasons about the goods choose recipients; the extras never send a request on their own.
GOODS_REASONS = {"hs", "bridge"}


def _facts(company: Company) -> ExhibitorFacts:
    return ExhibitorFacts(
        key=company.pk,
        company_id=company.pk,
        name=company.legal_name,
        country=str(company.country),
        export_markets=frozenset(str(code) for code in company.export_markets),
        text=company.description,
        products=tuple(
            ProductFacts(
                id=product.pk,
                name=product.name,
                description=product.description,
                hs_code=product.hs_code or "",
                min_order=product.min_order_quantity,
                unit=product.unit,
            )
            for product in company.products.all()
        ),
        slug=company.slug,
    )


def matching_companies(*, request) -> list[tuple[int, list[dict]]]:
    """[(company id, reasons as JSON)] for the companies with a live booth at the request's fair whose
    catalogue sells the requested goods, best first; two queries."""
    companies = Company.objects.filter(
        pk__in=booths_live().filter(fair_id=request.fair_id).values("company_id")
    ).prefetch_related(Prefetch("products", queryset=Product.objects.order_by("pk")))
    buyer = BuyerFacts(country=str(request.buyer_country or ""), hs_codes=(request.hs_code,))
    found = []
    for match in rank(buyer, [_facts(company) for company in companies], signals=False):
        goods = [item for item in match.reasons if item.kind in GOODS_REASONS]
        if not goods:
            continue
        found.append(
            (match.key, [{"kind": item.kind, "params": dict(item.params)} for item in match.reasons])
        )
    return found


def reasons_text(reasons: list[dict], *, names: dict | None = None) -> list[str]:
    """Stored reasons as sentences in the active language, as the exhibitor reads them."""
    names = names if names is not None else names_for_reasons()
    texts = []
    for item in reasons or []:
        if not isinstance(item, dict) or not isinstance(item.get("params"), dict):
            continue
        reason = Reason(kind=item.get("kind", ""), params=tuple(item["params"].items()))
        try:
            text = reason_text(reason, audience="exhibitor", names=names)
        except (KeyError, TypeError):
            continue
        if text:
            texts.append(text)
    return texts
