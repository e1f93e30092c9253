"""The meetings app's sections of a data export (registered in fair.meetings.apps): a person's meetings (as
buyer or staff member), the slots they staff and the availability they published; a company's meetings and
slots. Other people appear only by the name the meeting page shows them with."""

from django.db.models import Q

from exhibitors.models import Company
from fair.meetings.models import BuyerAvailability, Meeting, MeetingSlot


def _meeting_row(meeting: Meeting, *, role: str) -> dict:
    return {
        "meeting": str(meeting.uuid),
        "role": role,
        "fair": meeting.fair.title,
        "company": meeting.company.legal_name,
        "buyer": str(meeting.buyer),
        "staff": str(meeting.staff) if meeting.staff_id else "",
        "status": meeting.status,
        "requested_side": meeting.requested_side,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "agenda": meeting.agenda,
        "products": [product.name for product in meeting.products.all()],
        "volumes": meeting.volumes,
        "external_link": meeting.external_link,
        "decline_reason": meeting.decline_reason,
        "cancel_reason": meeting.cancel_reason,
        "no_show_side": meeting.no_show_side,
        "created_at": meeting.created_at,
        "responded_at": meeting.responded_at,
    }


def _meetings(query):
    return (
        Meeting.objects.filter(query)
        .select_related("fair", "company", "buyer", "staff")
        .prefetch_related("products")
        .order_by("starts_at", "id")
    )


def person_meetings(*, person) -> list[dict]:
    """Every meeting and request the person is in: as the buyer, as its staff member, or as its requester."""
    query = Q(buyer=person) | Q(staff=person) | Q(requested_by=person)
    return [
        _meeting_row(meeting, role="buyer" if meeting.buyer_id == person.pk else "staff")
        for meeting in _meetings(query)
    ]


def company_meetings(*, company: Company) -> list[dict]:
    return [_meeting_row(meeting, role="company") for meeting in _meetings(Q(company=company))]


def _slot_row(slot: MeetingSlot) -> dict:
    return {
        "slot_id": slot.pk,
        "fair": slot.fair.title,
        "company": slot.company.legal_name,
        "staff": str(slot.staff) if slot.staff_id else "",
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "created_at": slot.created_at,
    }


def _slots(query):
    return (
        MeetingSlot.objects.filter(query)
        .select_related("fair", "company", "staff")
        .order_by("starts_at", "id")
    )


def person_slots(*, person) -> list[dict]:
    """The slots the person staffs or published."""
    return [_slot_row(slot) for slot in _slots(Q(staff=person) | Q(created_by=person))]


def company_slots(*, company: Company) -> list[dict]:
    return [_slot_row(slot) for slot in _slots(Q(company=company))]


def person_availability(*, person) -> list[dict]:
    times = BuyerAvailability.objects.filter(buyer=person).select_related("fair").order_by("starts_at", "id")
    return [
        {
            "availability_id": time.pk,
            "fair": time.fair.title,
            "starts_at": time.starts_at,
            "ends_at": time.ends_at,
            "created_at": time.created_at,
        }
        for time in times
    ]


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register("meetings", person=person_meetings, company=company_meetings)
    export_section_register("meeting_slots", person=person_slots, company=company_slots)
    export_section_register("meeting_availability", person=person_availability)
