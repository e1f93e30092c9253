"""The scorer: plain data in, scores and reasons out. No database here, so the labelled set in
tests/data/matchmaking/ measures exactly what the pages use. Rules and weights: docs/matchmaking.md."""

from dataclasses import dataclass, field

from fair.matchmaking.bridge import bridge_codes, bridge_sectors, words_of

# Goods: what the exhibitor sells against what the buyer looks for.
WEIGHT_HS_SUBHEADING = 40  # a product's 6-digit code is one the buyer gave
WEIGHT_HS_HEADING = 30  # a product is in a 4-digit heading the buyer gave (or shares its first 4 digits)
WEIGHT_HS_CHAPTER = 15  # a product is in a 2-digit chapter the buyer gave
WEIGHT_HS_MORE = 5  # each further HS code of the buyer's the booth also sells
WEIGHT_HS_MORE_CAP = 10
WEIGHT_BRIDGE = 20  # a buyer's word names an HS code the booth sells (only without an HS-code match)
WEIGHT_KEYWORD = 12  # each buyer keyword found in the booth's texts
WEIGHT_KEYWORD_CAP = 24
WEIGHT_SIMILAR = 10  # sells goods of the same heading as a booth the buyer saved or wrote to
# The booth itself.
WEIGHT_SECTOR = 10  # works in one of the buyer's sectors (chosen, or named in their words)
WEIGHT_SAVED = 5  # the buyer saved this booth or one of its products
WEIGHT_CHATTED = 5  # the buyer is in conversation with the company
# Extras: count only when the booth matched on goods (or the buyer named no goods at all).
WEIGHT_CERTIFICATION = 10  # each certification the buyer asked for, held by the company or a product
WEIGHT_CERTIFICATION_CAP = 20
WEIGHT_EXPORTS_TO = 8  # the company already exports to the buyer's country
WEIGHT_ORIGIN = 8  # the company is in a country the buyer buys from
WEIGHT_ORDER_SIZE = 4  # minimum orders fit the buyer's usual order size

SMALL_LOT_MAX = 500  # a minimum order up to this (in any unit) suits "small lots and samples"
CONTAINER_MIN = 5000  # a minimum order from this (in any unit) suits "full containers"
LARGE_COMPANY_SIZES = {"medium", "large"}


@dataclass(frozen=True)
class ProductFacts:
    id: int
    name: str
    description: str
    hs_code: str
    min_order: int | None = None
    unit: str = ""
    certifications: frozenset[str] = frozenset()
    # Those of `certifications` a certificate naming this product proves, checked by the chamber.
    verified_certifications: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ExhibitorFacts:
    """One booth (or, for the exhibitors' side, one company's catalogue) as the scorer sees it."""

    key: int  # booth id on the buyers' side, company id on the exhibitors' side
    company_id: int
    name: str
    country: str
    sectors: frozenset[str] = frozenset()
    export_markets: frozenset[str] = frozenset()
    certifications: frozenset[str] = frozenset()
    # Those of `certifications` a chamber-verified certificate proves (exhibitors/certificates).
    verified_certifications: frozenset[str] = frozenset()
    size: str = ""
    text: str = ""  # company description, tagline, booth text
    products: tuple[ProductFacts, ...] = ()
    slug: str = ""

    @property
    def words(self) -> frozenset[str]:
        parts = [self.name, self.text] + [f"{p.name} {p.description}" for p in self.products]
        return frozenset(words_of(" ".join(parts)))

    @property
    def all_certifications(self) -> frozenset[str]:
        found = set(self.certifications)
        for product in self.products:
            found |= product.certifications
        return frozenset(found)

    @property
    def all_verified_certifications(self) -> frozenset[str]:
        found = set(self.verified_certifications)
        for product in self.products:
            found |= product.verified_certifications
        return frozenset(found)


@dataclass(frozen=True)
class BuyerFacts:
    key: int = 0
    country: str = ""
    sectors: frozenset[str] = frozenset()
    hs_codes: tuple[str, ...] = ()
    keywords: str = ""
    looking_for: str = ""
    target_certifications: frozenset[str] = frozenset()
    origin_countries: frozenset[str] = frozenset()
    order_size: str = ""
    saved_booths: frozenset[int] = frozenset()
    saved_products: frozenset[int] = frozenset()
    chatted_companies: frozenset[int] = frozenset()

    @property
    def keyword_words(self) -> dict[str, str]:
        """Normalised keyword -> the word as the buyer wrote it."""
        found: dict[str, str] = {}
        for raw in self.keywords.replace(",", " ").replace(";", " ").split():
            for word in words_of(raw):
                found.setdefault(word, raw.strip(".()“”\"'").lower())
        return found

    @property
    def bridged(self) -> dict[str, str]:
        return bridge_codes(f"{self.keywords} {self.looking_for}")

    @property
    def all_sectors(self) -> frozenset[str]:
        return self.sectors | bridge_sectors(f"{self.keywords} {self.looking_for}")

    @property
    def names_goods(self) -> bool:
        return bool(self.hs_codes or self.keywords.strip() or self.bridged)


@dataclass(frozen=True)
class Reason:
    """Why a match was made: a kind (docs/matchmaking.md lists them) and what the sentence names."""

    kind: str
    params: tuple[tuple[str, object], ...] = ()

    def get(self, name: str, default=None):
        return dict(self.params).get(name, default)


def reason(kind: str, **params) -> Reason:
    return Reason(kind, tuple(sorted(params.items())))


@dataclass
class Match:
    key: int
    score: int
    reasons: list[Reason] = field(default_factory=list)
    product_scores: dict[int, tuple[int, list[Reason]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Prepared:
    """A buyer's facts worked out once for scoring many exhibitors."""

    buyer: BuyerFacts
    keywords: dict[str, str]
    bridged: dict[str, str]
    sectors: frozenset[str]
    sectors_named: frozenset[str]
    names_goods: bool
    similar: dict[str, tuple[str, str]]  # heading -> (company name, "saved" | "chatted")


def prepare(buyer: BuyerFacts, exhibitors: list[ExhibitorFacts] | None = None) -> Prepared:
    """Work out the buyer's words, bridged codes and the headings of the booths they saved or wrote to."""
    similar: dict[str, tuple[str, str]] = {}
    for facts in exhibitors or ():
        how = ""
        if facts.key in buyer.saved_booths:
            how = "saved"
        elif facts.company_id in buyer.chatted_companies:
            how = "chatted"
        for product in facts.products:
            product_how = how or ("saved" if product.id in buyer.saved_products else "")
            if product_how and product.hs_code:
                similar.setdefault(product.hs_code[:4], (facts.name, product_how))
    named = bridge_sectors(f"{buyer.keywords} {buyer.looking_for}")
    return Prepared(
        buyer=buyer,
        keywords=buyer.keyword_words,
        bridged=buyer.bridged,
        sectors=buyer.sectors | named,
        sectors_named=frozenset(named - buyer.sectors),
        names_goods=buyer.names_goods,
        similar=similar,
    )


def _hs_level(buyer_code: str, product_code: str) -> int:
    """The weight of a buyer's HS code against a product's: exact, same heading, same chapter, or 0."""
    if not product_code or not buyer_code:
        return 0
    if len(buyer_code) == 6:
        if product_code == buyer_code:
            return WEIGHT_HS_SUBHEADING
        return WEIGHT_HS_HEADING if product_code[:4] == buyer_code[:4] else 0
    if len(buyer_code) == 4:
        return WEIGHT_HS_HEADING if product_code.startswith(buyer_code) else 0
    return WEIGHT_HS_CHAPTER if product_code.startswith(buyer_code) else 0


def _score_product(prepared: Prepared, product: ProductFacts) -> tuple[int, list[Reason], dict]:
    """A product's own score and reasons, and which buyer codes and words it matched."""
    score = 0
    reasons: list[Reason] = []
    codes: dict[str, int] = {}
    for code in prepared.buyer.hs_codes:
        weight = _hs_level(code, product.hs_code)
        if weight:
            codes[code] = weight
    if codes:
        best = max(codes, key=lambda code: (codes[code], len(code)))
        score += codes[best]
        shown = best[:4] if len(best) == 6 and codes[best] == WEIGHT_HS_HEADING else best
        reasons.append(reason("hs", code=shown))
    bridged = ""
    if not codes:
        for code, word in prepared.bridged.items():
            if product.hs_code.startswith(code):
                bridged = code
                score += WEIGHT_BRIDGE
                reasons.append(reason("bridge", code=product.hs_code[:4], word=word))
                break
    words = frozenset(words_of(f"{product.name} {product.description}"))
    found = [word for word in prepared.keywords if word in words]
    if found:
        score += min(WEIGHT_KEYWORD * len(found), WEIGHT_KEYWORD_CAP)
        reasons.append(reason("keyword", word=prepared.keywords[found[0]]))
    if score:
        asked = sorted(prepared.buyer.target_certifications & product.certifications)
        for slug in asked[:2]:
            score += WEIGHT_CERTIFICATION
            reasons.append(_certification_reason(slug, product.verified_certifications))
    return score, reasons, {"codes": codes, "bridged": bridged}


def _certification_reason(slug: str, verified: frozenset[str]) -> Reason:
    if slug in verified:
        return reason("certification", slug=slug, verified=True)
    return reason("certification", slug=slug)


def score_exhibitor(prepared: Prepared, facts: ExhibitorFacts, *, signals: bool = True) -> Match | None:
    """The exhibitor's score for this buyer with its reasons, or None when nothing matches.

    `signals` (the buyer's saved booths and conversations) count only on the buyer's own page: they are
    private, so an exhibitor's list of recommended buyers never uses them."""
    buyer = prepared.buyer
    reasons: list[Reason] = []
    products: dict[int, tuple[int, list[Reason]]] = {}
    matched_codes: dict[str, int] = {}
    bridged: set[str] = set()
    for product in facts.products:
        score, product_reasons, matched = _score_product(prepared, product)
        for code, weight in matched["codes"].items():
            matched_codes[code] = max(weight, matched_codes.get(code, 0))
        if matched["bridged"]:
            bridged.add(matched["bridged"])
        if score:
            products[product.id] = (score, product_reasons)

    goods = 0
    if matched_codes:
        ranked = sorted(matched_codes, key=lambda code: (-matched_codes[code], -len(code), code))
        goods += matched_codes[ranked[0]]
        goods += min(WEIGHT_HS_MORE * (len(ranked) - 1), WEIGHT_HS_MORE_CAP)
        for code in ranked[:2]:
            # A 6-digit code matched only by its heading is named by the heading the booth really sells.
            shown = code[:4] if len(code) == 6 and matched_codes[code] == WEIGHT_HS_HEADING else code
            reasons.append(reason("hs", code=shown))
    else:
        exhibitor_codes = [product.hs_code for product in facts.products if product.hs_code]
        for code, word in prepared.bridged.items():
            if any(product_code.startswith(code) for product_code in exhibitor_codes):
                goods += WEIGHT_BRIDGE
                shown = code if len(code) >= 4 else next(c for c in exhibitor_codes if c.startswith(code))[:4]
                reasons.append(reason("bridge", code=shown, word=word))
                break
    words = facts.words
    found = [word for word in prepared.keywords if word in words]
    if found:
        goods += min(WEIGHT_KEYWORD * len(found), WEIGHT_KEYWORD_CAP)
        reasons.append(reason("keyword", word=", ".join(prepared.keywords[word] for word in found[:3])))
    if signals and facts.key not in buyer.saved_booths and facts.company_id not in buyer.chatted_companies:
        for product in facts.products:
            source = prepared.similar.get(product.hs_code[:4])
            if source and source[0] != facts.name:
                goods += WEIGHT_SIMILAR
                reasons.append(reason("similar", code=product.hs_code[:4], company=source[0], how=source[1]))
                break

    score = goods
    sectors = sorted(facts.sectors & prepared.sectors)
    if sectors:
        score += WEIGHT_SECTOR
        reasons.append(reason("sector", slug=sectors[0], named=sectors[0] in prepared.sectors_named))
    if signals:
        saved_product = any(product.id in buyer.saved_products for product in facts.products)
        if facts.key in buyer.saved_booths or saved_product:
            score += WEIGHT_SAVED
            reasons.append(reason("saved"))
        if facts.company_id in buyer.chatted_companies:
            score += WEIGHT_CHATTED
            reasons.append(reason("chatted"))
    if score == 0:
        return None

    if goods or not prepared.names_goods:
        held = sorted(buyer.target_certifications & facts.all_certifications)
        if held:
            score += min(WEIGHT_CERTIFICATION * len(held), WEIGHT_CERTIFICATION_CAP)
            verified = facts.all_verified_certifications
            # Chamber-verified ones are named first: they are the ones a buyer can rely on.
            held.sort(key=lambda slug: (slug not in verified, slug))
            reasons.extend(_certification_reason(slug, verified) for slug in held[:2])
        if buyer.country and buyer.country in facts.export_markets:
            score += WEIGHT_EXPORTS_TO
            reasons.append(reason("exports_to", country=buyer.country))
        if facts.country and facts.country in buyer.origin_countries:
            score += WEIGHT_ORIGIN
            reasons.append(reason("origin", country=facts.country))
        fit = _order_size_fit(buyer.order_size, facts)
        if fit:
            score += WEIGHT_ORDER_SIZE
            reasons.append(fit)
    return Match(key=facts.key, score=score, reasons=reasons, product_scores=products)


def _order_size_fit(order_size: str, facts: ExhibitorFacts) -> Reason | None:
    minimums = [product.min_order for product in facts.products if product.min_order]
    if order_size == "small" and minimums and min(minimums) <= SMALL_LOT_MAX:
        smallest = min(facts.products, key=lambda product: product.min_order or 10**12)
        return reason("order_small", quantity=smallest.min_order, unit=smallest.unit)
    if order_size == "large" and (
        facts.size in LARGE_COMPANY_SIZES or any(quantity >= CONTAINER_MIN for quantity in minimums)
    ):
        return reason("order_large")
    return None


def rank(
    buyer: BuyerFacts, exhibitors: list[ExhibitorFacts], *, limit: int | None = None, signals: bool = True
) -> list[Match]:
    """Matches best first; ties by name (A to Z), then key. Featured or sponsored plays no part."""
    prepared = prepare(buyer, exhibitors if signals else None)
    names = {facts.key: facts.name.casefold() for facts in exhibitors}
    matches = [match for facts in exhibitors if (match := score_exhibitor(prepared, facts, signals=signals))]
    matches.sort(key=lambda match: (-match.score, names[match.key], match.key))
    return matches[:limit] if limit else matches
