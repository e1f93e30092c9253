"""A large, deterministic exhibitor catalogue for the search benchmark (bench/search.py).

`catalogue_plan()` draws companies and products from a fixed vocabulary (Spanish and English names and
descriptions, real HS 2022 subheadings, countries and certifications) with a fixed random seed: the same
arguments always give the same rows. `catalogue_generate()` writes them on top of seed_demo's database (or any
database with a fair): companies, products, live booths in the fair (approved applications), the products
each booth shows, certifications, then the search index, all in bulk. The default is 100,000 products over
5,000 exhibitors. Generated companies have slugs starting with CATALOGUE_SLUG_PREFIX, so
`catalogue_clear()` can remove them.

The search index is filled with the backend's own add_items (backend.add_bulk), a batch of objects at a time,
so the index rows are exactly those Wagtail's update_index would write, without its one query per batch of
related objects.
"""

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

CATALOGUE_SLUG_PREFIX = "cat-"
DEFAULT_SEED = 2026
DEFAULT_PRODUCTS = 100_000
DEFAULT_EXHIBITORS = 5_000
BATCH = 2_000

# (English name, Spanish name, Spanish gender, HS 2022 subheadings, sector slug, unit)
GOODS: tuple[tuple[str, str, str, tuple[str, ...], str, str], ...] = (
    ("coffee", "café", "m", ("090111", "090121", "090112"), "agrifood", "kg"),
    ("cocoa beans", "cacao en grano", "m", ("180100",), "agrifood", "kg"),
    ("chocolate", "chocolate", "m", ("180631", "180632", "180690"), "agrifood", "kg"),
    ("quinoa", "quinua", "f", ("100850",), "agrifood", "kg"),
    ("avocados", "paltas", "f", ("080440",), "agrifood", "box"),
    ("mangoes", "mangos", "m", ("080450",), "agrifood", "box"),
    ("blueberries", "arándanos", "m", ("081040",), "agrifood", "box"),
    ("table grapes", "uvas de mesa", "f", ("080610",), "agrifood", "box"),
    ("asparagus", "espárragos", "m", ("070920",), "agrifood", "box"),
    ("bananas", "bananos", "m", ("080390",), "agrifood", "box"),
    ("cashew nuts", "anacardos", "m", ("080132",), "agrifood", "kg"),
    ("brazil nuts", "castañas amazónicas", "f", ("080122",), "agrifood", "kg"),
    ("maca powder", "harina de maca", "f", ("110620",), "natural-ingredients", "kg"),
    ("chia seeds", "semillas de chía", "f", ("120799",), "agrifood", "kg"),
    ("olive oil", "aceite de oliva", "m", ("150920",), "agrifood", "litre"),
    ("honey", "miel", "f", ("040900",), "agrifood", "kg"),
    ("wine", "vino", "m", ("220421",), "agrifood", "bottle"),
    ("pisco", "pisco", "m", ("220890",), "agrifood", "bottle"),
    ("fruit juice", "jugo de fruta", "m", ("200989",), "agrifood", "litre"),
    ("frozen fruit pulp", "pulpa de fruta", "f", ("081190",), "agrifood", "kg"),
    ("shrimp", "langostinos", "m", ("030617",), "agrifood", "kg"),
    ("canned tuna", "atún en conserva", "m", ("160414",), "agrifood", "case"),
    ("roses", "rosas", "f", ("060311",), "agrifood", "stem"),
    ("essential oils", "aceites esenciales", "m", ("330190",), "natural-ingredients", "litre"),
    ("plant extracts", "extractos vegetales", "m", ("130219",), "natural-ingredients", "kg"),
    ("alpaca yarn", "hilado de alpaca", "m", ("510820",), "textiles", "kg"),
    ("alpaca sweaters", "suéteres de alpaca", "m", ("611011", "611019"), "textiles", "piece"),
    ("cotton t-shirts", "camisetas de algodón", "f", ("610910",), "textiles", "piece"),
    ("cotton yarn", "hilado de algodón", "m", ("520512",), "textiles", "kg"),
    ("cotton dresses", "vestidos de algodón", "m", ("620442",), "textiles", "piece"),
    ("ceramic tableware", "vajilla de cerámica", "f", ("691200",), "handicrafts", "set"),
    ("silver jewellery", "joyería de plata", "f", ("711311",), "handicrafts", "piece"),
    ("toquilla straw hats", "sombreros de paja toquilla", "m", ("650400",), "handicrafts", "piece"),
    ("cork stoppers", "tapones de corcho", "m", ("450310",), "handicrafts", "thousand"),
    ("leather handbags", "bolsos de cuero", "m", ("420221",), "handicrafts", "piece"),
    ("wooden furniture", "muebles de madera", "m", ("940360",), "handicrafts", "piece"),
    ("solar panels", "paneles solares", "m", ("854143",), "industrial-tech", "piece"),
    ("farm sprayers", "pulverizadores agrícolas", "m", ("842441", "842449"), "industrial-tech", "piece"),
    ("irrigation equipment", "equipos de riego", "m", ("842482",), "industrial-tech", "set"),
    ("farm machinery", "maquinaria agrícola", "f", ("843680",), "industrial-tech", "piece"),
)

# (English, Spanish masculine, Spanish feminine)
QUALITIES = (
    ("organic", "orgánico", "orgánica"),
    ("premium", "premium", "premium"),
    ("hand-made", "artesanal", "artesanal"),
    ("fair trade", "de comercio justo", "de comercio justo"),
    ("Andean", "andino", "andina"),
    ("specialty", "de especialidad", "de especialidad"),
    ("traditional", "tradicional", "tradicional"),
    ("sustainable", "sostenible", "sostenible"),
    ("export grade", "de exportación", "de exportación"),
    ("fine", "fino", "fina"),
)
PLACES = (
    "Cusco",
    "Piura",
    "Cajamarca",
    "Chiapas",
    "Oaxaca",
    "Antioquia",
    "Huila",
    "Mendoza",
    "Maule",
    "Loja",
    "Manabí",
    "Alentejo",
    "Ashanti",
    "Yungas",
    "Puno",
    "Arequipa",
)
NAME_ROOTS = (
    "Andes",
    "Inca",
    "Pacífico",
    "Sierra Alta",
    "Amazonas",
    "Cordillera",
    "Valle Verde",
    "Sol Naciente",
    "Cóndor",
    "Tierra Buena",
    "Mar Azul",
    "Río Claro",
    "Nevado",
    "Altiplano",
    "Costa Norte",
    "Selva Viva",
    "Pacific Harvest",
    "Green Valley",
    "Highland",
    "Sunrise",
)
NAME_TRADES = ("Exports", "Trading", "Foods", "Agro", "Industries", "Group", "Partners", "Company")
# Country: (weight, legal suffix, cities, company language)
COUNTRIES = {
    "PE": (30, "S.A.C.", ("Lima", "Arequipa", "Cusco", "Piura"), "es"),
    "CO": (12, "S.A.S.", ("Bogotá", "Medellín", "Cali"), "es"),
    "MX": (12, "S.A. de C.V.", ("Ciudad de México", "Oaxaca", "Guadalajara"), "es"),
    "CL": (10, "SpA", ("Santiago", "Valparaíso", "Talca"), "es"),
    "EC": (8, "S.A.", ("Quito", "Guayaquil", "Cuenca"), "es"),
    "BO": (5, "S.R.L.", ("La Paz", "Santa Cruz"), "es"),
    "AR": (5, "S.A.", ("Buenos Aires", "Mendoza"), "es"),
    "CR": (4, "S.A.", ("San José",), "es"),
    "PT": (5, "Lda.", ("Lisboa", "Porto", "Évora"), "en"),
    "GH": (4, "Ltd.", ("Accra", "Kumasi"), "en"),
    "US": (3, "Inc.", ("Miami", "Houston"), "en"),
    "GB": (2, "Ltd.", ("London", "Bristol"), "en"),
}
CURRENCIES = ("USD", "EUR")


@dataclass(frozen=True)
class ProductRow:
    name: str
    description: str
    language: str
    translations: dict
    hs_code: str
    unit: str
    min_order_quantity: int
    price_min: Decimal
    price_max: Decimal
    currency: str
    lead_time_days: int
    certifications: tuple[str, ...]


@dataclass(frozen=True)
class CompanyRow:
    slug: str
    legal_name: str
    country: str
    city: str
    description: str
    language: str
    translations: dict
    founded_year: int
    sector: str
    certifications: tuple[str, ...]
    package: str  # "basic", "standard" or "premium": the demo packages' order
    tagline: str
    products: tuple[ProductRow, ...] = field(default_factory=tuple)


def _product_texts(goods, quality, place, language: str) -> tuple[str, str]:
    english, spanish, gender, _codes, _sector, unit = goods
    if language == "es":
        adjective = quality[1] if gender == "m" else quality[2]
        name = f"{spanish.capitalize()} {adjective}"
        description = (
            f"{spanish.capitalize()} {adjective} de {place}, seleccionado y empacado para exportación. "
            f"Pedidos por {unit}; muestras y fichas técnicas a solicitud."
        )
    else:
        name = f"{quality[0].capitalize()} {english}"
        description = (
            f"{quality[0].capitalize()} {english} from {place}, sorted and packed for export. "
            f"Sold by the {unit}; samples and specification sheets on request."
        )
    return name, description


def _product_counts(rng: random.Random, products: int, exhibitors: int) -> list[int]:
    """How many products each company has: about products / exhibitors, varying, summing to `products`."""
    base, extra = divmod(products, exhibitors)
    counts = [base + (1 if number < extra else 0) for number in range(exhibitors)]
    for number in range(0, exhibitors - 1, 2):
        shift = rng.randint(0, max(counts[number + 1] - 1, 0) // 2)
        counts[number] += shift
        counts[number + 1] -= shift
    return counts


def catalogue_plan(
    *,
    products: int = DEFAULT_PRODUCTS,
    exhibitors: int = DEFAULT_EXHIBITORS,
    seed: int = DEFAULT_SEED,
    certifications: tuple[str, ...] = (),
) -> list[CompanyRow]:
    """The companies and their products, as plain data; the same arguments always give the same rows.

    `certifications` are the slugs to spread over companies and products (sorted, so their order in the
    database does not matter).
    """
    if exhibitors < 1 or products < exhibitors:
        raise ValueError("at least one exhibitor, and at least one product per exhibitor")
    rng = random.Random(seed)
    certifications = tuple(sorted(certifications))
    country_codes = sorted(COUNTRIES)
    country_weights = [COUNTRIES[code][0] for code in country_codes]
    companies = []
    for number, count in enumerate(_product_counts(rng, products, exhibitors)):
        country = rng.choices(country_codes, country_weights)[0]
        _weight, suffix, cities, language = COUNTRIES[country]
        speciality = rng.randrange(len(GOODS))
        sector = GOODS[speciality][4]
        # Most companies keep to one sector: goods of the speciality's sector, now and then another.
        same_sector = [index for index, goods in enumerate(GOODS) if goods[4] == sector]
        root = rng.choice(NAME_ROOTS)
        trade = rng.choice(NAME_TRADES)
        legal_name = f"{root} {GOODS[speciality][0 if language == 'en' else 1].title()} {trade} {suffix}"
        place = rng.choice(PLACES)
        city = rng.choice(cities)
        if language == "es":
            description = (
                f"Exportadores de {GOODS[speciality][1]} desde {city}. Trabajamos con productores de {place} "
                "y enviamos a Europa, Asia y Norteamérica."
            )
            english = (
                f"Exporters of {GOODS[speciality][0]} from {city}. We work with growers in {place} and ship "
                "to Europe, Asia and North America."
            )
            translations = {"en": {"description": english}} if rng.random() < 0.5 else {}
        else:
            description = (
                f"Exporters of {GOODS[speciality][0]} from {city}. We work with growers in {place} and ship "
                "to Europe, Asia and North America."
            )
            translations = {}
        company_certifications = tuple(
            sorted(rng.sample(certifications, rng.randint(0, min(2, len(certifications)))))
        )
        rows = []
        for _ in range(count):
            goods = GOODS[speciality if rng.random() < 0.5 else rng.choice(same_sector)]
            if rng.random() < 0.1:
                goods = rng.choice(GOODS)
            quality = rng.choice(QUALITIES)
            product_place = rng.choice(PLACES)
            name, text = _product_texts(goods, quality, product_place, language)
            product_translations = {}
            if language == "es" and rng.random() < 0.5:
                en_name, en_text = _product_texts(goods, quality, product_place, "en")
                product_translations = {"en": {"name": en_name, "description": en_text}}
            low = Decimal(rng.randint(100, 5000)) / 100
            rows.append(
                ProductRow(
                    name=name,
                    description=text,
                    language=language,
                    translations=product_translations,
                    hs_code=rng.choice(goods[3]),
                    unit=goods[5],
                    min_order_quantity=rng.choice((1, 10, 50, 100, 500, 1000)),
                    price_min=low,
                    price_max=low + Decimal(rng.randint(0, 2000)) / 100,
                    currency=rng.choice(CURRENCIES),
                    lead_time_days=rng.choice((7, 14, 21, 30, 45, 60)),
                    certifications=tuple(
                        sorted(rng.sample(certifications, min(1, len(certifications))))
                        if certifications and rng.random() < 0.25
                        else ()
                    ),
                )
            )
        slug = slugify(f"{CATALOGUE_SLUG_PREFIX}{number:05d} {root} {trade}")
        companies.append(
            CompanyRow(
                slug=slug,
                legal_name=legal_name,
                country=country,
                city=city,
                description=description,
                language=language,
                translations=translations,
                founded_year=rng.randint(1950, 2022),
                sector=sector,
                certifications=company_certifications,
                package=rng.choices(("basic", "standard", "premium"), (10, 20, 70))[0],
                tagline=(f"{GOODS[speciality][1].capitalize()} de {place}" if language == "es" else "")
                or f"{GOODS[speciality][0].capitalize()} from {place}",
                products=tuple(rows),
            )
        )
    return companies


@dataclass
class CatalogueReport:
    companies: int = 0
    products: int = 0
    shown: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def catalogue_generate(
    *,
    fair=None,
    products: int = DEFAULT_PRODUCTS,
    exhibitors: int = DEFAULT_EXHIBITORS,
    seed: int = DEFAULT_SEED,
    log: Callable[[str], None] = lambda message: None,
) -> CatalogueReport:
    """Write catalogue_plan()'s companies with live booths in `fair` (default: the demo's live fair), and
    index them for search. The fair needs halls and packages (seed_demo's have them); a company's booth goes
    to the hall of its sector (else the first hall) on the package of the plan's rank (else the last one),
    showing as many of its products as the package allows."""
    from wagtail.search.backends import get_search_backends

    from exhibitors.enums import ApplicationStatus
    from exhibitors.models import (
        Booth,
        BoothApplication,
        BoothProduct,
        Certification,
        Company,
        Product,
        Sector,
    )

    report = CatalogueReport()
    if fair is None:
        from cms.demo import data
        from fair.models import FairPage

        fair = FairPage.objects.filter(slug=data.LIVE_FAIR.slug).order_by("pk").first()
        if fair is None:
            raise SystemExit("no demo fair: run seed_demo first")
    fair = fair.original if hasattr(fair, "original") else fair
    halls = list(fair.halls.select_related("sector").order_by("sort_order", "pk"))
    packages = list(fair.packages.order_by("price_amount", "pk"))
    if not halls or not packages:
        raise SystemExit(f"the fair {fair.slug} has no halls or no packages")
    hall_by_sector = {hall.sector.slug: hall for hall in halls if hall.sector_id}
    package_by_rank = {
        rank: packages[min(i, len(packages) - 1)] for i, rank in enumerate(("basic", "standard", "premium"))
    }
    certification_ids = dict(Certification.objects.values_list("slug", "pk"))
    sector_ids = dict(Sector.objects.values_list("slug", "pk"))

    started = time.monotonic()
    plan = catalogue_plan(
        products=products, exhibitors=exhibitors, seed=seed, certifications=tuple(certification_ids)
    )
    report.seconds["plan"] = time.monotonic() - started
    log(f"catalogue: planned {len(plan)} companies in {report.seconds['plan']:.1f} s")

    started = time.monotonic()
    now = timezone.now()
    with transaction.atomic():
        companies = Company.objects.bulk_create(
            [
                Company(
                    slug=row.slug,
                    legal_name=row.legal_name,
                    country=row.country,
                    city=row.city,
                    description=row.description,
                    description_language=row.language,
                    translations=row.translations,
                    website=f"https://www.{row.slug}.example",
                    founded_year=row.founded_year,
                    tax_id=f"CAT{index:08d}",
                )
                for index, row in enumerate(plan)
            ],
            batch_size=BATCH,
        )
        through = Company.certifications.through
        through.objects.bulk_create(
            [
                through(company_id=company.pk, certification_id=certification_ids[slug])
                for company, row in zip(companies, plan, strict=True)
                for slug in row.certifications
            ],
            batch_size=BATCH,
        )
        if sector_ids:
            through = Company.sectors.through
            through.objects.bulk_create(
                [
                    through(company_id=company.pk, sector_id=sector_ids[row.sector])
                    for company, row in zip(companies, plan, strict=True)
                    if row.sector in sector_ids
                ],
                batch_size=BATCH,
            )
        product_objects = Product.objects.bulk_create(
            [
                Product(
                    company_id=company.pk,
                    name=product.name,
                    description=product.description,
                    language=product.language,
                    translations=product.translations,
                    hs_code=product.hs_code,
                    unit=product.unit,
                    min_order_quantity=product.min_order_quantity,
                    price_min=product.price_min,
                    price_max=product.price_max,
                    currency=product.currency,
                    lead_time_days=product.lead_time_days,
                    sort_order=order,
                )
                for company, row in zip(companies, plan, strict=True)
                for order, product in enumerate(row.products)
            ],
            batch_size=BATCH,
        )
        product_rows = [product for row in plan for product in row.products]
        through = Product.certifications.through
        through.objects.bulk_create(
            [
                through(product_id=product.pk, certification_id=certification_ids[slug])
                for product, row in zip(product_objects, product_rows, strict=True)
                for slug in row.certifications
            ],
            batch_size=BATCH,
        )
        booths = Booth.objects.bulk_create(
            [
                Booth(
                    company_id=company.pk,
                    fair=fair,
                    hall=hall_by_sector.get(row.sector, halls[0]),
                    package=package_by_rank[row.package],
                    tagline=row.tagline,
                    language=row.language,
                )
                for company, row in zip(companies, plan, strict=True)
            ],
            batch_size=BATCH,
        )
        BoothApplication.objects.bulk_create(
            [
                BoothApplication(booth=booth, status=ApplicationStatus.APPROVED, decided_at=now)
                for booth in booths
            ],
            batch_size=BATCH,
        )
        shown = []
        position = 0
        for booth, row in zip(booths, plan, strict=True):
            limit = booth.package.max_products
            for order, product in enumerate(product_objects[position : position + len(row.products)]):
                if order < limit:
                    shown.append(BoothProduct(booth_id=booth.pk, product_id=product.pk, sort_order=order))
            position += len(row.products)
        BoothProduct.objects.bulk_create(shown, batch_size=BATCH)
    report.companies = len(companies)
    report.products = len(product_objects)
    report.shown = len(shown)
    report.seconds["rows"] = time.monotonic() - started
    log(
        f"catalogue: wrote {report.companies} companies, {report.products} products "
        f"({report.shown} shown in booths) in {report.seconds['rows']:.1f} s"
    )

    started = time.monotonic()
    for backend in get_search_backends(with_auto_update=True):
        with transaction.atomic():
            for model, objects in ((Company, companies), (Product, product_objects)):
                for batch in _batches(objects):
                    backend.add_bulk(model, batch)
    report.seconds["index"] = time.monotonic() - started
    log(f"catalogue: indexed them for search in {report.seconds['index']:.1f} s")
    return report


def catalogue_clear() -> int:
    """Remove the generated companies (and with them their products, booths and search index rows)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.search.models import IndexEntry

    from exhibitors.models import Company, Product

    companies = Company.objects.filter(slug__startswith=CATALOGUE_SLUG_PREFIX)
    company_ids = [str(pk) for pk in companies.values_list("pk", flat=True)]
    product_ids = [
        str(pk) for pk in Product.objects.filter(company__in=companies).values_list("pk", flat=True)
    ]
    with transaction.atomic():
        for model, ids in ((Product, product_ids), (Company, company_ids)):
            for batch in _batches(ids):
                IndexEntry.objects.filter(
                    content_type=ContentType.objects.get_for_model(model), object_id__in=batch
                ).delete()
        count, _ = companies.delete()
    return count
