"""Writes exhibitors.json: 120 invented exhibitors for the matchmaking labelled set, the same every run.

    .venv/bin/python tests/data/matchmaking/generate_exhibitors.py

Fixed seed (SEED); each exhibitor gets a country (and the language written there), one goods category (one
in five a second), two to four products of it named in that language with real HS 2022 subheadings, a
description saying what it sells, sectors, certifications, export markets and a size. The products
come from catalogue.json. A test checks that
the file is what this script writes.
"""

import json
import random
from pathlib import Path

SEED = 20261204
COUNT = 120
OUT = Path(__file__).with_name("exhibitors.json")

COUNTRIES = {
    "PE": "es",
    "CO": "es",
    "EC": "es",
    "BO": "es",
    "CL": "es",
    "MX": "es",
    "GT": "es",
    "AR": "es",
    "BR": "pt",
    "PT": "pt",
    "MZ": "pt",
    "SN": "fr",
    "CI": "fr",
    "CM": "fr",
    "MA": "fr",
    "GH": "en",
    "KE": "en",
    "VN": "en",
    "IN": "en",
    "ZA": "en",
}
MARKETS = ["DE", "FR", "ES", "US", "GB", "NL", "BE", "IT", "JP", "KR", "CA", "CN", "PT", "CH", "SE", "AE"]
CERTIFICATIONS = {
    "food": [
        "organic-eu",
        "usda-organic",
        "fairtrade",
        "rainforest-alliance",
        "globalgap",
        "haccp",
        "brcgs",
        "kosher",
    ],
    "textile": ["gots", "wfto", "iso-9001", "b-corp"],
    "craft": ["wfto", "fsc", "b-corp"],
    "industry": ["iso-9001", "iso-14001"],
}

# category -> sector, certification family and products (HS 2022 subheading, name in each language).
CATALOGUE = {
    name: (row["sector"], row["certifications"], [(p["hs_code"], p["names"]) for p in row["products"]])
    for name, row in json.loads(
        Path(__file__).with_name("catalogue.json").read_text(encoding="utf-8")
    ).items()
}

INTRO = {
    "es": "Somos una empresa exportadora. Ofrecemos {goods}.",
    "pt": "Somos uma empresa exportadora. Oferecemos {goods}.",
    "fr": "Nous sommes une entreprise exportatrice. Nous proposons {goods}.",
    "en": "We are an exporting company. We offer {goods}.",
}
NAMES = [
    "Andes",
    "Sol",
    "Pacífico",
    "Amazonia",
    "Sahel",
    "Atlântico",
    "Monte",
    "Valle",
    "Río",
    "Costa",
    "Savane",
    "Lago",
    "Sierra",
    "Aurora",
    "Selva",
    "Terra",
    "Horizon",
    "Delta",
    "Estrella",
    "Brisa",
]
SIZES = ["micro", "small", "small", "medium", "large"]


def generate() -> list[dict]:
    rng = random.Random(SEED)
    categories = sorted(CATALOGUE)
    exhibitors = []
    for number in range(COUNT):
        country = rng.choice(sorted(COUNTRIES))
        language = COUNTRIES[country]
        chosen = [categories[number % len(categories)]]
        if rng.random() < 0.2:
            chosen.append(rng.choice([c for c in categories if c != chosen[0]]))
        products = []
        sectors, families = set(), set()
        for category in chosen:
            sector, family, items = CATALOGUE[category]
            sectors.add(sector)
            families.add(family)
            for hs_code, names in rng.sample(items, k=min(len(items), rng.randint(1, 3))):
                product_certs = sorted(rng.sample(CERTIFICATIONS[family], k=rng.randint(0, 1)))
                products.append(
                    {
                        "name": names[language],
                        "description": "",
                        "hs_code": hs_code,
                        "min_order": rng.choice([20, 50, 100, 300, 500, 1000, 2000, 10000, 20000]),
                        "unit": "kg" if family == "food" else "unit",
                        "certifications": product_certs,
                    }
                )
        pool = sorted({cert for family in families for cert in CERTIFICATIONS[family]})
        exhibitors.append(
            {
                "key": 1000 + number,
                "name": f"{rng.choice(NAMES)} {rng.choice(NAMES)} {number:03d}",
                "country": country,
                "language": language,
                "categories": chosen,
                "sectors": sorted(sectors),
                "description": INTRO[language].format(goods=", ".join(p["name"].lower() for p in products)),
                "export_markets": sorted(rng.sample(MARKETS, k=rng.randint(0, 4))),
                "certifications": sorted(rng.sample(pool, k=rng.randint(0, 2))),
                "size": rng.choice(SIZES),
                "products": products,
            }
        )
    return exhibitors


def render() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=1) + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {COUNT} exhibitors to {OUT}")
