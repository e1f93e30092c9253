"""Opening a complaint, the other party's answer, messages, and the missed-deadline flag."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.enums import OPEN_STATUSES, Audience, EntryKind, Side, Status, SubjectKind, Wish
from complaints.models import TEXT_MAX_LENGTH, Complaint, ComplaintEntry, ComplaintEvidence
from complaints.services.notify import complaint_notify
from exhibitors.models import Membership
from exhibitors.services.uploads import private_file_store, upload_atomic
from exhibitors.uploads import pdf_or_image_check

DEFAULT_ANSWER_DAYS = 7
MAX_EVIDENCE = 5
CHAMBER = "chamber"


class ComplaintRefused(ValidationError):
    """A complaint change that is not allowed now (wrong side, wrong state, bad text)."""


def subject_parties(subject) -> tuple:
    """(buyer, company, fair) of an order, meeting or conversation."""
    kind = subject._meta.label_lower
    if kind == "payments.order":
        return subject.payer_user, subject.payee_company, subject.fair
    if kind == "meetings.meeting":
        return subject.buyer, subject.company, subject.fair
    booth = subject.started_from
    return subject.buyer, subject.company, booth.fair if booth else None


def party_side(*, complaint_or_subject, user) -> str | None:
    """The person's side (buyer or company) in a complaint or its subject, or None."""
    if not user.is_authenticated:
        return None
    if hasattr(complaint_or_subject, "opened_side"):
        buyer_id, company_id = complaint_or_subject.buyer_id, complaint_or_subject.company_id
    else:
        buyer, company, _fair = subject_parties(complaint_or_subject)
        buyer_id, company_id = buyer.pk if buyer else None, company.pk if company else None
    if buyer_id == user.pk:
        return Side.BUYER
    if company_id and Membership.objects.filter(user=user, company_id=company_id).exists():
        return Side.COMPANY
    return None


def _clean(text: str, *, limit: int, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ComplaintRefused(message, code="empty")
    if len(text) > limit:
        raise ComplaintRefused(
            _("Please keep it under %(limit)d characters.") % {"limit": limit}, code="too_long"
        )
    return text


def complaint_open(
    *, by, subject, what_happened: str, wish: str, wish_detail: str = "", uploads=()
) -> Complaint:
    """A party opens a complaint about an order, meeting or conversation. Every upload is checked before
    anything is written; then the complaint, its evidence (private storage) and its first history entry are
    written together. The other side is e-mailed. Raises ComplaintRefused / UploadRefused."""
    side = party_side(complaint_or_subject=subject, user=by)
    if side is None:
        raise ComplaintRefused(_("You are not a party to this."), code="not_party")
    kind = {
        "payments.order": SubjectKind.ORDER,
        "meetings.meeting": SubjectKind.MEETING,
        "chat.conversation": SubjectKind.CONVERSATION,
    }[subject._meta.label_lower]
    buyer, company, fair = subject_parties(subject)
    what_happened = _clean(what_happened, limit=TEXT_MAX_LENGTH, message=_("Say what happened."))
    if wish not in Wish.values:
        raise ComplaintRefused({"wish": [_("Choose what you would like.")]}, code="wish")
    wish_detail = " ".join((wish_detail or "").split())[:300]
    uploads = list(uploads or ())
    if len(uploads) > MAX_EVIDENCE:
        raise ComplaintRefused(
            {"evidence": [_("At most %(count)d files.") % {"count": MAX_EVIDENCE}]}, code="too_many"
        )
    checked = [(upload, pdf_or_image_check(upload)) for upload in uploads]
    days = fair.complaint_answer_days if fair is not None else DEFAULT_ANSWER_DAYS
    with upload_atomic():
        complaint = Complaint.objects.create(
            fair=fair,
            subject_kind=kind,
            order=subject if kind == SubjectKind.ORDER else None,
            meeting=subject if kind == SubjectKind.MEETING else None,
            conversation=subject if kind == SubjectKind.CONVERSATION else None,
            buyer=buyer,
            company=company,
            opened_by=by,
            opened_side=side,
            what_happened=what_happened,
            wish=wish,
            wish_detail=wish_detail,
            answer_due_at=timezone.now() + timedelta(days=days),
        )
        for number, (upload, file_kind) in enumerate(checked, start=1):
            stored = private_file_store(
                upload=upload,
                kind=file_kind,
                company=None,
                user=by,
                name=f"complaint-{complaint.pk}-evidence-{number}",
            )
            ComplaintEvidence.objects.create(complaint=complaint, file=stored)
        ComplaintEntry.objects.create(
            complaint=complaint, kind=EntryKind.OPENED, author=by, author_side=side, body=what_happened
        )
        complaint_notify(complaint=complaint, event="opened", sides=[complaint.answering_side])
    return complaint


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("buyer", "company").get(pk=complaint.pk)


@transaction.atomic
def complaint_answer(*, complaint: Complaint, by, text: str) -> Complaint:
    """The other party answers (once, while the complaint is open). Side effects: entry, status answered
    (or stays in mediation), e-mail to the opener."""
    locked = _locked(complaint)
    side = party_side(complaint_or_subject=locked, user=by)
    if side != locked.answering_side or locked.answered_at is not None:
        raise ComplaintRefused(_("You cannot answer this complaint."), code="not_answering_side")
    if locked.status not in OPEN_STATUSES:
        raise ComplaintRefused(_("This complaint is closed."), code="closed")
    text = _clean(text, limit=TEXT_MAX_LENGTH, message=_("Write your answer."))
    locked.answered_at = timezone.now()
    if locked.status == Status.AWAITING_ANSWER:
        locked.status = Status.ANSWERED
    locked.save(update_fields=["answered_at", "status", "updated_at"])
    ComplaintEntry.objects.create(
        complaint=locked, kind=EntryKind.ANSWER, author=by, author_side=side, body=text
    )
    complaint_notify(complaint=locked, event="message", sides=[locked.opened_side])
    return locked


@transaction.atomic
def complaint_message(*, complaint: Complaint, by, text: str, audience: str | None = None) -> ComplaintEntry:
    """A message on an open complaint. From the chamber (`by` is staff, `audience` both, buyer or company:
    a party sees only messages addressed to it; the complaint moves to mediation), or from a party (seen by
    both parties and the chamber). Side effects: entry, e-mails to its readers."""
    locked = _locked(complaint)
    if locked.status not in OPEN_STATUSES:
        raise ComplaintRefused(_("This complaint is closed."), code="closed")
    text = _clean(text, limit=TEXT_MAX_LENGTH, message=_("Write a message."))
    if audience is not None:
        if audience not in Audience.values:
            raise ComplaintRefused({"audience": [_("Choose who reads it.")]}, code="audience")
        author_side = CHAMBER
        if locked.status != Status.MEDIATION:
            locked.status = Status.MEDIATION
            locked.save(update_fields=["status", "updated_at"])
        readers = [Side.BUYER, Side.COMPANY] if audience == Audience.BOTH else [audience]
    else:
        author_side = party_side(complaint_or_subject=locked, user=by)
        if author_side is None:
            raise ComplaintRefused(_("You are not a party to this."), code="not_party")
        audience = Audience.BOTH
        readers = [Side.COMPANY if author_side == Side.BUYER else Side.BUYER]
    entry = ComplaintEntry.objects.create(
        complaint=locked,
        kind=EntryKind.MESSAGE,
        author=by,
        author_side=author_side,
        audience=audience,
        body=text,
    )
    complaint_notify(complaint=locked, event="message", sides=readers)
    return entry


def complaints_flag_overdue(*, now=None) -> int:
    """Complaints still awaiting an answer past their deadline are flagged, move to mediation, and the
    chamber and the opener are e-mailed (once: the flag is set in the same transaction). Returns how many."""
    now = now or timezone.now()
    flagged = 0
    due = Complaint.objects.filter(
        status=Status.AWAITING_ANSWER, overdue_at__isnull=True, answer_due_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due[:500]):
        with transaction.atomic():
            locked = (
                Complaint.objects.select_for_update()
                .filter(pk=pk, status=Status.AWAITING_ANSWER, overdue_at__isnull=True)
                .first()
            )
            if locked is None:
                continue
            locked.overdue_at = now
            locked.status = Status.MEDIATION
            locked.save(update_fields=["overdue_at", "status", "updated_at"])
            ComplaintEntry.objects.create(complaint=locked, kind=EntryKind.OVERDUE, author_side=CHAMBER)
            complaint_notify(complaint=locked, event="overdue", sides=[locked.opened_side], staff=True)
            flagged += 1
    return flagged
