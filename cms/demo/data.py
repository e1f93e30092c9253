"""What the demo instance contains: a fictional chamber, two fairs and 24 SMEs with their catalogues.

Every company, person and web address here is invented (addresses end in .example). The catalogues are in
products.csv beside this file; their HS codes are real HS 2022 subheadings from data/hs/ and are checked
against it before anything is written.
"""

import csv
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

LEGAL_PAGES = (
    (
        "terms_page",
        "terms",
        "Terms of use",
        (
            "These terms apply to everyone who uses this virtual fair platform, run by the Cámara de "
            "Comercio del Pacífico Sur (the chamber).",
            "Exhibitors are responsible for what they publish on their booths: company details, products, "
            "prices, certifications and documents must be true and theirs to publish. The chamber reviews "
            "booth applications and may refuse, hide or remove a booth that breaks these terms.",
            "Buyers and exhibitors deal with each other directly. The chamber does not guarantee any "
            "product, price or delivery, and is not a party to the contracts they make.",
            "Accounts are personal. Keep your password to yourself and tell the chamber at once if you think "
            "someone else has used your account.",
            "The chamber may change these terms; the version you accepted and when are recorded with your "
            "account, and you will be asked again after a change.",
        ),
    ),
    (
        "privacy_page",
        "privacy",
        "Privacy notice",
        (
            "The chamber keeps the personal data you give it (name, e-mail address, language, time zone, "
            "company details, buyer interests) on its own servers, to run the fairs you take part in.",
            "What you publish on a booth is public. Your e-mail address is never shown to other users.",
            "We record what you agreed to at sign-up (terms, this notice, e-mails about fairs) with the "
            "date and the version of the text. You can stop fair e-mails at any time.",
            "Nothing is shared with advertisers, and the site loads nothing from other websites.",
            "To see, correct or delete your data, write to the chamber at the address in the page footer.",
        ),
    ),
)

CHAMBER = {
    "chamber_name": "Cámara de Comercio del Pacífico Sur",
    "address": "Av. Malecón Grau 740, piso 6\nChorrillos, Lima 15064\nPerú",
    "contact_email": "ferias@camarapacificosur.example",
    "phone": "+51 1 555 0140",
    "tax_id": "20600012345",
}

# Booth fees paid by transfer go to this (fictional) account; Peru's IGV applies to them.
PAYMENT_SETTINGS = {
    "bank_account_holder": "Cámara de Comercio del Pacífico Sur",
    "bank_name": "Banco Ejemplo del Perú",
    "bank_account_number": "PE00 0000 1940 0012 3456 7801",
    "bank_swift": "BEJPPEPL",
    "bank_instructions": "Interbank code (CCI) 002-194-001234567801-95. Write the payment reference in the "
    "transfer's description.",
    "receipt_footer": "Cámara de Comercio del Pacífico Sur · RUC 20600012345",
}
TAX_RATES = [{"name": "IGV", "rate": "18"}]

HOME_INTRO = (
    "<p>The Chamber of Commerce of the South Pacific runs virtual trade fairs where small and medium "
    "exporters from Latin America, West Africa and Portugal meet international buyers: browse the halls, "
    "save booths and products, and contact exhibitors during their office hours.</p>"
)

# (slug, name)
SECTORS = [
    ("agrifood", "Agrifood"),
    ("beverages", "Beverages"),
    ("textiles", "Textiles & apparel"),
    ("handicrafts", "Handicrafts & design"),
    ("industrial-tech", "Industry & technology"),
    ("natural-ingredients", "Natural ingredients & cosmetics"),
]

CERTIFICATIONS = [
    ("organic-eu", "EU Organic"),
    ("usda-organic", "USDA Organic"),
    ("fairtrade", "Fairtrade"),
    ("rainforest-alliance", "Rainforest Alliance"),
    ("globalgap", "GLOBALG.A.P."),
    ("haccp", "HACCP"),
    ("brcgs", "BRCGS Food Safety"),
    ("iso-9001", "ISO 9001"),
    ("iso-14001", "ISO 14001"),
    ("gots", "GOTS (Global Organic Textile Standard)"),
    ("wfto", "WFTO Guaranteed Fair Trade"),
    ("b-corp", "Certified B Corporation"),
    ("fsc", "FSC"),
    ("kosher", "Kosher"),
]


@dataclass(frozen=True)
class HallData:
    key: str
    name: str
    sector: str
    description: str


HALLS = [
    HallData(
        "agrifood",
        "Agrifood & beverages",
        "agrifood",
        "Coffee, cacao, Andean grains, fresh fruit, nuts, wine and spirits.",
    ),
    HallData(
        "textiles",
        "Textiles & alpaca",
        "textiles",
        "Alpaca and cotton yarns, knitwear and ready-to-wear.",
    ),
    HallData(
        "handicrafts",
        "Handicrafts & design",
        "handicrafts",
        "Ceramics, silver, tagua, toquilla straw and cork, made by hand.",
    ),
    HallData(
        "industrial-tech",
        "Industry & technology",
        "industrial-tech",
        "Solar energy, farm machinery and plant biotechnology.",
    ),
]


@dataclass(frozen=True)
class PackageData:
    key: str
    name: str
    description: str
    price_amount: int
    max_products: int
    gallery_size: int
    sponsored: bool


PACKAGES = [
    PackageData("basic", "Basic", "A booth with your profile, 4 products and 3 pictures.", 0, 4, 3, False),
    PackageData(
        "standard",
        "Standard",
        "Up to 10 products, 6 pictures, brochures and office hours.",
        15000,
        10,
        6,
        False,
    ),
    PackageData(
        "premium",
        "Premium",
        "Everything in Standard, 20 products, 12 pictures, and sponsored placement at the top of the fair.",
        45000,
        20,
        12,
        True,
    ),
]


@dataclass(frozen=True)
class FairData:
    key: str
    slug: str
    title: str
    summary: str
    intro: str
    palette: tuple[str, str, str]


LIVE_FAIR = FairData(
    "live",
    "expopacifico-2026",
    "ExpoPacífico Virtual 2026",
    "Four halls, 24 exporters from ten countries: coffee, cacao, alpaca, crafts and clean technology.",
    "<p>ExpoPacífico brings together small and medium exporters from the Pacific Alliance, the Andes, "
    "West Africa and Portugal. Visit the halls, read each company's profile and catalogue, download "
    "brochures and write to exhibitors while their booths are staffed.</p>",
    ("#0b3d4f", "#3fa7a0", "#f2c14e"),
)

UPCOMING_FAIR = FairData(
    "upcoming",
    "andean-superfoods-design-week",
    "Andean Superfoods & Design Week",
    "Superfoods, natural ingredients and design from the Andes. Applications are open.",
    "<p>A week for buyers of quinoa, cacao, açaí, baobab and natural ingredients, and of hand-made "
    "design: ceramics, alpaca and cork. Exhibitors can apply for a booth now.</p>",
    ("#3b1f4a", "#b56576", "#f6bd60"),
)


@dataclass(frozen=True)
class ProductData:
    name: str
    description: str
    hs_code: str
    unit: str
    min_order: int
    price_min: Decimal
    price_max: Decimal
    lead_time_days: int
    certifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyData:
    slug: str
    legal_name: str
    country: str
    city: str
    sectors: tuple[str, ...]
    language: str
    description: str
    tagline: str
    booth_text: str
    export_markets: tuple[str, ...]
    certifications: tuple[str, ...]
    founded_year: int
    size: str
    tax_id: str
    palette: tuple[str, str, str]
    hall: str
    package: str
    currency: str
    gallery: tuple[str, ...]
    featured: bool = False
    video: bool = False
    office_hours: tuple[tuple[int, str, str], ...] = field(
        default=((0, "09:00", "13:00"), (2, "09:00", "13:00"), (4, "15:00", "18:00"))
    )

    @property
    def products(self) -> tuple[ProductData, ...]:
        return catalogues().get(self.slug, ())


COMPANIES: tuple[CompanyData, ...] = (
    CompanyData(
        slug="cafetalera-selva-alta",
        legal_name="Cafetalera Selva Alta S.A.C.",
        country="PE",
        city="Jaén",
        sectors=("agrifood",),
        language="es",
        description=(
            "Reunimos a 380 familias cafetaleras de Jaén y San Ignacio, entre 1.400 y 2.000 metros de "
            "altitud. Acopiamos, catamos y exportamos café arábica lavado de variedades Typica, Caturra y "
            "Geisha, con trazabilidad por lote y pago de primas a los productores."
        ),
        tagline="Café de altura de Jaén, trazable lote por lote",
        booth_text=(
            "Muestras de pre-embarque en 10 días. Perfiles de taza de 84 a 88 puntos SCA. Atendemos "
            "tostadores de especialidad en Europa, Norteamérica y Asia."
        ),
        export_markets=("DE", "US", "BE", "KR", "JP"),
        certifications=("organic-eu", "usda-organic", "fairtrade"),
        founded_year=2004,
        size="small",
        tax_id="20480012345",
        palette=("#2d1b12", "#c98b4a", "#e9d8a6"),
        hall="agrifood",
        package="premium",
        currency="USD",
        video=True,
        office_hours=((0, "08:00", "12:00"), (1, "08:00", "12:00"), (3, "14:00", "17:00")),
        gallery=("Secado en camas africanas", "Cata en laboratorio", "Finca a 1.800 m", "Sacos GrainPro"),
    ),
    CompanyData(
        slug="kallpa-cacao-peru",
        legal_name="Kallpa Cacao Perú S.A.C.",
        country="PE",
        city="Tingo María",
        sectors=("agrifood",),
        language="es",
        description=(
            "Trabajamos cacao fino de aroma del Alto Huallaga con 210 productores. Fermentamos y secamos "
            "en nuestra central de beneficio y elaboramos pasta, manteca y chocolate de origen único."
        ),
        tagline="Cacao fino de aroma del Alto Huallaga",
        booth_text="Granos fermentados, pasta y manteca de cacao, y chocolate bean-to-bar a granel.",
        export_markets=("NL", "BE", "IT", "CH", "US"),
        certifications=("organic-eu", "fairtrade", "haccp"),
        founded_year=2011,
        size="small",
        tax_id="20530022334",
        palette=("#3e1f0d", "#8c4a2f", "#e0a458"),
        hall="agrifood",
        package="standard",
        currency="USD",
        featured=True,
        gallery=("Fermentación en cajones", "Secado solar", "Pasta de cacao", "Barras de 70 %"),
    ),
    CompanyData(
        slug="altiplano-granos-andinos",
        legal_name="Altiplano Granos Andinos S.A.C.",
        country="PE",
        city="Juliaca",
        sectors=("agrifood", "natural-ingredients"),
        language="en",
        description=(
            "We clean, sort and pack quinoa, kiwicha and maca grown by smallholders around Lake Titicaca "
            "at 3,800 metres. Our plant in Juliaca is HACCP and BRCGS certified and ships 40 containers a "
            "year to Europe and North America."
        ),
        tagline="Quinoa, kiwicha and maca from Lake Titicaca",
        booth_text="White, red and black quinoa, flakes and maca powder, conventional and organic.",
        export_markets=("US", "CA", "FR", "DE", "GB", "AU"),
        certifications=("organic-eu", "usda-organic", "haccp", "brcgs", "kosher"),
        founded_year=2009,
        size="medium",
        tax_id="20447788990",
        palette=("#4a3b1b", "#c2a878", "#f1e3c6"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Quinoa fields, Puno", "Optical sorting", "25 kg bags", "Black, red and white quinoa"),
    ),
    CompanyData(
        slug="hilanderia-misti-alpaca",
        legal_name="Hilandería Misti Alpaca S.A.C.",
        country="PE",
        city="Arequipa",
        sectors=("textiles",),
        language="en",
        description=(
            "A family spinning mill in Arequipa turning baby alpaca and royal alpaca fibre into combed "
            "yarns, knitwear and throws. We dye in small batches and ship yarn in 1 kg cones or retail "
            "skeins."
        ),
        tagline="Baby alpaca yarns and knitwear, spun in Arequipa",
        booth_text=(
            "Combed and carded yarns in 60 colours, undyed natural shades, and a knitwear line made to "
            "order from 50 pieces per style."
        ),
        export_markets=("IT", "JP", "US", "GB", "NO", "DE"),
        certifications=("iso-9001", "gots"),
        founded_year=1987,
        size="medium",
        tax_id="20100233445",
        palette=("#2f2a3a", "#9c89b8", "#f0e6ef"),
        hall="textiles",
        package="premium",
        currency="USD",
        video=True,
        gallery=("Fibre sorting", "Combing line", "Yarn cones", "Knitwear studio", "Natural shades"),
    ),
    CompanyData(
        slug="artesanias-qori-maki",
        legal_name="Artesanías Qori Maki S.R.L.",
        country="PE",
        city="Cusco",
        sectors=("handicrafts",),
        language="es",
        description=(
            "Taller de artesanos del Valle Sagrado: tapices tejidos en telar de cintura, cerámica "
            "vidriada y platería. Cada pieza lleva el nombre de quien la hizo."
        ),
        tagline="Tapices, cerámica y plata del Valle Sagrado",
        booth_text="Piezas hechas a mano; pedidos de decoración para hoteles y tiendas de diseño.",
        export_markets=("US", "FR", "ES", "CL"),
        certifications=("wfto",),
        founded_year=1998,
        size="micro",
        tax_id="20490055667",
        palette=("#5a1e1b", "#d1495b", "#edae49"),
        hall="handicrafts",
        package="basic",
        currency="USD",
        gallery=("Telar de cintura", "Cerámica vidriada", "Aretes de plata"),
    ),
    CompanyData(
        slug="agroexportadora-costa-verde",
        legal_name="Agroexportadora Costa Verde S.A.C.",
        country="PE",
        city="Ica",
        sectors=("agrifood",),
        language="en",
        description=(
            "Growers and packers of green asparagus, Hass avocado, blueberries and table grapes on 620 "
            "hectares in Ica and Chincha, with our own cold chain and a packhouse certified to GLOBALG.A.P."
        ),
        tagline="Fresh asparagus, avocado, blueberries and grapes from Ica",
        booth_text="Counter-season supply from September to March; air and sea freight.",
        export_markets=("US", "NL", "GB", "ES", "CN"),
        certifications=("globalgap", "brcgs", "rainforest-alliance"),
        founded_year=2002,
        size="medium",
        tax_id="20452233441",
        palette=("#1b4332", "#52b788", "#d8f3dc"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Asparagus harvest", "Packhouse", "Blueberry clamshells", "Reefer loading"),
    ),
    CompanyData(
        slug="tostadores-del-quindio",
        legal_name="Tostadores del Quindío S.A.S.",
        country="CO",
        city="Armenia",
        sectors=("agrifood",),
        language="es",
        description=(
            "Tostamos café del Eje Cafetero en pequeños lotes y lo empacamos para marcas propias de "
            "cafeterías y tiendas. Ofrecemos perfiles de tueste a medida y cápsulas compatibles."
        ),
        tagline="Tueste a medida para su marca",
        booth_text="Café tostado en grano y molido, marca blanca desde 200 kg.",
        export_markets=("US", "ES", "CL", "AE"),
        certifications=("rainforest-alliance", "haccp"),
        founded_year=2015,
        size="small",
        tax_id="901234567",
        palette=("#1f130b", "#7f5539", "#ddb892"),
        hall="agrifood",
        package="basic",
        currency="USD",
        gallery=("Tostadora de 30 kg", "Perfiles de tueste", "Empaque con válvula"),
    ),
    CompanyData(
        slug="frutos-del-pacifico",
        legal_name="Frutos del Pacífico Colombiano S.A.S.",
        country="CO",
        city="Cali",
        sectors=("agrifood",),
        language="es",
        description=(
            "Exportamos frutas exóticas frescas y pulpas congeladas del Valle del Cauca: gulupa, "
            "granadilla, pitahaya amarilla y lulo, con trazabilidad desde la finca hasta el contenedor."
        ),
        tagline="Gulupa, pitahaya y pulpas de fruta tropical",
        booth_text="Fruta fresca por vía aérea y pulpa congelada IQF en cajas de 10 kg.",
        export_markets=("NL", "DE", "FR", "CA", "US"),
        certifications=("globalgap", "haccp"),
        founded_year=2013,
        size="small",
        tax_id="900765432",
        palette=("#5f0f40", "#e36414", "#fb8b24"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Gulupa en cosecha", "Planta de pulpas", "Pitahaya amarilla", "Cajas para vía aérea"),
    ),
    CompanyData(
        slug="textiles-la-candelaria",
        legal_name="Textiles La Candelaria S.A.S.",
        country="CO",
        city="Medellín",
        sectors=("textiles",),
        language="es",
        description=(
            "Confeccionamos prendas de algodón pima y orgánico para marcas de moda: camisetas, vestidos "
            "y sacos tejidos. Paquete completo: diseño, patronaje, corte, confección y etiquetado."
        ),
        tagline="Confección de paquete completo en algodón",
        booth_text="Producción desde 300 prendas por referencia, tallas y etiquetas del cliente.",
        export_markets=("US", "MX", "PA", "ES"),
        certifications=("gots", "iso-9001"),
        founded_year=2006,
        size="medium",
        tax_id="811223344",
        palette=("#22223b", "#4a4e69", "#c9ada7"),
        hall="textiles",
        package="basic",
        currency="USD",
        gallery=("Sala de corte", "Confección", "Control de calidad"),
    ),
    CompanyData(
        slug="orquidea-biotech",
        legal_name="Orquídea Biotech S.A.S.",
        country="CO",
        city="Bogotá",
        sectors=("industrial-tech", "natural-ingredients"),
        language="en",
        description=(
            "A plant-biotechnology company producing standardised botanical extracts and essential oils "
            "from Colombian biodiversity for the cosmetics and food industries, with access-and-benefit-"
            "sharing agreements with the communities that grow the plants."
        ),
        tagline="Standardised botanical extracts from Colombian biodiversity",
        booth_text="Extracts, essential oils and cosmetic bases; COA and stability data on request.",
        export_markets=("FR", "DE", "US", "KR"),
        certifications=("iso-9001", "b-corp"),
        founded_year=2017,
        size="small",
        tax_id="901556677",
        palette=("#10002b", "#7b2cbf", "#e0aaff"),
        hall="industrial-tech",
        package="basic",
        currency="USD",
        gallery=("Extraction lab", "Supercritical CO₂ unit", "Quality control"),
    ),
    CompanyData(
        slug="vina-los-queltehues",
        legal_name="Viña Los Queltehues SpA",
        country="CL",
        city="Talca",
        sectors=("agrifood", "beverages"),
        language="es",
        description=(
            "Viña familiar del secano del Maule: país, carignan y cabernet de viñedos de rulo de más de "
            "80 años. Vinificamos con levaduras nativas y mínima intervención."
        ),
        tagline="Vinos del secano del Maule, viñas viejas de rulo",
        booth_text="Tintos y rosados embotellados y a granel; fichas técnicas y muestras bajo pedido.",
        export_markets=("GB", "DK", "JP", "US", "BR"),
        certifications=("organic-eu",),
        founded_year=1996,
        size="small",
        tax_id="76543210-9",
        palette=("#370617", "#9d0208", "#faa307"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Viña de rulo", "Vendimia", "Bodega de barricas", "Etiquetas"),
    ),
    CompanyData(
        slug="solartec-atacama",
        legal_name="Solartec Atacama SpA",
        country="CL",
        city="Antofagasta",
        sectors=("industrial-tech",),
        language="en",
        description=(
            "We design and assemble solar power kits for mines, farms and remote communities in the "
            "Atacama desert: bifacial modules, hybrid inverters and dust-proof control cabinets tested "
            "for high irradiance and large day–night temperature swings."
        ),
        tagline="Solar kits built for the world's sunniest desert",
        booth_text=(
            "Off-grid and hybrid kits from 5 kW to 500 kW, engineering and remote monitoring included."
        ),
        export_markets=("PE", "BO", "AR", "ZA", "AU"),
        certifications=("iso-9001", "iso-14001"),
        founded_year=2014,
        size="small",
        tax_id="76987654-3",
        palette=("#03071e", "#f48c06", "#ffba08"),
        hall="industrial-tech",
        package="premium",
        currency="USD",
        video=True,
        gallery=(
            "Solar field, Calama",
            "Cabinet assembly",
            "Remote monitoring",
            "Mine installation",
            "Testing bench",
        ),
    ),
    CompanyData(
        slug="destilados-maguey-sagrado",
        legal_name="Destilados Maguey Sagrado S.A. de C.V.",
        country="MX",
        city="Santiago Matatlán",
        sectors=("beverages",),
        language="es",
        description=(
            "Palenque familiar de Oaxaca que destila mezcal artesanal de espadín, tobalá y ensambles en "
            "alambiques de cobre, con agave cultivado y silvestre recolectado de forma responsable."
        ),
        tagline="Mezcal artesanal de Oaxaca, cuarta generación",
        booth_text="Mezcal joven y reposado, botella de 750 ml o granel certificado.",
        export_markets=("US", "ES", "DE", "AU", "JP"),
        certifications=("kosher",),
        founded_year=1978,
        size="micro",
        tax_id="DMS780512AB3",
        palette=("#1b263b", "#415a77", "#e0e1dd"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Horno de tierra", "Tahona", "Alambiques de cobre", "Agave espadín"),
    ),
    CompanyData(
        slug="talavera-del-alba",
        legal_name="Cerámica Talavera del Alba S.A. de C.V.",
        country="MX",
        city="Puebla",
        sectors=("handicrafts",),
        language="es",
        description=(
            "Taller de talavera poblana con denominación de origen: vajillas, azulejos y piezas "
            "decorativas pintadas a mano con esmaltes sin plomo."
        ),
        tagline="Talavera poblana pintada a mano",
        booth_text="Vajillas, azulejos y macetas; diseños exclusivos para tiendas y restaurantes.",
        export_markets=("US", "CA", "ES", "FR"),
        certifications=("wfto",),
        founded_year=1992,
        size="small",
        tax_id="CTA920301KL7",
        palette=("#0a2472", "#1e96fc", "#fcf6bd"),
        hall="handicrafts",
        package="basic",
        currency="USD",
        featured=True,
        gallery=("Pintura a mano", "Horno", "Azulejos"),
    ),
    CompanyData(
        slug="agrotech-bajio",
        legal_name="AgroTech Bajío S.A. de C.V.",
        country="MX",
        city="Celaya",
        sectors=("industrial-tech", "agrifood"),
        language="es",
        description=(
            "Fabricamos equipos agrícolas para pequeños y medianos productores: aspersoras, sembradoras "
            "de precisión y secadoras de grano, con repuestos y asistencia técnica en América Latina."
        ),
        tagline="Maquinaria agrícola para productores medianos",
        booth_text="Aspersoras, sembradoras y secadoras; financiamiento con banca de desarrollo.",
        export_markets=("GT", "HN", "CO", "PE", "BO"),
        certifications=("iso-9001",),
        founded_year=2001,
        size="medium",
        tax_id="ATB010915QW2",
        palette=("#283618", "#606c38", "#dda15e"),
        hall="industrial-tech",
        package="basic",
        currency="USD",
        gallery=("Línea de ensamble", "Aspersora en campo", "Secadora de grano"),
    ),
    CompanyData(
        slug="cacaotera-rio-guayas",
        legal_name="Cacaotera Río Guayas S.A.",
        country="EC",
        city="Guayaquil",
        sectors=("agrifood",),
        language="es",
        description=(
            "Exportamos cacao Nacional Arriba, fino de aroma, de productores de Los Ríos y Guayas, y "
            "elaboramos cobertura y cacao en polvo en nuestra planta de Durán."
        ),
        tagline="Cacao Nacional Arriba, fino de aroma",
        booth_text="Granos ASSS y ASE, cobertura 65 % y polvo natural.",
        export_markets=("US", "DE", "JP", "MY", "MX"),
        certifications=("rainforest-alliance", "usda-organic"),
        founded_year=2008,
        size="medium",
        tax_id="0992233445001",
        palette=("#432818", "#99582a", "#ffe6a7"),
        hall="agrifood",
        package="basic",
        currency="USD",
        gallery=("Mazorcas de Nacional", "Centro de acopio", "Cobertura"),
    ),
    CompanyData(
        slug="rosas-del-cotopaxi",
        legal_name="Rosas del Cotopaxi Cía. Ltda.",
        country="EC",
        city="Latacunga",
        sectors=("agrifood",),
        language="en",
        description=(
            "Our farm at 2,900 metres at the foot of the Cotopaxi volcano grows 48 varieties of "
            "long-stem roses with thick heads and a vase life of up to 14 days."
        ),
        tagline="Long-stem roses from the foot of the Cotopaxi",
        booth_text="Standing orders and Valentine's programmes; boxes by variety or mixed.",
        export_markets=("US", "RU", "NL", "CA", "AE"),
        certifications=("rainforest-alliance", "fairtrade"),
        founded_year=1999,
        size="medium",
        tax_id="0590011223001",
        palette=("#590d22", "#c9184a", "#ffccd5"),
        hall="agrifood",
        package="standard",
        currency="USD",
        gallery=("Greenhouses", "Post-harvest room", "Freedom red roses", "Packing"),
    ),
    CompanyData(
        slug="tagua-viva",
        legal_name="Tagua Viva Artesanías Cía. Ltda.",
        country="EC",
        city="Montecristi",
        sectors=("handicrafts",),
        language="es",
        description=(
            "Artesanos de Manabí que tallan tagua, el marfil vegetal, y tejen sombreros de paja toquilla "
            "a mano, patrimonio inmaterial de la humanidad."
        ),
        tagline="Tagua tallada y sombreros de paja toquilla",
        booth_text="Botones, bisutería y figuras de tagua; sombreros finos y superfinos.",
        export_markets=("IT", "US", "FR", "JP"),
        certifications=("wfto", "fsc"),
        founded_year=2005,
        size="micro",
        tax_id="1391122334001",
        palette=("#344e41", "#a3b18a", "#fefae0"),
        hall="handicrafts",
        package="basic",
        currency="USD",
        gallery=("Semillas de tagua", "Tejido de toquilla", "Botones de tagua"),
    ),
    CompanyData(
        slug="granos-del-salar",
        legal_name="Granos del Salar S.R.L.",
        country="BO",
        city="Oruro",
        sectors=("agrifood",),
        language="es",
        description=(
            "Acopiamos quinua real orgánica de comunidades del Salar de Uyuni y la procesamos en Oruro: "
            "lavado, escarificado, selección óptica y envasado."
        ),
        tagline="Quinua real orgánica del Salar de Uyuni",
        booth_text="Quinua real blanca, roja y negra; harina y pipocas de quinua.",
        export_markets=("FR", "US", "NL", "IL"),
        certifications=("organic-eu", "usda-organic", "fairtrade"),
        founded_year=2003,
        size="small",
        tax_id="1023456021",
        palette=("#6d597a", "#b56576", "#eaac8b"),
        hall="agrifood",
        package="basic",
        currency="USD",
        gallery=("Salar de Uyuni", "Cosecha de quinua", "Selección óptica"),
    ),
    CompanyData(
        slug="castanas-riberalta",
        legal_name="Castañas Amazónicas de Riberalta S.A.",
        country="BO",
        city="Riberalta",
        sectors=("agrifood",),
        language="en",
        description=(
            "We buy Brazil nuts gathered by forest families in the Bolivian Amazon and shell, dry and "
            "vacuum-pack them in Riberalta. Gathering keeps the forest standing: the trees only fruit in "
            "the wild."
        ),
        tagline="Wild-harvested Brazil nuts from the Bolivian Amazon",
        booth_text="Shelled Brazil nuts in 20 kg vacuum boxes; aflatoxin tested to EU limits.",
        export_markets=("GB", "DE", "US", "AU", "NZ"),
        certifications=("organic-eu", "fairtrade", "brcgs"),
        founded_year=1994,
        size="medium",
        tax_id="1029384756",
        palette=("#3a2e1f", "#7f6a4f", "#e6ccb2"),
        hall="agrifood",
        package="basic",
        currency="USD",
        gallery=("Forest gathering", "Shelling plant", "Vacuum boxes"),
    ),
    CompanyData(
        slug="baobab-sahel",
        legal_name="Baobab Sahel SARL",
        country="SN",
        city="Thiès",
        sectors=("agrifood", "natural-ingredients"),
        language="fr",
        description=(
            "Nous transformons les fruits du baobab, le bissap et le fonio récoltés par des groupements "
            "de femmes de la région de Thiès. Poudre de baobab, calices de bissap séchés et fonio précuit "
            "sont conditionnés dans notre atelier certifié HACCP."
        ),
        tagline="Baobab, bissap et fonio du Sénégal",
        booth_text=(
            "Poudre de pulpe de baobab, fleurs d'hibiscus séchées et fonio précuit, en vrac ou sous marque."
        ),
        export_markets=("FR", "BE", "CA", "US", "DE"),
        certifications=("organic-eu", "haccp"),
        founded_year=2012,
        size="small",
        tax_id="SN2012B04567",
        palette=("#7f4f24", "#b08968", "#ede0d4"),
        hall="agrifood",
        package="standard",
        currency="EUR",
        gallery=("Fruits de baobab", "Séchage du bissap", "Atelier de conditionnement", "Fonio précuit"),
    ),
    CompanyData(
        slug="cooperative-soubre",
        legal_name="Coopérative Agricole du Nawa (COOPANA)",
        country="CI",
        city="Soubré",
        sectors=("agrifood", "natural-ingredients"),
        language="fr",
        description=(
            "Coopérative de 1 150 planteurs de la région de la Nawa. Nous commercialisons des fèves de "
            "cacao tracées, des noix de cajou brutes et du beurre de karité produit par des coopératives "
            "de femmes partenaires du nord du pays."
        ),
        tagline="Cacao tracé et karité de Côte d'Ivoire",
        booth_text="Fèves de cacao grade I, cajou brut et beurre de karité non raffiné.",
        export_markets=("NL", "FR", "BE", "US", "MY"),
        certifications=("rainforest-alliance", "fairtrade"),
        founded_year=2007,
        size="medium",
        tax_id="CI-SOU-2007-B-0231",
        palette=("#582f0e", "#936639", "#c2c5aa"),
        hall="agrifood",
        package="basic",
        currency="EUR",
        gallery=("Écabossage", "Séchage des fèves", "Beurre de karité"),
    ),
    CompanyData(
        slug="acai-da-floresta",
        legal_name="Açaí da Floresta Ltda.",
        country="BR",
        city="Belém",
        sectors=("agrifood", "natural-ingredients"),
        language="pt",
        description=(
            "Processamos açaí colhido por famílias ribeirinhas das ilhas de Belém em até 24 horas após a "
            "colheita. Também produzimos guaraná em pó e óleo de castanha-do-pará."
        ),
        tagline="Açaí congelado e superfrutas da Amazônia",
        booth_text="Polpa de açaí congelada, açaí em pó liofilizado e guaraná em pó.",
        export_markets=("US", "JP", "AU", "PT", "CA"),
        certifications=("usda-organic", "organic-eu", "haccp"),
        founded_year=2010,
        size="small",
        tax_id="12.345.678/0001-90",
        palette=("#240046", "#5a189a", "#9d4edd"),
        hall="agrifood",
        package="basic",
        currency="USD",
        gallery=("Coleta de açaí", "Despolpadeira", "Câmara fria"),
    ),
    CompanyData(
        slug="cortica-alentejana",
        legal_name="Cortiça Alentejana, Lda.",
        country="PT",
        city="Évora",
        sectors=("handicrafts", "industrial-tech"),
        language="pt",
        description=(
            "Transformamos cortiça do montado alentejano em rolhas naturais, revestimentos e objetos de "
            "design. A cortiça é descortiçada a cada nove anos sem abater a árvore."
        ),
        tagline="Cortiça do Alentejo: rolhas, revestimentos e design",
        booth_text="Rolhas naturais para vinhos tranquilos, placas de aglomerado e acessórios de design.",
        export_markets=("FR", "ES", "IT", "US", "CL"),
        certifications=("fsc", "iso-9001"),
        founded_year=1972,
        size="medium",
        tax_id="PT501234567",
        palette=("#3d2b1f", "#a47148", "#f3d5b5"),
        hall="handicrafts",
        package="basic",
        currency="EUR",
        gallery=("Descortiçamento", "Pilhas de cortiça", "Rolhas naturais"),
    ),
)


@cache
def catalogues() -> dict[str, tuple[ProductData, ...]]:
    """Each demo company's products, in catalogue order, from products.csv."""
    found: dict[str, list[ProductData]] = {}
    with open(Path(__file__).with_name("products.csv"), newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            found.setdefault(row["company"], []).append(
                ProductData(
                    name=row["name"],
                    description=row["description"],
                    hs_code=row["hs_code"],
                    unit=row["unit"],
                    min_order=int(row["min_order"]),
                    price_min=Decimal(row["price_min"]),
                    price_max=Decimal(row["price_max"]),
                    lead_time_days=int(row["lead_time_days"]),
                    certifications=tuple(row["certifications"].split()),
                )
            )
    return {slug: tuple(products) for slug, products in found.items()}


# Companies that apply (pending) to the upcoming fair.
UPCOMING_APPLICANTS = (
    "granos-del-salar",
    "baobab-sahel",
    "hilanderia-misti-alpaca",
    "talavera-del-alba",
    "acai-da-floresta",
)

# The company the demo exhibitor owns.
DEMO_OWNER_COMPANY = "cafetalera-selva-alta"


@dataclass(frozen=True)
class AccountData:
    key: str
    email: str
    password: str
    first_name: str
    last_name: str
    preferred_language: str
    time_zone: str
    role: str


ACCOUNTS = (
    AccountData(
        "admin",
        "admin@feria.example",
        "feria-admin-2026",
        "Ana",
        "Quispe",
        "en",
        "America/Lima",
        "Administrator",
    ),
    AccountData(
        "staff",
        "staff@feria.example",
        "feria-staff-2026",
        "Rosa",
        "Mendoza",
        "es",
        "America/Lima",
        "Chamber staff (Wagtail admin)",
    ),
    AccountData(
        "owner",
        "owner@feria.example",
        "feria-owner-2026",
        "Julio",
        "Huamán",
        "es",
        "America/Lima",
        "Exhibitor (owner of Cafetalera Selva Alta)",
    ),
    AccountData(
        "buyer",
        "buyer@feria.example",
        "feria-buyer-2026",
        "Katrin",
        "Vogel",
        "en",
        "Europe/Berlin",
        "Buyer (Nordlicht Feinkost Import GmbH)",
    ),
)

BUYER_PROFILE = {
    "company_name": "Nordlicht Feinkost Import GmbH",
    "country": "DE",
    "sectors": ("agrifood", "beverages"),
    "hs_codes": ["0901", "1801", "100850", "0801"],
    "keywords": "specialty coffee, fine cacao, quinoa, Brazil nuts",
    "looking_for": (
        "We import for delicatessen shops and roasters in northern Germany and Scandinavia. Looking for "
        "organic and Fairtrade coffee (84+ SCA), fine-flavour cacao and Andean grains, 1–5 containers a year."
    ),
    "looking_for_language": "en",
}
