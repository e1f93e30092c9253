"""Data export sections and erasure for complaints (docs/privacy.md)."""

from complaints.enums import Audience
from complaints.models import Complaint, ComplaintEntry, ComplaintFeedback
from complaints.selectors import complaints_for


def _rows(complaints, *, side_of) -> list[dict]:
    rows = []
    for complaint in complaints.select_related("company", "buyer").prefetch_related("entries").order_by("id"):
        side = side_of(complaint)
        for entry in complaint.entries.all():
            if entry.audience not in (Audience.BOTH, side):
                continue
            rows.append(
                {
                    "complaint_id": complaint.pk,
                    "about": complaint.subject_kind,
                    "buyer": str(complaint.buyer),
                    "company": complaint.company.legal_name,
                    "status": complaint.status,
                    "wish": complaint.wish,
                    "outcome": complaint.outcome,
                    "entry": entry.kind,
                    "from": entry.author_side,
                    "text": entry.body,
                    "at": entry.created_at,
                }
            )
    return rows


def person_complaints(*, person) -> list[dict]:
    """Every complaint the person is a party to, with the history their side sees."""
    return _rows(complaints_for(person), side_of=lambda c: "buyer" if c.buyer_id == person.pk else "company")


def company_complaints(*, company) -> list[dict]:
    return _rows(Complaint.objects.filter(company=company), side_of=lambda c: "company")


def complaints_erase(user) -> None:
    """Erasure hook: the person's feedback comments go; complaints, answers and decisions stay, since the
    other party and the chamber's record need them (as chat messages stay)."""
    ComplaintFeedback.objects.filter(given_by=user).update(comment="")
    ComplaintEntry.objects.filter(author=user, kind="feedback").update(body="")


def export_sections_register() -> None:
    from exhibitors.services.erasure import ERASURE_HOOKS
    from exhibitors.services.exports import export_section_register

    export_section_register("complaints", person=person_complaints, company=company_complaints)
    if complaints_erase not in ERASURE_HOOKS:
        ERASURE_HOOKS.append(complaints_erase)
