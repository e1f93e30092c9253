"""Reads that turn booths, companies and buyer profiles into the scorer's facts, in a fixed number of
queries however many there are."""

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from exhibitors.certificates.selectors import (
    verified_certifications_from_json,
    verified_certifications_subquery,
)
from exhibitors.enums import ConsentKind
from exhibitors.models import (
    Booth,
    BoothProduct,
    BuyerProfile,
    Certification,
    Company,
    Consent,
    Product,
    Sector,
)
from fair.chat.models import Conversation
from fair.matchmaking.scoring import BuyerFacts, ExhibitorFacts, ProductFacts
from fair.models import Favourite


def _product_facts(product: Product, verified: dict[int, frozenset[str]]) -> ProductFacts:
    proven = verified.get(product.pk, frozenset())
    return ProductFacts(
        id=product.pk,
        name=product.name,
        description=product.description,
        hs_code=product.hs_code or "",
        min_order=product.min_order_quantity,
        unit=product.unit,
        certifications=frozenset(cert.slug for cert in product.certifications.all()) | proven,
        verified_certifications=proven,
    )


def _company_parts(company: Company, verified: frozenset[str]) -> dict:
    return {
        "company_id": company.pk,
        "name": company.legal_name,
        "country": str(company.country),
        "sectors": frozenset(sector.slug for sector in company.sectors.all()),
        "export_markets": frozenset(str(code) for code in company.export_markets),
        "certifications": frozenset(cert.slug for cert in company.certifications.all()) | verified,
        "verified_certifications": verified,
        "size": company.size,
        "slug": company.slug,
    }


def booth_facts(booths: QuerySet[Booth]) -> list[ExhibitorFacts]:
    """Each booth with its company and the products it shows: five queries (what the company's verified
    certificates prove comes with the booths' query)."""
    shown = BoothProduct.objects.select_related("product").prefetch_related("product__certifications")
    rows = (
        booths.select_related("company")
        .prefetch_related(
            "company__sectors",
            "company__certifications",
            Prefetch("booth_products", queryset=shown.order_by("sort_order", "id"), to_attr="shown_products"),
        )
        .annotate(verified_json=verified_certifications_subquery())
    )
    facts = []
    for booth in rows:
        company_verified, product_verified = verified_certifications_from_json(booth.verified_json)
        text = " ".join(
            part for part in (booth.company.description, booth.tagline, booth.description) if part
        )
        facts.append(
            ExhibitorFacts(
                key=booth.pk,
                text=text,
                products=tuple(
                    _product_facts(item.product, product_verified) for item in booth.shown_products
                ),
                **_company_parts(booth.company, company_verified),
            )
        )
    return facts


def company_facts(company_id: int) -> ExhibitorFacts | None:
    """A company with its whole catalogue, for the exhibitors' side: four queries."""
    company = (
        Company.objects.filter(pk=company_id)
        .prefetch_related(
            "sectors",
            "certifications",
            Prefetch("products", queryset=Product.objects.prefetch_related("certifications").order_by("pk")),
        )
        .annotate(verified_json=verified_certifications_subquery("pk"))
        .first()
    )
    if company is None:
        return None
    company_verified, product_verified = verified_certifications_from_json(company.verified_json)
    return ExhibitorFacts(
        key=company.pk,
        text=company.description,
        products=tuple(_product_facts(product, product_verified) for product in company.products.all()),
        **_company_parts(company, company_verified),
    )


def _profile_parts(profile: BuyerProfile) -> dict:
    return {
        "key": profile.pk,
        "country": str(profile.country),
        "sectors": frozenset(sector.slug for sector in profile.sectors.all()),
        "hs_codes": tuple(profile.hs_codes or ()),
        "keywords": profile.keywords,
        "looking_for": profile.looking_for,
        "target_certifications": frozenset(cert.slug for cert in profile.target_certifications.all()),
        "origin_countries": frozenset(str(code) for code in profile.origin_countries),
        "order_size": profile.order_size,
    }


def buyer_profile_of(user) -> BuyerProfile | None:
    return BuyerProfile.objects.filter(user=user).prefetch_related("sectors", "target_certifications").first()


def buyer_facts(profile: BuyerProfile, *, with_signals: bool) -> BuyerFacts:
    """The profile, plus (on the buyer's own page) what they saved and whom they wrote to: two queries."""
    parts = _profile_parts(profile)
    if with_signals:
        saved = list(Favourite.objects.filter(user_id=profile.user_id).values_list("booth_id", "product_id"))
        parts["saved_booths"] = frozenset(booth for booth, _ in saved if booth)
        parts["saved_products"] = frozenset(product for _, product in saved if product)
        parts["chatted_companies"] = frozenset(
            Conversation.objects.filter(buyer_id=profile.user_id).values_list("company_id", flat=True)
        )
    return BuyerFacts(**parts)


def discoverable_q_subquery():
    """The person's latest answer about being found by exhibitors, as a subquery (None: never asked)."""
    latest = Consent.objects.filter(user=OuterRef("user_id"), kind=ConsentKind.DISCOVERABLE).order_by(
        "-recorded_at", "-pk"
    )
    return Subquery(latest.values("granted")[:1])


def discoverable_profiles(*, exclude_users: QuerySet) -> QuerySet[BuyerProfile]:
    """Buyer profiles whose owners' latest word is that exhibitors may find them."""
    return (
        BuyerProfile.objects.annotate(discoverable=discoverable_q_subquery())
        .filter(discoverable=True)
        .exclude(user__in=exclude_users)
        .prefetch_related("sectors", "target_certifications")
    )


def names_for_reasons() -> dict[str, str]:
    """Sector and certification names by slug, for the sentences: two small queries."""
    names = dict(Sector.objects.values_list("slug", "name"))
    names.update(Certification.objects.values_list("slug", "name"))
    return names


def user_is_discoverable(user) -> bool:
    latest = (
        Consent.objects.filter(user=user, kind=ConsentKind.DISCOVERABLE)
        .order_by("-recorded_at", "-pk")
        .first()
    )
    return bool(latest and latest.granted)
