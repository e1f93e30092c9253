from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exhibitors.enums import ApplicationStatus
from fair.chat.models import Conversation
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import BuyerAvailability, Meeting, MeetingSlot
from fair.meetings.services.requests import meeting_request
from tests.factories.exhibitors import BoothFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.factories.meetings import BuyerAvailabilityFactory, MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db


def test_buyer_books_a_slot_with_plain_forms(client, fair, company, slot, buyer, staff):
    client.force_login(buyer)
    url = reverse("meetings:book", kwargs={"fair_id": fair.pk, "company_id": company.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert f'id="slot-{slot.pk}"' in page.content.decode()
    # Bad input: the agenda is kept and the error is said.
    refused = client.post(url, {"slot": slot.pk, "agenda": "", "volumes": "3 t"})
    assert refused.status_code == 400
    assert 'value="3 t"' in refused.content.decode()
    product = company.products.get()
    response = client.post(
        url, {"slot": slot.pk, "agenda": "Coffee", "products": [product.pk], "volumes": "3 t"}
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", kwargs={"uuid": meeting.uuid})
    # The slot is gone from the page; a second post for it is refused with a message.
    assert f'id="slot-{slot.pk}"' not in client.get(url).content.decode()
    other = UserFactory()
    client.force_login(other)
    taken = client.post(url, {"slot": slot.pk, "agenda": "Cacao"})
    assert taken.status_code == 400
    assert Meeting.objects.count() == 1

    client.force_login(staff)
    detail = client.get(reverse("meetings:detail", kwargs={"uuid": meeting.uuid}))
    assert "Coffee" in detail.content.decode()
    assert (
        client.post(
            reverse("meetings:decline", kwargs={"uuid": meeting.uuid}), {"decline-reason": ""}
        ).status_code
        == 400
    )
    client.post(reverse("meetings:accept", kwargs={"uuid": meeting.uuid}), {"external_link": ""})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.ACCEPTED


def test_other_company_meeting_is_404(client, slot, buyer):
    meeting = MeetingFactory(slot=slot, buyer=buyer)
    outsider_company = CompanyFactory()
    outsider = MembershipFactory(company=outsider_company).user
    client.force_login(outsider)
    for name in ("detail", "ics"):
        assert client.get(reverse(f"meetings:{name}", kwargs={"uuid": meeting.uuid})).status_code == 404
    for name in ("accept", "decline", "cancel", "held", "no_show", "propose"):
        assert client.post(reverse(f"meetings:{name}", kwargs={"uuid": meeting.uuid})).status_code == 404
    assert client.get(reverse("meetings:company", kwargs={"company_id": slot.company_id})).status_code == 404
    assert (
        client.get(
            reverse("meetings:slots", kwargs={"company_id": slot.company_id, "fair_id": slot.fair_id})
        ).status_code
        == 404
    )
    assert client.post(reverse("meetings:slot_delete", kwargs={"slot_id": slot.pk})).status_code == 404
    assert MeetingSlot.objects.filter(pk=slot.pk).exists()


def test_staff_publishes_slots_by_hand_and_pattern(client, fair, company, staff):
    client.force_login(staff)
    url = reverse("meetings:slots", kwargs={"company_id": company.pk, "fair_id": fair.pk})
    assert client.get(url).status_code == 200
    day = (timezone.now() + timedelta(days=2)).astimezone(fair.zone).date()
    response = client.post(
        url,
        {
            "form": "one",
            "slot-staff": str(staff.pk),
            "slot-day": day.isoformat(),
            "slot-start_time": "10:00",
            "slot-end_time": "10:30",
        },
    )
    assert response.status_code == 302
    slot = MeetingSlot.objects.get()
    assert (slot.staff, timezone.localtime(slot.starts_at, fair.zone).strftime("%H:%M")) == (staff, "10:00")
    bad = client.post(
        url,
        {
            "form": "one",
            "slot-staff": "",
            "slot-day": day.isoformat(),
            "slot-start_time": "11:00",
            "slot-end_time": "10:30",
        },
    )
    assert bad.status_code == 400
    response = client.post(
        url,
        {
            "form": "pattern",
            "pattern-staff": "",
            "pattern-weekdays": [str(day.weekday())],
            "pattern-day_start": "14:00",
            "pattern-day_end": "16:00",
            "pattern-minutes": "30",
            "pattern-break_minutes": "0",
        },
    )
    assert response.status_code == 302
    assert MeetingSlot.objects.filter(staff__isnull=True).count() >= 4


def test_buyer_availability_page_only_for_published_buyers(client, fair, company, staff, buyer, other_buyer):
    BuyerAvailabilityFactory(fair=fair, buyer=buyer)
    client.force_login(staff)
    url = reverse("meetings:buyer_availability", kwargs={"fair_id": fair.pk, "buyer_id": buyer.pk})
    assert client.get(url).status_code == 200
    hidden = reverse("meetings:buyer_availability", kwargs={"fair_id": fair.pk, "buyer_id": other_buyer.pk})
    assert client.get(hidden).status_code == 404
    assert (
        buyer.email
        not in client.get(reverse("meetings:buyers", kwargs={"fair_id": fair.pk})).content.decode()
    )
    time = BuyerAvailability.objects.get()
    response = client.post(url, {"time": time.pk, "company": company.pk, "agenda": "Our new harvest"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.buyer, meeting.staff, meeting.requested_side) == (buyer, staff, "company")
    # Someone who is not exhibiting at the fair cannot look.
    client.force_login(other_buyer)
    assert client.get(url).status_code == 404


def test_buyer_publishes_availability(client, fair, buyer):
    client.force_login(buyer)
    url = reverse("meetings:availability", kwargs={"fair_id": fair.pk})
    day = (timezone.now() + timedelta(days=2)).astimezone(fair.zone).date()
    response = client.post(
        url, {"form": "one", "one-day": day.isoformat(), "one-start_time": "09:00", "one-end_time": "09:30"}
    )
    assert response.status_code == 302
    assert BuyerAvailability.objects.filter(buyer=buyer).count() == 1


def test_conversation_shows_meeting_cards(client, buyer, slot, staff):
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Coffee")
    conversation = Conversation.objects.get()
    client.force_login(staff)
    page = client.get(reverse("chat:conversation", args=[conversation.pk])).content.decode()
    assert "Meeting request" in page
    assert reverse("meetings:detail", kwargs={"uuid": meeting.uuid}) in page


def _many_meetings(fair, company, buyer, staff, count):
    other_company = CompanyFactory()
    BoothFactory(fair=fair, company=other_company, status=ApplicationStatus.APPROVED)
    for index in range(count):
        start = timezone.now() + timedelta(hours=30 + index)
        MeetingFactory(
            slot=MeetingSlotFactory(
                fair=fair,
                company=company,
                staff=staff,
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
            ),
            buyer=buyer,
        )


@pytest.mark.parametrize("count", [1, 12])
def test_my_meetings_query_count_flat(client, django_assert_num_queries, fair, company, buyer, staff, count):
    _many_meetings(fair, company, buyer, staff, count)
    client.force_login(buyer)
    url = reverse("meetings:mine")
    client.get(url)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    client.force_login(staff)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_company_list_and_day_query_count_flat(
    client, django_assert_num_queries, fair, company, buyer, staff, count
):
    _many_meetings(fair, company, buyer, staff, count)
    client.force_login(staff)
    url = reverse("meetings:company", kwargs={"company_id": company.pk})
    client.get(url)
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    day = timezone.localtime(Meeting.objects.first().starts_at, fair.zone).date()
    with django_assert_num_queries(5):
        assert client.get(reverse("meetings:day") + f"?day={day.isoformat()}").status_code == 200


@pytest.mark.parametrize("count", [1, 8])
def test_conversation_with_meeting_cards_query_count_flat(
    client, django_assert_num_queries, buyer, make_slot, staff, count
):
    for _index in range(count):
        meeting_request(buyer=buyer, slot=make_slot(staff=staff), agenda="Coffee")
    conversation = Conversation.objects.get()
    client.force_login(staff)
    url = reverse("chat:conversation", args=[conversation.pk])
    client.get(url)
    with django_assert_num_queries(15):
        page = client.get(url)
    assert page.content.decode().count("meeting-card ") == count
