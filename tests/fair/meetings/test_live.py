"""What the meetings script stands on (static/js/meetings.js): the lists' fragment the live pages fetch
again, and the instants each time offered carries for the picker."""

from django.urls import reverse

from fair.meetings.services.requests import meeting_request
from tests.factories.exhibitors import CompanyFactory, UserFactory
from tests.factories.meetings import MeetingFactory


def test_my_meetings_fragment_is_the_lists_alone(client, buyer, slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    client.force_login(buyer)
    page = client.get(reverse("meetings:mine")).content.decode()
    assert f'data-meeting-live="{reverse("meetings:mine")}?fragment=lists"' in page
    assert "js/meetings" in page
    response = client.get(reverse("meetings:mine") + "?fragment=lists")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    html = response.content.decode()
    assert "<html" not in html and "<h1>" not in html
    assert reverse("meetings:detail", args=[meeting.uuid]) in html


def test_company_fragment_for_members_only(client, company, owner, slot, buyer, make_slot):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    other = MeetingFactory(slot=make_slot(company=CompanyFactory()))
    url = reverse("meetings:company", args=[company.pk]) + "?fragment=lists"
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert "<html" not in html
    assert reverse("meetings:detail", args=[meeting.uuid]) in html
    assert reverse("meetings:detail", args=[other.uuid]) not in html
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_times_carry_their_instants_for_the_picker(client, fair, company, buyer, slot, make_slot, staff):
    client.force_login(buyer)
    html = client.get(reverse("meetings:book", args=[fair.pk, company.pk])).content.decode()
    assert f'data-start="{slot.starts_at.isoformat()}"' in html
    assert 'data-slot-picker data-zone="Europe/Berlin"' in html
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee prices")
    free = make_slot(staff=staff)
    client.force_login(staff)
    html = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert f'value="{free.pk}" data-start="{free.starts_at.isoformat()}"' in html
    assert 'data-slot-picker data-zone="America/Lima"' in html
