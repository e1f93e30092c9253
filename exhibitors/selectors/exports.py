"""The exhibitors app's sections of a data export (registered in exhibitors.apps): the person's profile,
consents and companies; a company's profile, people, products and booths."""

from allauth.account.models import EmailAddress

from exhibitors.models import Booth, BuyerProfile, Company, Consent, Membership, Product, User


def person_profile(*, person: User) -> list[dict]:
    profile = (
        BuyerProfile.objects.filter(user=person).prefetch_related("sectors", "target_certifications").first()
    )
    row = {
        "id": person.pk,
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_language": person.preferred_language,
        "time_zone": person.time_zone,
        "lite_mode": person.lite_mode,
        "date_joined": person.date_joined,
        "last_login": person.last_login,
        "other_emails": list(
            EmailAddress.objects.filter(user=person)
            .exclude(email=person.email)
            .values_list("email", flat=True)
        ),
        "buyer_profile": None,
    }
    if profile is not None:
        row["buyer_profile"] = {
            "company_name": profile.company_name,
            "country": str(profile.country),
            "sectors": [sector.name for sector in profile.sectors.all()],
            "hs_codes": profile.hs_codes,
            "keywords": profile.keywords,
            "looking_for": profile.looking_for,
            "looking_for_language": profile.looking_for_language,
            "target_certifications": [item.name for item in profile.target_certifications.all()],
            "origin_countries": [str(country) for country in profile.origin_countries],
            "order_size": profile.order_size,
            "personalised": profile.personalised,
        }
    return [row]


def person_consents(*, person: User) -> list[dict]:
    return [
        {
            "kind": consent.kind,
            "granted": consent.granted,
            "version": consent.version,
            "recorded_at": consent.recorded_at,
            "ip_address": consent.ip_address,
            # Set for consent to share contact details with one company.
            "company_id": consent.company_id,
            "company": consent.company.legal_name if consent.company_id else "",
        }
        for consent in Consent.objects.filter(user=person)
        .select_related("company")
        .order_by("recorded_at", "id")
    ]


def person_companies(*, person: User) -> list[dict]:
    return [
        {
            "company_id": membership.company_id,
            "company": membership.company.legal_name,
            "role": membership.role,
            "since": membership.created_at,
        }
        for membership in Membership.objects.filter(user=person).select_related("company").order_by("id")
    ]


def company_profile(*, company: Company) -> list[dict]:
    return [
        {
            "id": company.pk,
            "legal_name": company.legal_name,
            "slug": company.slug,
            "country": str(company.country),
            "city": company.city,
            "description": company.description,
            "website": company.website,
            "export_markets": [str(country) for country in company.export_markets],
            "sectors": [sector.name for sector in company.sectors.all()],
            "certifications": [item.name for item in company.certifications.all()],
            "founded_year": company.founded_year,
            "size": company.size,
            "tax_id": company.tax_id,
            "created_at": company.created_at,
        }
    ]


def company_members(*, company: Company) -> list[dict]:
    return [
        {
            "name": str(membership.user),
            "email": membership.user.email,
            "role": membership.role,
            "since": membership.created_at,
        }
        for membership in Membership.objects.filter(company=company).select_related("user").order_by("id")
    ]


def company_products(*, company: Company) -> list[dict]:
    return [
        {
            "id": product.pk,
            "name": product.name,
            "description": product.description,
            "hs_code": product.hs_code,
            "min_order_quantity": product.min_order_quantity,
            "unit": product.unit,
            "price_min": product.price_min,
            "price_max": product.price_max,
            "currency": product.currency,
            "lead_time_days": product.lead_time_days,
            "created_at": product.created_at,
        }
        for product in Product.objects.filter(company=company).order_by("id")
    ]


def company_booths(*, company: Company) -> list[dict]:
    booths = Booth.objects.filter(company=company).select_related("fair", "application").order_by("id")
    rows = []
    for booth in booths:
        application = getattr(booth, "application", None)
        rows.append(
            {
                "id": booth.pk,
                "fair": booth.fair.title,
                "tagline": booth.tagline,
                "description": booth.description,
                "video_url": booth.video_url,
                "application_status": application.status if application else "",
                "submitted_at": application.submitted_at if application else None,
                "decided_at": application.decided_at if application else None,
                "created_at": booth.created_at,
            }
        )
    return rows


def person_two_factor(*, person: User) -> list[dict]:
    """The person's second-factor devices by name only: never a secret key or a backup code."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    rows = [
        {
            "kind": "authenticator",
            "name": device.name,
            "confirmed": device.confirmed,
            "backup_codes_left": None,
        }
        for device in TOTPDevice.objects.filter(user=person).order_by("id")
    ]
    rows += [
        {
            "kind": "backup_codes",
            "name": device.name,
            "confirmed": device.confirmed,
            "backup_codes_left": device.token_set.count(),
        }
        for device in StaticDevice.objects.filter(user=person).order_by("id")
    ]
    return rows


def company_booth_applications(*, company: Company) -> list[dict]:
    """Each booth application of the company with the chamber's decision and its reason."""
    from exhibitors.models import BoothApplication

    applications = (
        BoothApplication.objects.filter(booth__company=company)
        .select_related("booth__fair", "submitted_by", "decided_by")
        .order_by("submitted_at", "id")
    )
    return [
        {
            "booth_id": application.booth_id,
            "fair": application.booth.fair.title,
            "status": application.status,
            "reason": application.reason,
            "submitted_by": str(application.submitted_by) if application.submitted_by_id else "",
            "submitted_at": application.submitted_at,
            "decided_by": "chamber" if application.decided_by_id else "",
            "decided_at": application.decided_at,
        }
        for application in applications
    ]


def export_sections_register() -> None:
    """Add this app's sections to exhibitors.services.exports.EXPORT_SECTIONS."""
    from exhibitors.services.exports import export_section_register

    export_section_register("profile", person=person_profile, company=company_profile)
    export_section_register("consents", person=person_consents)
    export_section_register("companies", person=person_companies)
    export_section_register("members", company=company_members)
    export_section_register("products", company=company_products)
    export_section_register("booths", company=company_booths)
    export_section_register("booth_applications", company=company_booth_applications)
    export_section_register("two_factor", person=person_two_factor)
