"""The demo's texts in other languages: the coffee exporter in English and Spanish (and partly Portuguese and
French), a few other exhibitors partly translated, and the names of sectors, halls and packages in every
language. Booths left in their original language show the "shown in Spanish" note to other readers.

Translations are written only where an object has none yet, so a second run changes nothing.
"""

from cms.demo import data
from exhibitors.models import Booth, Company, Product, Sector
from fair.models import BoothPackage, Hall

SECTOR_NAMES = {
    "agrifood": {"es": "Agroalimentario", "fr": "Agroalimentaire", "pt": "Agroalimentar"},
    "beverages": {"es": "Bebidas", "fr": "Boissons", "pt": "Bebidas"},
    "textiles": {"es": "Textil y confección", "fr": "Textile et habillement", "pt": "Têxtil e vestuário"},
    "handicrafts": {"es": "Artesanía y diseño", "fr": "Artisanat et design", "pt": "Artesanato e design"},
    "industrial-tech": {
        "es": "Industria y tecnología",
        "fr": "Industrie et technologie",
        "pt": "Indústria e tecnologia",
    },
    "natural-ingredients": {
        "es": "Ingredientes naturales y cosmética",
        "fr": "Ingrédients naturels et cosmétique",
        "pt": "Ingredientes naturais e cosmética",
    },
}

# By the English name the demo gives each hall and package.
HALL_NAMES = {
    "Agrifood & beverages": {
        "es": "Agroalimentos y bebidas",
        "fr": "Agroalimentaire et boissons",
        "pt": "Agroalimentos e bebidas",
    },
    "Textiles & alpaca": {"es": "Textiles y alpaca", "fr": "Textiles et alpaga", "pt": "Têxteis e alpaca"},
    "Handicrafts & design": {
        "es": "Artesanía y diseño",
        "fr": "Artisanat et design",
        "pt": "Artesanato e design",
    },
    "Industry & technology": {
        "es": "Industria y tecnología",
        "fr": "Industrie et technologie",
        "pt": "Indústria e tecnologia",
    },
}
PACKAGE_NAMES = {
    "Basic": {"es": "Básico", "fr": "Essentiel", "pt": "Básico"},
    "Standard": {"es": "Estándar", "fr": "Standard", "pt": "Padrão"},
    "Premium": {"es": "Premium", "fr": "Premium", "pt": "Premium"},
}

# company slug -> its description in other languages
COMPANY_DESCRIPTIONS = {
    "cafetalera-selva-alta": {
        "en": (
            "We bring together 380 coffee-growing families from Jaén and San Ignacio, between 1,400 and "
            "2,000 metres above sea level. We collect, cup and export washed Arabica coffee of the Typica, "
            "Caturra and Geisha varieties, traceable lot by lot, and pay premiums to the growers."
        ),
        "pt": (
            "Reunimos 380 famílias cafeicultoras de Jaén e San Ignacio, entre 1.400 e 2.000 metros de "
            "altitude. Recolhemos, provamos e exportamos café arábica lavado das variedades Typica, "
            "Caturra e Geisha, com rastreabilidade por lote e prémios pagos aos produtores."
        ),
    },
    "baobab-sahel": {
        "en": "Baobab, hibiscus and fonio from Senegal, processed and packed in Thiès by a women-led team.",
    },
}

# company slug -> its booth's (tagline, text) in other languages
BOOTH_TEXTS = {
    "cafetalera-selva-alta": {
        "en": (
            "High-altitude coffee from Jaén, traceable lot by lot",
            "Pre-shipment samples within 10 days. Cup profiles from 84 to 88 SCA points. We serve specialty "
            "roasters in Europe, North America and Asia.",
        ),
        "fr": (
            "Café d'altitude de Jaén, traçable lot par lot",
            "Échantillons avant expédition sous 10 jours. Profils en tasse de 84 à 88 points SCA. Nous "
            "servons les torréfacteurs de spécialité en Europe, en Amérique du Nord et en Asie.",
        ),
    },
    "acai-da-floresta": {
        "en": ("Frozen açaí and Amazon superfruits", ""),
        "es": ("Açaí congelado y superfrutas de la Amazonía", ""),
    },
}

# company slug -> {original product name -> {language: (name, description)}}
PRODUCT_TEXTS = {
    "cafetalera-selva-alta": {
        "Café verde lavado Typica": {
            "en": (
                "Washed green coffee, Typica",
                "Washed Arabica, 84+ SCA, 69 kg bags with GrainPro liners.",
            ),
            "pt": ("Café verde lavado Typica", "Arábica lavado, 84+ SCA, sacas de 69 kg com GrainPro."),
        },
        "Café verde Geisha microlote": {
            "en": (
                "Geisha green coffee micro-lot",
                "Micro-lots of 15 to 30 bags, 87+ SCA, floral and citrus notes.",
            ),
        },
        "Café tostado en grano": {
            "en": ("Roasted whole-bean coffee", "Medium roast at origin, 1 kg bags with a degassing valve."),
        },
        "Café liofilizado": {
            "en": (
                "Freeze-dried instant coffee",
                "Freeze-dried soluble coffee made from the cooperative's beans.",
            ),
            "pt": ("Café solúvel liofilizado", "Café solúvel liofilizado feito com cafés da cooperativa."),
        },
        "Café verde descafeinado": {
            "en": ("Decaffeinated green coffee", "Decaffeinated by the water process, 69 kg bags."),
        },
    },
    "kallpa-cacao-peru": {
        "Manteca de cacao": {
            "en": ("Cocoa butter", "Natural, non-deodorised butter in 25 kg boxes."),
        },
    },
    "baobab-sahel": {
        "Poudre de pulpe de baobab": {
            "en": ("Baobab fruit powder", "Organic, 25 kg bags, sieved to 500 µm."),
        },
    },
}


def _fill(obj, translations: dict) -> bool:
    if obj.translations:
        return False
    obj.translations = translations
    obj.save(update_fields=["translations"])
    return True


def translations_seed(report) -> None:
    """Write the demo's translations where missing (rows Sector, Hall, BoothPackage, Company, Booth,
    Product)."""
    written = 0
    for sector in Sector.objects.filter(slug__in=SECTOR_NAMES):
        written += _fill(sector, {code: {"name": name} for code, name in SECTOR_NAMES[sector.slug].items()})
    for model, names in ((Hall, HALL_NAMES), (BoothPackage, PACKAGE_NAMES)):
        for item in model.objects.filter(
            name__in=names, fair__slug__in=[data.LIVE_FAIR.slug, data.UPCOMING_FAIR.slug]
        ):
            written += _fill(item, {code: {"name": name} for code, name in names[item.name].items()})
    for company in Company.objects.filter(slug__in=COMPANY_DESCRIPTIONS):
        texts = COMPANY_DESCRIPTIONS[company.slug]
        written += _fill(company, {code: {"description": text} for code, text in texts.items()})
    for booth in Booth.objects.filter(company__slug__in=BOOTH_TEXTS).select_related("company"):
        texts = BOOTH_TEXTS[booth.company.slug]
        written += _fill(
            booth,
            {
                code: {name: text for name, text in (("tagline", tagline), ("description", body)) if text}
                for code, (tagline, body) in texts.items()
            },
        )
    for product in Product.objects.filter(company__slug__in=PRODUCT_TEXTS).select_related("company"):
        texts = PRODUCT_TEXTS[product.company.slug].get(product.name)
        if texts:
            written += _fill(
                product,
                {code: {"name": name, "description": body} for code, (name, body) in texts.items()},
            )
    if written:
        report.count("translated texts", written)
