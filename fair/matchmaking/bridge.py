"""The cross-language bridge: words a buyer writes, in any of the site's languages (and German), mapped to HS
code prefixes and to sectors, so "café", "Kaffee" and "coffee" all reach a catalogue that says HS 0901.

Three sources, in this order (docs/matchmaking.md, "Words in other languages"):

1. TRADE_WORDS below: common trade words in English, Spanish, French, Portuguese and German, each naming HS
   2022 chapters, headings or subheadings. Kept by hand; a word belongs here only if it names a kind of
   goods on its own (no "organic", "fresh", "premium").
2. The HS 2022 nomenclature itself (data/hs/): an English word of four letters or more that appears in the
   text of at most NOMENCLATURE_MAX_HITS subheadings bridges to those subheadings' headings. Words in more
   subheadings than that ("other", "products") say too little to bridge anything.
3. SECTOR_WORDS: each known sector's name in the four UI languages (and German), by sector slug; a buyer
   who writes "textiles" or "artesanía" in their keywords counts that sector as one of theirs.

Words are compared normalised: lower case, accents removed, a final "s" dropped (normalise_word).
"""

import re
import unicodedata
from functools import cache

from exhibitors.hs import nomenclature

NOMENCLATURE_MAX_HITS = 15
WORD = re.compile(r"\w+")

# Words too common to match anything, in the languages buyers write in, spelt with their accents: "thé"
# (tea) is a word, "the" is not.
STOPWORDS = frozenset(
    """
    a an and are as at be by for from in is it of on or our the to we with you your us
    also any all other others more most per year years month new good high best top quality premium
    fresh dried frozen natural organic products product goods import importer importers export exporter
    supplier suppliers looking want need buy buying sell selling market markets retail wholesale brand
    el la los las de del y o en con para por un una unos unas que al se su sus nuestro nuestra buscamos
    producto productos calidad importamos importador proveedor proveedores mercado fresco seco orgánico
    le les des du et ou au aux avec pour par une nous notre nos qualité cherchons recherchons produit
    produits importateur fournisseur fournisseurs frais sec bio biologique
    o os as do da dos das e em com para por um uma nosso nossa procuramos produto produtos qualidade
    importador fornecedor fornecedores fresco seco orgânico
    der die das den dem und oder mit für von im in ein eine wir unser unsere suchen produkte qualität
    importeur lieferant lieferanten frisch getrocknet
    """.split()
)

# word -> HS prefixes (chapter "09", heading "0901" or subheading "090111").
_TRADE_WORDS_BY_CODE: dict[str, str] = {
    "0901": "coffee cafe kaffee arabica robusta espresso",
    "18": "cocoa cacao kakao",
    "1806": "chocolate chocolat schokolade couverture cobertura",
    "100850": "quinoa quinua",
    "100890": "amaranth amaranto amarante kiwicha",
    "100840": "fonio",
    "120799": "chia",
    "110620": "maca",
    "0801": "cashew cajou anacardo caju maranon castana castanha paranuss paranusse paranut",
    "0802": "almond almendra amande amendoa mandel hazelnut avellana "
    "noisette avela haselnuss walnut nuez noix noz walnuss",
    "0709": "asparagus esparrago asperge aspargo spargel",
    "0804": "avocado aguacate palta avocat abacate mango mangue manga pineapple pina ananas abacaxi",
    "0810": "blueberry arandano myrtille mirtilo heidelbeere pitahaya "
    "pitaya gulupa strawberry fresa fraise morango erdbeere",
    "0806": "grape uva raisin traube weintraube",
    "0803": "banana platano banane",
    "0805": "citrus citrico agrume citrino lemon limon citron limao zitrone orange naranja laranja",
    "0811": "pulp pulpa pulpe polpa acai",
    "2009": "juice jugo zumo jus suco saft",
    "2204": "wine vino vin vinho wein",
    "2208": "mezcal tequila pisco rum ron rhum spirit destilado spiritueux aguardente spirituosen",
    "0603": "flower flor fleur blume rose rosa gypsophila",
    "51": "wool lana laine wolle",
    "5105": "alpaca alpaga alpaka",
    "5108": "alpaca alpaga alpaka",
    "6110": "alpaca alpaga alpaka sweater jumper pullover jersey sueter pull camisola",
    "6214": "alpaca alpaga alpaka scarf shawl bufanda chal echarpe cachecol xaile schal",
    "5205": "yarn hilado hilo fil fio garn",
    "52": "cotton algodon coton algodao baumwolle",
    "6109": "shirt camiseta tee camisa",
    "6204": "dress vestido robe kleid",
    "61": "apparel clothing garment ropa prenda vetement roupa vestuario bekleidung knitwear",
    "62": "apparel clothing garment ropa prenda vetement roupa vestuario bekleidung",
    "69": "ceramic ceramica ceramique keramik pottery alfareria "
    "poterie olaria talavera porcelain porcelana porcelaine",
    "6907": "tile azulejo carreau ladrilho fliese",
    "6912": "tableware vajilla vaisselle louca geschirr",
    "7113": "jewellery jewelry joyeria bijou bijoux joia schmuck earring arete",
    "7106": "silver plata argent prata silber",
    "5805": "tapestry tapiz tapisserie tapecaria wandteppich",
    "57": "rug carpet alfombra tapis tapete teppich",
    "9602": "tagua corozo",
    "6504": "hat sombrero chapeau chapeu hut toquilla",
    "4602": "basket canasta cesta panier cesto korb wickerwork",
    "45": "cork corcho liege cortica kork",
    "4202": "handbag wallet bolso cartera maroquinerie carteira handtasche",
    "8541": "solar photovoltaic fotovoltaico photovoltaique photovoltaik",
    "8504": "inverter inversor onduleur wechselrichter",
    "8424": "sprayer aspersora pulverizador pulverisateur irrigation riego irrigacao bewasserung",
    "8432": "seeder sembradora semoir semeadora",
    "8436": "seeder sembradora",
    "8419": "dryer secadora sechoir secador",
    "3301": "essential esencial essentielle essencial atherisch",
    "3304": "cosmetic cosmetico cosmetique kosmetik skincare",
    "151590": "shea karite sacha inchi",
    "1106": "baobab",
    "1211": "hibiscus bissap herb hierba herbe erva krauter",
    "0409": "honey miel mel honig",
    "0902": "tea te the cha tee",
    "0904": "pepper pimienta poivre pimenta pfeffer",
    "0905": "vanilla vainilla vanille baunilha",
    "0910": "ginger jengibre gingembre gengibre ingwer turmeric curcuma kurkuma",
    "09": "spice especia epice especiaria gewurz",
    "17": "sugar azucar sucre acucar zucker panela",
    "1006": "rice arroz riz reis",
    "0713": "bean frijol haricot feijao bohne lentil lenteja lentille lentilha linse",
    "03": "fish pescado poisson peixe fisch seafood marisco",
    "0306": "shrimp prawn camaron langostino crevette camarao garnele",
    "41": "leather cuero cuir couro leder",
    "94": "furniture mueble meuble movel mobel",
    "44": "wood madera bois madeira holz wooden",
    "2106": "guarana",
    "1008": "grain cereal cereale graos getreide",
    "1005": "maize corn maiz milho",
    "8437": "mill molino moulin moinho muhle",
    "8433": "harvester cosechadora moissonneuse colheitadeira",
    "8701": "tractor tracteur trator traktor",
}

# Two-word names that mean something else than their words alone.
_PHRASES: dict[tuple[str, str], str] = {
    ("brazil", "nut"): "0801",
    ("noix", "bresil"): "0801",
    ("cocoa", "butter"): "1804",
    ("manteca", "cacao"): "1804",
    ("beurre", "cacao"): "1804",
    ("passion", "fruit"): "0810",
    ("fruit", "passion"): "0810",
    ("maracuya",): "0810",
    ("maracuja",): "0810",
}


def normalise_word(word: str) -> str:
    """Lower case, accents removed, a final "s" dropped from words longer than three letters."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(char for char in word if not unicodedata.combining(char))
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def _is_stopword(raw: str) -> bool:
    lower = raw.lower()
    singular = lower[:-1] if len(lower) > 3 and lower.endswith("s") and not lower.endswith("ss") else lower
    return lower in STOPWORDS or singular in STOPWORDS


def words_of(text: str) -> list[str]:
    """The normalised words of a text, stopwords and one-letter words left out, in order."""
    found = []
    for raw in WORD.findall(text or ""):
        word = normalise_word(raw)
        if len(word) > 1 and not _is_stopword(raw) and not word.isdigit():
            found.append(word)
    return found


@cache
def trade_words() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for code, words in _TRADE_WORDS_BY_CODE.items():
        for word in words.split():
            table.setdefault(normalise_word(word), set()).add(code)
    return {word: frozenset(codes) for word, codes in table.items()}


@cache
def nomenclature_words() -> dict[str, frozenset[str]]:
    """English word -> headings (4 digits) of the subheadings whose text names it, for specific words only."""
    hits: dict[str, set[str]] = {}
    for code, entry in nomenclature().items():
        if len(code) != 6:
            continue
        for word in set(words_of(entry.description)):
            if len(word) >= 4 and not word.isdigit():
                hits.setdefault(word, set()).add(code)
    return {
        word: frozenset(code[:4] for code in codes)
        for word, codes in hits.items()
        if len(codes) <= NOMENCLATURE_MAX_HITS
    }


def bridge_codes(text: str) -> dict[str, str]:
    """HS prefixes the words of `text` name, each with the (normalised) word that named it."""
    words = words_of(text)
    found: dict[str, str] = {}
    for first, second in zip(words, words[1:], strict=False):
        code = _PHRASES.get((first, second))
        if code:
            found.setdefault(code, f"{first} {second}")
    table = trade_words()
    english = nomenclature_words()
    for word in words:
        code = _PHRASES.get((word,))
        if code:
            found.setdefault(code, word)
        for code in sorted(table.get(word, ())):
            found.setdefault(code, word)
        if word not in table:
            for code in sorted(english.get(word, ())):
                found.setdefault(code, word)
    return found


# Sector slug -> its name in en, es, fr, pt (and de), as buyers might write it.
SECTOR_WORDS: dict[str, str] = {
    "agrifood": "agrifood agri-food food alimento alimentos agroalimentario agroalimentaire alimentaire "
    "alimentar agroalimentar lebensmittel",
    "beverages": "beverages drinks bebidas boissons bebidas getranke",
    "textiles": "textiles apparel clothing textil textiles confeccion vetements textile vestuario "
    "textilien bekleidung",
    "handicrafts": "handicrafts crafts design artesania artesanias artisanat artesanato kunsthandwerk",
    "industrial-tech": "industry technology machinery industria tecnologia maquinaria industrie "
    "technologie machines tecnologia maquinas maschinen",
    "natural-ingredients": "cosmetics ingredients cosmeticos ingredientes cosmetiques ingredients "
    "ingredientes naturkosmetik",
}


@cache
def sector_words() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for slug, words in SECTOR_WORDS.items():
        for word in WORD.findall(words):
            table.setdefault(normalise_word(word), set()).add(slug)
    return {word: frozenset(slugs) for word, slugs in table.items()}


def bridge_sectors(text: str) -> set[str]:
    """Slugs of the sectors whose names (in any language the bridge knows) appear in `text`."""
    table = sector_words()
    found: set[str] = set()
    for raw in WORD.findall(text or ""):
        found |= table.get(normalise_word(raw), frozenset())
    return found


def query_codes(words: list[str]) -> list[str]:
    """HS prefixes for a directory search that is one goods word ("Kaffee") or a known two-word name
    ("noix du Brésil"); anything longer is left to the text search, which wants every word."""
    normalised = [normalise_word(word) for word in words]
    normalised = [word for word in normalised if word not in {"de", "du", "do", "da"}]
    if len(normalised) == 2:
        code = _PHRASES.get(tuple(normalised))
        return [code] if code else []
    if len(normalised) != 1:
        return []
    word = normalised[0]
    codes = set(trade_words().get(word, ()))
    phrase = _PHRASES.get((word,))
    if phrase:
        codes.add(phrase)
    if not codes:
        codes = set(nomenclature_words().get(word, ()))
    return sorted(codes)
