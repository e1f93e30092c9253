"""The demo seed's steps for exhibitors: companies, their catalogues, their booths and applications.

Mixed into the seeder (cms/demo/seed.py), which holds what the steps share: the fairs, halls, packages,
sectors, certifications, the demo people, the image collection and the report.
"""

from datetime import time

from cms.demo import data, images
from exhibitors.enums import ApplicationStatus, MembershipRole
from exhibitors.models import (
    Booth,
    BoothApplication,
    BoothDocument,
    BoothImage,
    BoothLink,
    BoothProduct,
    Company,
    Membership,
    OfficeHours,
    Product,
    ProductImage,
    User,
)
from exhibitors.services.applications import booth_application_transition, booth_terms_changed
from fair.models import Hall


class ExhibitorSteps:
    """Create each demo company, its catalogue and its booth where missing."""

    def company(self, company_data: data.CompanyData) -> None:
        company = Company.objects.filter(slug=company_data.slug).first()
        if company is None:
            company = Company.objects.create(
                slug=company_data.slug,
                legal_name=company_data.legal_name,
                country=company_data.country,
                city=company_data.city,
                description=company_data.description,
                description_language=company_data.language,
                website=f"https://www.{company_data.slug}.example",
                export_markets=list(company_data.export_markets),
                founded_year=company_data.founded_year,
                size=company_data.size,
                tax_id=company_data.tax_id,
            )
            company.sectors.set([self.sectors[slug] for slug in company_data.sectors])
            company.certifications.set([self.certifications[slug] for slug in company_data.certifications])
            self.report.count("companies")

        owner = self.company_owner(company, company_data)
        products = self.products(company, company_data)
        booth = self.live_booth(company, company_data, owner)
        if not booth.booth_products.exists():
            BoothProduct.objects.bulk_create(
                BoothProduct(booth=booth, product=product, sort_order=order)
                for order, product in enumerate(products[: booth.package.max_products])
            )

    def company_owner(self, company: Company, company_data: data.CompanyData) -> User:
        if company_data.slug == data.DEMO_OWNER_COMPANY:
            owner = self.people["owner"]
        else:
            owner, _ = self.user(
                email=f"team@{company_data.slug}.example",
                password=None,
                preferred_language=company_data.language,
            )
        _, created = Membership.objects.get_or_create(
            user=owner, company=company, defaults={"role": MembershipRole.OWNER}
        )
        if created:
            self.report.count("memberships")
        return owner

    def products(self, company: Company, company_data: data.CompanyData) -> list[Product]:
        existing = {product.name: product for product in company.products.all()}
        products = []
        for order, product_data in enumerate(company_data.products):
            product = existing.get(product_data.name)
            if product is None:
                product = Product.objects.create(
                    company=company,
                    name=product_data.name,
                    description=product_data.description,
                    language=company_data.language,
                    hs_code=product_data.hs_code,
                    min_order_quantity=product_data.min_order,
                    unit=product_data.unit,
                    price_min=product_data.price_min,
                    price_max=product_data.price_max,
                    currency=company_data.currency,
                    lead_time_days=product_data.lead_time_days,
                    sort_order=order,
                )
                product.certifications.set(
                    [self.certifications[slug] for slug in product_data.certifications]
                )
                self.report.count("products")
            if not product.images.exists():
                ProductImage.objects.create(
                    product=product,
                    image=self.image(
                        title=f"{company.legal_name} – {product.name}",
                        content=images.photo_jpeg(
                            size=images.scaled(images.PRODUCT_SIZE, self.scale),
                            palette=company_data.palette,
                            seed=f"{company.slug}/{product.name}",
                            caption=product.name,
                        ),
                        filename=f"{company.slug}-product-{order + 1}.jpg",
                    ),
                )
            products.append(product)
        return products

    def live_booth(self, company: Company, company_data: data.CompanyData, owner: User) -> Booth:
        fair = self.fairs["live"]
        package = self.packages["live"][self.package_name(company_data.package)]
        booth = Booth.objects.filter(company=company, fair=fair).select_related("package").first()
        if booth is None:
            booth = Booth.objects.create(
                company=company,
                fair=fair,
                hall=self.hall("live", company_data.hall),
                package=package,
                tagline=company_data.tagline,
                description=company_data.booth_text,
                language=company_data.language,
                video_url=f"https://video.{company_data.slug}.example/visit" if company_data.video else "",
                featured=company_data.featured,
            )
            self.report.count("booths")
            application = BoothApplication.objects.create(booth=booth, submitted_by=owner)
            booth_application_transition(
                application=application, to=ApplicationStatus.APPROVED, by=self.people["staff"]
            )
        if booth.logo_id is None or booth.cover_id is None:
            booth.logo = booth.logo or self.image(
                title=f"{company.legal_name} – logo",
                content=images.logo_png(
                    size=images.scaled(images.LOGO_SIZE, self.scale),
                    palette=company_data.palette,
                    initials=_initials(company.legal_name),
                    seed=company.slug,
                ),
                filename=f"{company.slug}-logo.png",
            )
            booth.cover = booth.cover or self.image(
                title=f"{company.legal_name} – cover",
                content=images.photo_jpeg(
                    size=images.scaled(images.COVER_SIZE, self.scale),
                    palette=company_data.palette,
                    seed=f"{company.slug}/cover",
                    caption=company_data.tagline,
                ),
                filename=f"{company.slug}-cover.jpg",
            )
            booth.save(update_fields=["logo", "cover"])
        if not booth.gallery.exists():
            for order, caption in enumerate(company_data.gallery[: booth.package.gallery_size]):
                BoothImage.objects.create(
                    booth=booth,
                    caption=caption,
                    sort_order=order,
                    image=self.image(
                        title=f"{company.legal_name} – {caption}",
                        content=images.photo_jpeg(
                            size=images.scaled(images.PHOTO_SIZE, self.scale),
                            palette=company_data.palette,
                            seed=f"{company.slug}/gallery/{order}",
                            caption=caption,
                        ),
                        filename=f"{company.slug}-gallery-{order + 1}.jpg",
                    ),
                )
        if not booth.brochures.exists():
            title = f"{company.legal_name} – {fair.title}"
            BoothDocument.objects.create(
                booth=booth,
                title=_brochure_title(company_data.language),
                document=self.document(
                    title=title,
                    content=images.brochure_pdf(
                        size=images.scaled(images.BROCHURE_SIZE, self.scale),
                        palette=company_data.palette,
                        seed=f"{company.slug}/brochure",
                        title=company.legal_name,
                        lines=[product.name for product in company_data.products],
                    ),
                    filename=f"{company.slug}-brochure.pdf",
                ),
            )
        if not booth.office_hours.exists():
            OfficeHours.objects.bulk_create(
                OfficeHours(
                    booth=booth,
                    weekday=day,
                    opens_at=time.fromisoformat(opens),
                    closes_at=time.fromisoformat(closes),
                )
                for day, opens, closes in company_data.office_hours
            )
        if not booth.links.exists():
            website = f"https://www.{company.slug}.example"
            labels = LINK_LABELS.get(company_data.language, LINK_LABELS["en"])
            BoothLink.objects.bulk_create(
                [
                    BoothLink(booth=booth, label=labels[0], url=website, sort_order=0),
                    BoothLink(booth=booth, label=labels[1], url=f"{website}/price-list", sort_order=1),
                ]
            )
        return booth

    def upcoming_applications(self) -> None:
        fair = self.fairs["upcoming"]
        by_slug = {
            company.slug: company for company in Company.objects.filter(slug__in=data.UPCOMING_APPLICANTS)
        }
        company_data = {company.slug: company for company in data.COMPANIES}
        for slug in data.UPCOMING_APPLICANTS:
            company = by_slug[slug]
            if Booth.objects.filter(company=company, fair=fair).exists():
                continue
            live = Booth.objects.filter(company=company, fair=self.fairs["live"]).first()
            booth = Booth.objects.create(
                company=company,
                fair=fair,
                hall=self.hall("upcoming", company_data[slug].hall),
                package=self.packages["upcoming"][self.package_name(company_data[slug].package)],
                tagline=company_data[slug].tagline,
                description=company_data[slug].booth_text,
                language=company_data[slug].language,
                logo=live.logo if live else None,
                cover=live.cover if live else None,
            )
            owner = company.memberships.filter(role=MembershipRole.OWNER).first()
            BoothApplication.objects.create(booth=booth, submitted_by=owner.user if owner else None)
            booth_terms_changed(booth=booth)  # as submitting does: the booth-fee order is made
            self.report.count("pending applications")

    def hall(self, fair_key: str, hall_key: str) -> Hall:
        return self.halls[fair_key][next(hall.name for hall in data.HALLS if hall.key == hall_key)]

    @staticmethod
    def package_name(key: str) -> str:
        return next(package.name for package in data.PACKAGES if package.key == key)


def _initials(name: str) -> str:
    words = [word for word in name.replace(",", " ").split() if word[:1].isupper() and len(word) > 2]
    return "".join(word[0] for word in words[:2]) or name[:2].upper()


def _brochure_title(language: str) -> str:
    return BROCHURE_TITLES.get(language, BROCHURE_TITLES["en"])


# Booth content is written in the company's language, like the rest of its texts.
BROCHURE_TITLES = {
    "en": "Catalogue 2026 (PDF)",
    "es": "Catálogo 2026 (PDF)",
    "fr": "Catalogue 2026 (PDF)",
    "pt": "Catálogo 2026 (PDF)",
}
LINK_LABELS = {
    "en": ("Website", "Price list"),
    "es": ("Sitio web", "Lista de precios"),
    "fr": ("Site web", "Liste de prix"),
    "pt": ("Site", "Tabela de preços"),
}
