"""Writes exhibitors.json: 120 invented exhibitors for the matchmaking labelled set, the same every run.

    .venv/bin/python tests/data/matchmaking/generate_exhibitors.py

Fixed seed (SEED); each exhibitor gets a country (and the language written there), one goods category (one
in five a second), two to four products of it named in that language with real HS 2022 subheadings, a
description saying what it sells, sectors, certifications, export markets and a size. A test checks that
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

# category -> (sector, certification family, products: (HS subheading, {language: name}))
CATALOGUE = {
    "coffee": (
        "agrifood",
        "food",
        [
            (
                "090111",
                {
                    "es": "Café verde arábica lavado",
                    "pt": "Café verde arábica",
                    "fr": "Café vert arabica",
                    "en": "Green arabica coffee",
                },
            ),
            (
                "090121",
                {
                    "es": "Café tostado en grano",
                    "pt": "Café torrado em grão",
                    "fr": "Café torréfié en grains",
                    "en": "Roasted coffee beans",
                },
            ),
            (
                "210111",
                {
                    "es": "Café soluble liofilizado",
                    "pt": "Café solúvel liofilizado",
                    "fr": "Café soluble lyophilisé",
                    "en": "Freeze-dried instant coffee",
                },
            ),
        ],
    ),
    "cocoa": (
        "agrifood",
        "food",
        [
            (
                "180100",
                {
                    "es": "Cacao en grano fermentado",
                    "pt": "Cacau em amêndoa",
                    "fr": "Fèves de cacao fermentées",
                    "en": "Fermented cocoa beans",
                },
            ),
            (
                "180400",
                {
                    "es": "Manteca de cacao",
                    "pt": "Manteiga de cacau",
                    "fr": "Beurre de cacao",
                    "en": "Cocoa butter",
                },
            ),
            (
                "180632",
                {
                    "es": "Chocolate en barras 70 %",
                    "pt": "Chocolate em barra 70 %",
                    "fr": "Chocolat en tablettes 70 %",
                    "en": "70 % chocolate bars",
                },
            ),
        ],
    ),
    "andean-grains": (
        "agrifood",
        "food",
        [
            (
                "100850",
                {
                    "es": "Quinua blanca lavada",
                    "pt": "Quinoa branca",
                    "fr": "Quinoa blanc lavé",
                    "en": "Washed white quinoa",
                },
            ),
            (
                "100890",
                {
                    "es": "Kiwicha (amaranto) en grano",
                    "pt": "Amaranto em grão",
                    "fr": "Amarante en grains",
                    "en": "Amaranth grain",
                },
            ),
            (
                "120799",
                {
                    "es": "Semillas de chía",
                    "pt": "Sementes de chia",
                    "fr": "Graines de chia",
                    "en": "Chia seeds",
                },
            ),
            (
                "110290",
                {
                    "es": "Harina de quinua",
                    "pt": "Farinha de quinoa",
                    "fr": "Farine de quinoa",
                    "en": "Quinoa flour",
                },
            ),
        ],
    ),
    "nuts": (
        "agrifood",
        "food",
        [
            (
                "080122",
                {
                    "es": "Castaña amazónica pelada",
                    "pt": "Castanha-do-pará descascada",
                    "fr": "Noix du Brésil décortiquées",
                    "en": "Shelled Brazil nuts",
                },
            ),
            (
                "080132",
                {
                    "es": "Nuez de marañón pelada",
                    "pt": "Castanha de caju",
                    "fr": "Noix de cajou décortiquées",
                    "en": "Cashew kernels",
                },
            ),
            (
                "080212",
                {
                    "es": "Almendras peladas",
                    "pt": "Amêndoas descascadas",
                    "fr": "Amandes décortiquées",
                    "en": "Shelled almonds",
                },
            ),
        ],
    ),
    "fresh-fruit": (
        "agrifood",
        "food",
        [
            ("080440", {"es": "Palta Hass", "pt": "Abacate Hass", "fr": "Avocat Hass", "en": "Hass avocado"}),
            ("080450", {"es": "Mango Kent", "pt": "Manga Palmer", "fr": "Mangue Kent", "en": "Kent mango"}),
            (
                "081040",
                {
                    "es": "Arándanos frescos",
                    "pt": "Mirtilos frescos",
                    "fr": "Myrtilles fraîches",
                    "en": "Fresh blueberries",
                },
            ),
            (
                "080610",
                {
                    "es": "Uva de mesa Red Globe",
                    "pt": "Uva de mesa",
                    "fr": "Raisin de table",
                    "en": "Table grapes",
                },
            ),
        ],
    ),
    "vegetables": (
        "agrifood",
        "food",
        [
            (
                "070920",
                {
                    "es": "Espárrago verde",
                    "pt": "Espargos verdes",
                    "fr": "Asperges vertes",
                    "en": "Green asparagus",
                },
            ),
            (
                "070960",
                {
                    "es": "Ají amarillo fresco",
                    "pt": "Pimenta fresca",
                    "fr": "Piments frais",
                    "en": "Fresh chilli peppers",
                },
            ),
        ],
    ),
    "fruit-pulp-juice": (
        "agrifood",
        "food",
        [
            (
                "081190",
                {
                    "es": "Pulpa de maracuyá congelada",
                    "pt": "Polpa de maracujá congelada",
                    "fr": "Pulpe de fruit de la passion surgelée",
                    "en": "Frozen passion fruit pulp",
                },
            ),
            (
                "200989",
                {
                    "es": "Jugo de guanábana",
                    "pt": "Suco de graviola",
                    "fr": "Jus de corossol",
                    "en": "Soursop juice",
                },
            ),
            (
                "200899",
                {
                    "es": "Açaí liofilizado en polvo",
                    "pt": "Açaí em pó liofilizado",
                    "fr": "Poudre d'açaï lyophilisée",
                    "en": "Freeze-dried açaí powder",
                },
            ),
        ],
    ),
    "wine": (
        "beverages",
        "food",
        [
            (
                "220421",
                {
                    "es": "Vino tinto Carménère",
                    "pt": "Vinho tinto do Alentejo",
                    "fr": "Vin rouge",
                    "en": "Red wine",
                },
            ),
            (
                "220429",
                {"es": "Vino a granel", "pt": "Vinho a granel", "fr": "Vin en vrac", "en": "Bulk wine"},
            ),
        ],
    ),
    "spirits": (
        "beverages",
        "food",
        [
            (
                "220890",
                {
                    "es": "Mezcal artesanal",
                    "pt": "Cachaça artesanal",
                    "fr": "Rhum agricole",
                    "en": "Craft spirit",
                },
            ),
            (
                "220820",
                {
                    "es": "Pisco quebranta",
                    "pt": "Aguardente vínica",
                    "fr": "Eau-de-vie de vin",
                    "en": "Grape brandy",
                },
            ),
        ],
    ),
    "flowers": (
        "agrifood",
        "food",
        [
            (
                "060311",
                {
                    "es": "Rosas de tallo largo",
                    "pt": "Rosas de haste longa",
                    "fr": "Roses à longue tige",
                    "en": "Long-stem roses",
                },
            ),
            (
                "060319",
                {
                    "es": "Gypsophila y flores de verano",
                    "pt": "Gipsófila",
                    "fr": "Gypsophile",
                    "en": "Gypsophila",
                },
            ),
        ],
    ),
    "alpaca-wool": (
        "textiles",
        "textile",
        [
            (
                "510820",
                {
                    "es": "Hilado peinado de alpaca",
                    "pt": "Fio penteado de alpaca",
                    "fr": "Fil peigné d'alpaga",
                    "en": "Combed alpaca yarn",
                },
            ),
            (
                "510510",
                {
                    "es": "Fibra de alpaca cardada",
                    "pt": "Fibra de alpaca cardada",
                    "fr": "Fibre d'alpaga cardée",
                    "en": "Carded alpaca fibre",
                },
            ),
        ],
    ),
    "apparel": (
        "textiles",
        "textile",
        [
            (
                "610910",
                {
                    "es": "Camiseta de algodón orgánico",
                    "pt": "Camiseta de algodão orgânico",
                    "fr": "T-shirt en coton bio",
                    "en": "Organic cotton T-shirt",
                },
            ),
            (
                "611020",
                {
                    "es": "Suéter de algodón",
                    "pt": "Camisola de algodão",
                    "fr": "Pull en coton",
                    "en": "Cotton sweater",
                },
            ),
            (
                "620442",
                {
                    "es": "Vestido de algodón",
                    "pt": "Vestido de algodão",
                    "fr": "Robe en coton",
                    "en": "Cotton dress",
                },
            ),
            (
                "611011",
                {
                    "es": "Chompa de alpaca",
                    "pt": "Camisola de alpaca",
                    "fr": "Pull en alpaga",
                    "en": "Alpaca sweater",
                },
            ),
        ],
    ),
    "ceramics": (
        "handicrafts",
        "craft",
        [
            (
                "691200",
                {
                    "es": "Vajilla de cerámica pintada a mano",
                    "pt": "Louça de cerâmica pintada à mão",
                    "fr": "Vaisselle en céramique peinte",
                    "en": "Hand-painted ceramic tableware",
                },
            ),
            (
                "690721",
                {
                    "es": "Azulejos artesanales",
                    "pt": "Azulejos artesanais",
                    "fr": "Carreaux artisanaux",
                    "en": "Handmade tiles",
                },
            ),
            (
                "691390",
                {
                    "es": "Jarrones de cerámica",
                    "pt": "Jarras de cerâmica",
                    "fr": "Vases en céramique",
                    "en": "Ceramic vases",
                },
            ),
        ],
    ),
    "jewellery": (
        "handicrafts",
        "craft",
        [
            (
                "711311",
                {
                    "es": "Aretes de plata 950",
                    "pt": "Brincos de prata",
                    "fr": "Boucles d'oreilles en argent",
                    "en": "Silver earrings",
                },
            ),
            (
                "711719",
                {
                    "es": "Bisutería de fantasía",
                    "pt": "Bijuteria",
                    "fr": "Bijoux fantaisie",
                    "en": "Costume jewellery",
                },
            ),
            (
                "960200",
                {
                    "es": "Collares de tagua",
                    "pt": "Colares de jarina",
                    "fr": "Colliers en ivoire végétal",
                    "en": "Tagua nut necklaces",
                },
            ),
        ],
    ),
    "straw-basketry": (
        "handicrafts",
        "craft",
        [
            (
                "460219",
                {
                    "es": "Canastas de paja tejida",
                    "pt": "Cestos de palha",
                    "fr": "Paniers en paille tressée",
                    "en": "Woven straw baskets",
                },
            ),
            (
                "650400",
                {
                    "es": "Sombreros de paja toquilla",
                    "pt": "Chapéus de palha",
                    "fr": "Chapeaux de paille",
                    "en": "Straw hats",
                },
            ),
        ],
    ),
    "cork": (
        "handicrafts",
        "craft",
        [
            (
                "450310",
                {
                    "es": "Tapones de corcho natural",
                    "pt": "Rolhas de cortiça natural",
                    "fr": "Bouchons en liège naturel",
                    "en": "Natural cork stoppers",
                },
            ),
            (
                "450410",
                {
                    "es": "Planchas de corcho aglomerado",
                    "pt": "Placas de cortiça aglomerada",
                    "fr": "Plaques de liège aggloméré",
                    "en": "Agglomerated cork boards",
                },
            ),
        ],
    ),
    "solar": (
        "industrial-tech",
        "industry",
        [
            (
                "854143",
                {
                    "es": "Módulo fotovoltaico bifacial",
                    "pt": "Módulo fotovoltaico",
                    "fr": "Module photovoltaïque",
                    "en": "Bifacial PV module",
                },
            ),
            (
                "850440",
                {
                    "es": "Inversor híbrido",
                    "pt": "Inversor híbrido",
                    "fr": "Onduleur hybride",
                    "en": "Hybrid inverter",
                },
            ),
        ],
    ),
    "farm-machinery": (
        "industrial-tech",
        "industry",
        [
            (
                "842441",
                {
                    "es": "Aspersora de mochila",
                    "pt": "Pulverizador costal",
                    "fr": "Pulvérisateur à dos",
                    "en": "Knapsack sprayer",
                },
            ),
            (
                "843231",
                {
                    "es": "Sembradora de precisión",
                    "pt": "Semeadora de precisão",
                    "fr": "Semoir de précision",
                    "en": "Precision seeder",
                },
            ),
            (
                "841939",
                {
                    "es": "Secadora de granos",
                    "pt": "Secador de grãos",
                    "fr": "Séchoir à grains",
                    "en": "Grain dryer",
                },
            ),
        ],
    ),
    "cosmetic-ingredients": (
        "natural-ingredients",
        "food",
        [
            (
                "151590",
                {
                    "es": "Aceite de sacha inchi",
                    "pt": "Óleo de pracaxi",
                    "fr": "Beurre de karité brut",
                    "en": "Cold-pressed sacha inchi oil",
                },
            ),
            (
                "330129",
                {
                    "es": "Aceites esenciales",
                    "pt": "Óleos essenciais",
                    "fr": "Huiles essentielles",
                    "en": "Essential oils",
                },
            ),
            (
                "330499",
                {
                    "es": "Base de crema hidratante",
                    "pt": "Base de creme hidratante",
                    "fr": "Base de crème hydratante",
                    "en": "Moisturising cream base",
                },
            ),
        ],
    ),
    "botanicals": (
        "natural-ingredients",
        "food",
        [
            (
                "110620",
                {"es": "Maca en polvo", "pt": "Maca em pó", "fr": "Poudre de maca", "en": "Maca powder"},
            ),
            (
                "121190",
                {
                    "es": "Flor de hibisco seca",
                    "pt": "Hibisco seco",
                    "fr": "Fleurs d'hibiscus séchées (bissap)",
                    "en": "Dried hibiscus flowers",
                },
            ),
            (
                "110630",
                {
                    "es": "Polvo de baobab",
                    "pt": "Pó de baobá",
                    "fr": "Poudre de baobab",
                    "en": "Baobab powder",
                },
            ),
        ],
    ),
    "spices": (
        "agrifood",
        "food",
        [
            (
                "090421",
                {"es": "Ají panca seco", "pt": "Pimenta seca", "fr": "Piment séché", "en": "Dried chilli"},
            ),
            (
                "091030",
                {
                    "es": "Cúrcuma en polvo",
                    "pt": "Cúrcuma em pó",
                    "fr": "Curcuma en poudre",
                    "en": "Turmeric powder",
                },
            ),
            (
                "090510",
                {
                    "es": "Vainilla en vainas",
                    "pt": "Baunilha em vagens",
                    "fr": "Gousses de vanille",
                    "en": "Vanilla beans",
                },
            ),
        ],
    ),
    "honey": (
        "agrifood",
        "food",
        [
            (
                "040900",
                {
                    "es": "Miel de abeja multifloral",
                    "pt": "Mel multifloral",
                    "fr": "Miel toutes fleurs",
                    "en": "Wildflower honey",
                },
            ),
        ],
    ),
    "tea": (
        "agrifood",
        "food",
        [
            ("090230", {"es": "Té negro", "pt": "Chá preto", "fr": "Thé noir", "en": "Black tea"}),
            ("090210", {"es": "Té verde", "pt": "Chá verde", "fr": "Thé vert", "en": "Green tea"}),
        ],
    ),
    "seafood": (
        "agrifood",
        "food",
        [
            (
                "030617",
                {
                    "es": "Langostino congelado",
                    "pt": "Camarão congelado",
                    "fr": "Crevettes surgelées",
                    "en": "Frozen shrimp",
                },
            ),
            (
                "160414",
                {
                    "es": "Atún en conserva",
                    "pt": "Atum em conserva",
                    "fr": "Thon en conserve",
                    "en": "Canned tuna",
                },
            ),
        ],
    ),
    "leather-goods": (
        "handicrafts",
        "craft",
        [
            (
                "420221",
                {
                    "es": "Bolsos de cuero",
                    "pt": "Bolsas de couro",
                    "fr": "Sacs à main en cuir",
                    "en": "Leather handbags",
                },
            ),
            (
                "420231",
                {
                    "es": "Billeteras de cuero",
                    "pt": "Carteiras de couro",
                    "fr": "Portefeuilles en cuir",
                    "en": "Leather wallets",
                },
            ),
        ],
    ),
    "furniture": (
        "handicrafts",
        "craft",
        [
            (
                "940360",
                {
                    "es": "Muebles de madera maciza",
                    "pt": "Móveis de madeira maciça",
                    "fr": "Meubles en bois massif",
                    "en": "Solid wood furniture",
                },
            ),
            (
                "940161",
                {
                    "es": "Sillas tapizadas",
                    "pt": "Cadeiras estofadas",
                    "fr": "Chaises rembourrées",
                    "en": "Upholstered chairs",
                },
            ),
        ],
    ),
    "handwoven-textiles": (
        "handicrafts",
        "craft",
        [
            (
                "580500",
                {
                    "es": "Tapices tejidos a mano",
                    "pt": "Tapeçarias tecidas à mão",
                    "fr": "Tapisseries tissées main",
                    "en": "Hand-woven tapestries",
                },
            ),
            (
                "570110",
                {
                    "es": "Alfombras de lana anudadas",
                    "pt": "Tapetes de lã",
                    "fr": "Tapis en laine noués",
                    "en": "Hand-knotted wool rugs",
                },
            ),
        ],
    ),
    "wood-crafts": (
        "handicrafts",
        "craft",
        [
            (
                "441999",
                {
                    "es": "Utensilios de cocina de madera",
                    "pt": "Utensílios de cozinha em madeira",
                    "fr": "Ustensiles de cuisine en bois",
                    "en": "Wooden kitchen utensils",
                },
            ),
            (
                "442090",
                {
                    "es": "Cajas talladas en madera",
                    "pt": "Caixas de madeira entalhada",
                    "fr": "Boîtes en bois sculpté",
                    "en": "Carved wooden boxes",
                },
            ),
        ],
    ),
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
