"""The demo seed's leads step: the leads of Cafetalera Selva Alta (the demo owner's company) at the live fair.

The chats, meetings and saved booths written by the earlier steps already made leads through the services
(and `leads_backfill` catches rows the demo wrote directly). Here the demo importers save the company's booth
(so the list has several buyers), the demo buyer and one importer share their card with it (the others stay
anonymous: a buyer from France, agrifood), and the owner moves stages, tags and writes notes. Runs once: when
the company's leads already carry notes it adds nothing.
"""

from django.db import transaction

from cms.demo import data
from cms.demo.matchmaking import IMPORTERS
from exhibitors.models import Company, User
from fair.leads.enums import LeadStage
from fair.leads.models import Lead, LeadNote
from fair.leads.services import (
    lead_card_share,
    lead_note_add,
    lead_stage_change,
    lead_tag_add,
    leads_backfill,
)
from fair.services import favourite_add

# (buyer's e-mail, shares card, stage, tags, note)
DEMO_LEADS = (
    (
        "buyer@feria.example",
        True,
        LeadStage.SAMPLE_SENT,
        ("coffee", "Germany"),
        "Sent 2 kg of washed Geisha to Hamburg on Monday; call after cupping.",
    ),
    (IMPORTERS[0][0], True, LeadStage.QUOTE_SENT, ("cacao",), "Quote for 2 t of nibs sent, valid 30 days."),
    (IMPORTERS[1][0], False, LeadStage.CONTACTED, ("follow up",), "Asked about organic certification."),
)


def seed_leads(seeder) -> None:
    """Give the demo owner's company a lead list with stages, tags, notes and some shared cards (once)."""
    company = Company.objects.get(slug=data.DEMO_OWNER_COMPANY)
    if LeadNote.objects.filter(lead__company=company).exists():
        return
    owner = seeder.people["owner"]
    live = seeder.fairs["live"]
    booth = company.booths.filter(fair=live).first()
    with transaction.atomic():
        leads_backfill()
        if booth is None:
            return
        for _email, *_rest in IMPORTERS:
            user = User.objects.filter(email=_email).first()
            if user is not None:
                favourite_add(user=user, booth=booth)
        for email, shares, stage, tags, note in DEMO_LEADS:
            buyer = User.objects.filter(email=email).first()
            if buyer is None:
                continue
            if shares:
                lead_card_share(buyer=buyer, company=company, fair_id=live.pk, share=True)
            lead = Lead.objects.filter(company=company, buyer=buyer, fair=live).first()
            if lead is None:
                continue
            lead_stage_change(lead=lead, to=LeadStage.CONTACTED, by=owner)
            if stage != LeadStage.CONTACTED:
                lead_stage_change(lead=lead, to=stage, by=owner)
            for tag in tags:
                lead_tag_add(lead=lead, name=tag)
            lead_note_add(lead=lead, author=owner, body=note)
            seeder.report.count("leads")
