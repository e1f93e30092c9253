"""Suggestion quality on the labelled set of tests/data/matchmaking/ (labelling rules in its README)."""

import json
from pathlib import Path

from cms.demo.data import COMPANIES
from fair.matchmaking.scoring import BuyerFacts, ExhibitorFacts, ProductFacts, rank
from tests.data.matchmaking.categories import categories_of
from tests.data.matchmaking.generate_exhibitors import render

DATA = Path(__file__).parents[2] / "data" / "matchmaking"
PRECISION_AT_5_MIN = 0.6


def demo_exhibitors() -> list[dict]:
    found = []
    for number, company in enumerate(COMPANIES):
        found.append(
            {
                "key": number + 1,
                "name": company.legal_name,
                "country": company.country,
                "sectors": list(company.sectors),
                "description": " ".join((company.description, company.tagline, company.booth_text)),
                "export_markets": list(company.export_markets),
                "certifications": list(company.certifications),
                "size": company.size,
                "products": [
                    {
                        "name": product.name,
                        "description": product.description,
                        "hs_code": product.hs_code,
                        "min_order": product.min_order,
                        "unit": product.unit,
                        "certifications": list(product.certifications),
                    }
                    for product in company.products
                ],
            }
        )
    return found


def exhibitor_facts(rows: list[dict]) -> list[ExhibitorFacts]:
    facts = []
    product_id = 0
    for row in rows:
        products = []
        for product in row["products"]:
            product_id += 1
            products.append(
                ProductFacts(
                    id=product_id,
                    name=product["name"],
                    description=product["description"],
                    hs_code=product["hs_code"],
                    min_order=product["min_order"],
                    unit=product["unit"],
                    certifications=frozenset(product["certifications"]),
                )
            )
        facts.append(
            ExhibitorFacts(
                key=row["key"],
                company_id=row["key"],
                name=row["name"],
                country=row["country"],
                sectors=frozenset(row["sectors"]),
                export_markets=frozenset(row["export_markets"]),
                certifications=frozenset(row["certifications"]),
                size=row["size"],
                text=row["description"],
                products=tuple(products),
            )
        )
    return facts


def buyer_facts(row: dict) -> BuyerFacts:
    return BuyerFacts(
        key=row["key"],
        country=row["country"],
        sectors=frozenset(row["sectors"]),
        hs_codes=tuple(row["hs_codes"]),
        keywords=row["keywords"],
        looking_for=row["looking_for"],
        target_certifications=frozenset(row["target_certifications"]),
        origin_countries=frozenset(row["origin_countries"]),
        order_size=row["order_size"],
    )


def labels(buyer: dict, exhibitors: list[dict]) -> set[int]:
    """README rule 2: a booth should match when one of its products is in a category the buyer wants."""
    wanted = set(buyer["wants"])
    return {
        row["key"]
        for row in exhibitors
        if any(categories_of(product["hs_code"]) & wanted for product in row["products"])
    }


def test_generated_exhibitors_are_what_the_script_writes():
    assert (DATA / "exhibitors.json").read_text(encoding="utf-8") == render()


def test_labelled_set_is_big_enough():
    buyers = json.loads((DATA / "buyers.json").read_text(encoding="utf-8"))
    generated = json.loads((DATA / "exhibitors.json").read_text(encoding="utf-8"))
    assert len(buyers) >= 30
    assert len(generated) >= 100
    assert len({buyer["language"] for buyer in buyers}) >= 5
    every = demo_exhibitors() + generated
    assert all(labels(buyer, every) for buyer in buyers)


def test_precision_at_5_and_recall_at_10(capsys):
    buyers = json.loads((DATA / "buyers.json").read_text(encoding="utf-8"))
    rows = demo_exhibitors() + json.loads((DATA / "exhibitors.json").read_text(encoding="utf-8"))
    facts = exhibitor_facts(rows)
    precisions, recalls, lines = [], [], []
    for buyer in buyers:
        relevant = labels(buyer, rows)
        ranked = [match.key for match in rank(buyer_facts(buyer), facts)]
        hits_5 = len(set(ranked[:5]) & relevant)
        precision = hits_5 / min(5, len(relevant))
        recall = len(set(ranked[:10]) & relevant) / len(relevant)
        precisions.append(precision)
        recalls.append(recall)
        lines.append(f"buyer {buyer['key']:>2} ({buyer['language']}): P@5 {precision:.2f}  R@10 {recall:.2f}")
    precision_at_5 = sum(precisions) / len(precisions)
    recall_at_10 = sum(recalls) / len(recalls)
    with capsys.disabled():
        print("\n" + "\n".join(lines))
        print(
            f"matchmaking over {len(buyers)} buyers and {len(rows)} exhibitors: "
            f"precision@5 {precision_at_5:.3f}, recall@10 {recall_at_10:.3f}"
        )
    assert precision_at_5 >= PRECISION_AT_5_MIN
