"""Complaint pages and e-mails in the reader's language and time zone."""

import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from complaints.enums import Outcome
from complaints.services.decisions import complaint_decide
from tests.factories.complaints import complaint_open_as

pytestmark = pytest.mark.django_db


def test_complaint_page_in_spanish(client, parties):
    complaint = complaint_open_as(parties)
    client.force_login(parties.owner)
    page = client.get(f"/es/complaints/{complaint.pk}/").content.decode()
    assert f"Reclamación n.º {complaint.pk}" in page
    assert "A la espera de la respuesta de la otra parte" in page


def test_emails_in_each_recipients_language_and_zone(parties, chamber):
    complaint = complaint_open_as(parties)
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish = by_address[parties.owner.email]
    french = by_address[parties.member.email]
    assert spanish.subject == f"Una reclamación sobre usted (n.º {complaint.pk})"
    assert "America/Lima" in spanish.body
    due_lima = timezone.localtime(complaint.answer_due_at, zoneinfo.ZoneInfo("America/Lima"))
    assert due_lima.strftime("%H:%M") in spanish.body
    assert french.subject == f"Une réclamation vous concernant (n° {complaint.pk})"
    assert "Europe/Paris" in french.body
    mail.outbox.clear()
    complaint_decide(complaint=complaint, by=chamber, outcome=Outcome.AGREEMENT, text="Agreed.")
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[parties.buyer.email] == f"Complaint #{complaint.pk}: the chamber's decision"
    assert subjects[parties.owner.email] == f"Reclamación n.º {complaint.pk}: la decisión de la cámara"
    assert subjects[parties.member.email] == f"Réclamation n° {complaint.pk} : la décision de la chambre"
