"""The demo seed's requests for quotation: the demo buyer's fair-wide request for cacao beans with three
quotes, one of them accepted (an order paid by bank transfer, its 30 % advance recorded by the company: the
demo has no Stripe account, so a card payment request could not be issued), a request to the demo owner's
booth still waiting for a quote (with a specification sheet attached), and an expired request. Everything
goes through the quotes services; it runs once (a second seed adds nothing)."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cms.demo import data
from exhibitors.enums import MembershipRole
from exhibitors.models import Booth, Membership
from payments.services.bank import bank_transfer_record
from quotes.enums import Incoterm, PaymentRoute, Unit
from quotes.models import QuoteRequest
from quotes.services.expiry import quotes_expire
from quotes.services.quotes import QuoteInput, QuoteLineInput, quote_accept, quote_submit
from quotes.services.requests import RequestInput, request_create

PRICES = (780, 745, 812)  # US cents per kg


def _request(now, **changes) -> RequestInput:
    values = {
        "description": "Fine-flavour cacao beans, fermented and sun-dried, new crop, in jute sacks.",
        "hs_code": "1801",
        "quantity": Decimal("25000"),
        "unit": Unit.KGM,
        "incoterm": Incoterm.FOB,
        "destination_country": "DE",
        "destination_port": "Hamburg",
        "wanted_by": (now + timedelta(days=75)).date(),
        "closes_at": now + timedelta(days=12),
    }
    values.update(changes)
    return RequestInput(**values)


def _spec_sheet() -> SimpleUploadedFile:
    """A one-page PDF standing in for the buyer's specification sheet (its properties name nobody)."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    page.setFont("Helvetica-Bold", 14)
    page.drawString(72, 760, "Specification sheet - roasted coffee (demo)")
    page.setFont("Helvetica", 11)
    for number, line in enumerate(
        (
            "Arabica, medium roast (Agtron 55-60), whole beans",
            "Moisture below 5 %, roasted within 10 days of shipping",
            "1 kg valve bags, 10 bags per carton, cartons palletised",
        )
    ):
        page.drawString(72, 730 - 18 * number, line)
    page.showPage()
    page.save()
    return SimpleUploadedFile("spec-sheet.pdf", buffer.getvalue(), content_type="application/pdf")


def seed_quotes(seeder) -> None:
    """The step seed.py calls; writes in one transaction."""
    buyer = seeder.people["buyer"]
    fair = seeder.fairs["live"]
    if QuoteRequest.objects.filter(buyer=buyer, fair=fair).exists():
        return
    now = seeder.now
    with transaction.atomic():
        wide = request_create(buyer=buyer, fair=fair, data=_request(now))
        quotes = []
        for recipient, price in zip(
            wide.recipients.select_related("company").order_by("pk"), PRICES, strict=False
        ):
            member = Membership.objects.filter(company=recipient.company).order_by("pk").first()
            if member is None:
                continue
            quotes.append(
                quote_submit(
                    request=wide,
                    company=recipient.company,
                    by=member.user,
                    data=QuoteInput(
                        currency="USD",
                        incoterm=Incoterm.FOB,
                        lead_time_days=35,
                        valid_until=(now + timedelta(days=20)).date(),
                        terms="30 % advance, balance against shipping documents. Callao port.",
                        lines=[QuoteLineInput("Cacao beans, fine flavour", 25000, Unit.KGM, price)],
                    ),
                )
            )
        if quotes:
            accepted = quote_accept(quote=quotes[0], buyer=buyer, route=PaymentRoute.BANK_TRANSFER)
            # The 30 % advance has arrived; the company's owner recorded it (the balance is still due).
            owner = (
                Membership.objects.filter(company=accepted.company, role=MembershipRole.OWNER)
                .select_related("user")
                .first()
            )
            if owner is not None:
                order = accepted.order
                bank_transfer_record(
                    order=order,
                    amount=order.total_amount * 3 // 10,
                    received_on=(now - timedelta(days=1)).date(),
                    bank_reference="Advance, SWIFT MT103",
                    by=owner.user,
                )
        booth = Booth.objects.filter(fair=fair, company__slug=data.DEMO_OWNER_COMPANY).first()
        if booth is not None:
            request_create(
                buyer=buyer,
                fair=fair,
                booth=booth,
                data=_request(
                    now,
                    description="Roasted coffee beans for our cafés, medium roast, 1 kg valve bags.",
                    hs_code="090121",
                    quantity=Decimal("600"),
                    unit=Unit.BG,
                    incoterm=Incoterm.CIF,
                ),
                uploads=[_spec_sheet()],
            )
        old = request_create(
            buyer=buyer,
            fair=fair,
            data=_request(
                now,
                description="Green coffee, washed arabica, screen 15+, one container.",
                hs_code="090111",
                quantity=Decimal("19.2"),
                unit=Unit.TNE,
                closes_at=now + timedelta(days=1),
            ),
        )
        QuoteRequest.objects.filter(pk=old.pk).update(closes_at=now - timedelta(days=2))
        quotes_expire(now=now)
    seeder.report.count("requests for quotation", 3)
