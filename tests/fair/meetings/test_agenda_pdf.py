"""The day agenda as PDF (fair/meetings/views/agenda.py): only the person's (or their company's) accepted
meetings, read back from the PDF's text layer, in the visitor's language and zone."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pdfminer.high_level import extract_text

from fair.meetings.enums import MeetingStatus
from tests.factories.exhibitors import CompanyFactory, UserFactory
from tests.factories.meetings import MeetingFactory


def _text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return " ".join(extract_text(io.BytesIO(response.content)).split())


@pytest.fixture
def accepted(make_slot, buyer, staff):
    # 10:00 UTC tomorrow: 11:00 in Berlin (the buyer's zone), 05:00 in Lima (the fair's and staff's zone).
    start = (timezone.now() + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    slot = make_slot(staff=staff, starts_at=start, ends_at=start + timedelta(minutes=30))
    return MeetingFactory(slot=slot, buyer=buyer, agenda="Two containers of green coffee a quarter")


def test_buyer_agenda_in_their_language_and_zone_with_the_fair_time(client, buyer, accepted, staff):
    client.force_login(buyer)  # prefers Spanish, lives in Berlin
    day = timezone.localtime(accepted.starts_at, timezone.get_fixed_timezone(60)).date()
    response = client.get(reverse("meetings:day_pdf") + f"?day={day:%Y-%m-%d}", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    text = _text(client.get(f"/es/meetings/day.pdf?day={day:%Y-%m-%d}"))
    assert "Mis reuniones" in text
    assert "Europe/Berlin" in text
    assert "11:00–11:30" in text
    assert "05:00–05:30" in text and "America/Lima" in text
    assert "Cafe Inca S.A.C." in text and str(staff) in text
    assert "Two containers of green coffee a quarter" in text
    assert f"/meetings/{accepted.uuid}/call/" in text
    assert "My meetings" not in text


def test_staff_agenda_names_the_buyer_in_english(client, staff, buyer, accepted):
    client.force_login(staff)  # Lima, like the fair: no fair time in brackets
    day = timezone.localtime(accepted.starts_at, timezone.get_fixed_timezone(-300)).date()
    text = _text(client.get(f"/en/meetings/day.pdf?day={day:%Y-%m-%d}"))
    assert "My meetings" in text
    assert str(buyer) in text
    assert "05:00–05:30" in text
    assert "fair time" not in text


def test_only_the_persons_accepted_meetings(client, buyer, accepted, make_slot, other_buyer):
    MeetingFactory(slot=make_slot(), buyer=other_buyer, agenda="Not for this buyer")
    MeetingFactory(
        slot=make_slot(), buyer=buyer, agenda="Only requested so far", status=MeetingStatus.REQUESTED
    )
    client.force_login(buyer)
    days = [timezone.localdate() + timedelta(days=n) for n in range(4)]
    text = " ".join(_text(client.get(f"/en/meetings/day.pdf?day={day:%Y-%m-%d}")) for day in days)
    assert "Two containers" in text
    assert "Not for this buyer" not in text
    assert "Only requested so far" not in text
    stranger = UserFactory()
    client.force_login(stranger)
    text = " ".join(_text(client.get(f"/en/meetings/day.pdf?day={day:%Y-%m-%d}")) for day in days)
    assert "Two containers" not in text
    assert "No meetings on this day." in text


def test_company_agenda_for_members_only(client, company, owner, accepted):
    day = timezone.localtime(accepted.starts_at, timezone.get_fixed_timezone(-300)).date()
    url = reverse("meetings:company_day_pdf", args=[company.pk]) + f"?day={day:%Y-%m-%d}"
    client.force_login(owner)
    text = _text(client.get(url.replace("/en/", "/fr/")))
    assert "Rendez-vous de Cafe Inca S.A.C." in text
    assert "Two containers" in text
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    outsider = CompanyFactory()
    client.force_login(owner)
    assert client.get(reverse("meetings:company_day_pdf", args=[outsider.pk])).status_code == 404


def test_signed_out_is_sent_to_sign_in(client):
    response = client.get(reverse("meetings:day_pdf"))
    assert response.status_code == 302


def test_my_meetings_links_each_day_with_meetings(client, buyer, accepted):
    client.force_login(buyer)
    html = client.get("/en/meetings/").content.decode()
    day = timezone.localtime(accepted.starts_at, timezone.get_fixed_timezone(60)).date()
    assert f"{reverse('meetings:day_pdf')}?day={day:%Y-%m-%d}" in html
