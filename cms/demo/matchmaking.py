"""The demo seed's matchmaking step: the demo buyer's profile says what matchmaking weighs (certifications,
origin countries, order size), and a few more importers describe what they buy; most agree to be found by
exhibitors, so the demo owner's "Recommended buyers" has rows, each with its reasons.

The importers have no password (nobody signs in as them). A second run finds everything and adds nothing.
"""

from django.db import transaction

from exhibitors.models import BuyerProfile
from fair.matchmaking.services.preferences import buyer_discoverable_set

DEMO_BUYER = {
    "target_certifications": ("organic-eu", "fairtrade"),
    "origin_countries": ("PE", "CO", "BO"),
    "order_size": "medium",
    "discoverable": True,
}

# (e-mail, first name, last name, language, time zone, profile, discoverable)
IMPORTERS = (
    (
        "chocolaterie@lumiere.example",
        "Claire",
        "Morel",
        "fr",
        "Europe/Paris",
        {
            "company_name": "Chocolaterie Lumière SARL",
            "country": "FR",
            "sectors": ("agrifood",),
            "hs_codes": ["1801", "1804"],
            "keywords": "fèves de cacao fin, beurre de cacao, chocolat de couverture",
            "looking_for": "Chocolatier à Lyon : fèves de cacao fin d'origine unique et beurre de cacao "
            "équitable, quelques tonnes par an.",
            "looking_for_language": "fr",
            "target_certifications": ("organic-eu", "fairtrade"),
            "origin_countries": ("PE", "EC", "CI"),
            "order_size": "small",
        },
        True,
    ),
    (
        "compras@sumoslisboa.example",
        "Rui",
        "Almeida",
        "pt",
        "Europe/Lisbon",
        {
            "company_name": "Sumos de Lisboa, Lda.",
            "country": "PT",
            "sectors": ("agrifood", "beverages"),
            "hs_codes": [],
            "keywords": "polpa de fruta congelada, açaí, maracujá",
            "looking_for": "Cadeia de bares de sumos: polpas tropicais congeladas e açaí para smoothies.",
            "looking_for_language": "pt",
            "target_certifications": (),
            "origin_countries": ("BR", "CO"),
            "order_size": "medium",
        },
        True,
    ),
    (
        "sourcing@kaffeehaus-nord.example",
        "Jonas",
        "Becker",
        "de",
        "Europe/Berlin",
        {
            "company_name": "Kaffeehaus Nord GmbH",
            "country": "DE",
            "sectors": ("agrifood",),
            "hs_codes": ["090111"],
            "keywords": "Rohkaffee, Spezialitätenkaffee, Geisha",
            "looking_for": "Rösterei in Hamburg: Rohkaffee direkt vom Erzeuger, 84+ Punkte SCA, Bio.",
            "looking_for_language": "de",
            "target_certifications": ("organic-eu",),
            "origin_countries": ("PE", "CO"),
            "order_size": "large",
        },
        True,
    ),
    (
        "buying@homeandhearth.example",
        "Megan",
        "Clarke",
        "en",
        "America/New_York",
        {
            "company_name": "Home & Hearth Stores Inc.",
            "country": "US",
            "sectors": ("handicrafts",),
            "hs_codes": ["6912", "6913"],
            "keywords": "hand-painted tableware, talavera, alpaca throws",
            "looking_for": "Home décor chain with 40 stores: hand-painted ceramics and alpaca throws.",
            "looking_for_language": "en",
            "target_certifications": ("wfto",),
            "origin_countries": ("MX", "PE"),
            "order_size": "medium",
        },
        True,
    ),
    (
        "import@tokyoselect.example",
        "Haruto",
        "Sato",
        "en",
        "Asia/Tokyo",
        {
            "company_name": "Tokyo Select Co., Ltd.",
            "country": "JP",
            "sectors": ("handicrafts",),
            "hs_codes": ["6504", "4602"],
            "keywords": "panama hats, straw baskets",
            "looking_for": "Select shop importing toquilla straw hats and woven baskets.",
            "looking_for_language": "en",
            "target_certifications": (),
            "origin_countries": ("EC",),
            "order_size": "small",
        },
        False,
    ),
)


def demo_matchmaking(seeder) -> None:
    """Fill the demo buyer's matchmaking fields and add the importers (each once)."""
    with transaction.atomic():
        profile = BuyerProfile.objects.get(user=seeder.people["buyer"])
        if not profile.origin_countries:
            _matchmaking_fields(seeder, profile, DEMO_BUYER)
            buyer_discoverable_set(user=profile.user, discoverable=DEMO_BUYER["discoverable"])
        for email, first_name, last_name, language, time_zone, fields, discoverable in IMPORTERS:
            user, created = seeder.user(
                email=email,
                password=None,
                first_name=first_name,
                last_name=last_name,
                preferred_language=language,
                time_zone=time_zone,
            )
            if not created:
                continue
            profile = BuyerProfile.objects.create(
                user=user,
                company_name=fields["company_name"],
                country=fields["country"],
                hs_codes=fields["hs_codes"],
                keywords=fields["keywords"],
                looking_for=fields["looking_for"],
                looking_for_language=fields["looking_for_language"],
            )
            profile.sectors.set([seeder.sectors[slug] for slug in fields["sectors"]])
            _matchmaking_fields(seeder, profile, fields)
            buyer_discoverable_set(user=user, discoverable=discoverable)
            seeder.report.count("buyer profiles")


def _matchmaking_fields(seeder, profile: BuyerProfile, fields: dict) -> None:
    profile.origin_countries = list(fields["origin_countries"])
    profile.order_size = fields["order_size"]
    profile.save(update_fields=["origin_countries", "order_size"])
    certifications = [seeder.certifications[slug] for slug in fields["target_certifications"]]
    profile.target_certifications.set(certifications)
