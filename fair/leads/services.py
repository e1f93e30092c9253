"""Writes of leads. The services that see a buyer act (fair.chat, fair.meetings, favourites) call
`lead_record`; staff move stages, tag and annotate through the rest."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Company, Membership, User
from exhibitors.services.consents import contact_sharing_set
from fair.leads.enums import EVENT_SOURCE, STAGE_TRANSITIONS, LeadEventKind, LeadSource, LeadStage
from fair.leads.models import Lead, LeadEvent, LeadNote, LeadStageChange, LeadTag

TAG_MAX_LENGTH = 40
NOTE_MAX_LENGTH = 2000

SOURCE_FIELD = {
    LeadSource.CHAT: "from_chat",
    LeadSource.MEETING: "from_meeting",
    LeadSource.FAVOURITE: "from_favourite",
    LeadSource.CARD: "from_card",
}


class LeadError(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _lead_get_or_create(*, buyer: User, company: Company, fair_id: int | None, at: datetime) -> Lead:
    defaults = {"first_activity_at": at, "last_activity_at": at}
    try:
        with transaction.atomic():
            lead, _created = Lead.objects.get_or_create(
                company=company, buyer=buyer, fair_id=fair_id, defaults=defaults
            )
    except IntegrityError:
        # Two signals for the same buyer at the same moment: the other one made the row.
        lead = Lead.objects.get(company=company, buyer=buyer, fair_id=fair_id)
    return lead


def lead_record(
    *,
    buyer: User,
    company: Company,
    fair_id: int | None,
    kind: str,
    ref: str = "",
    at: datetime | None = None,
) -> Lead | None:
    """Note that the buyer did something towards the company (at a fair, or none): makes the Lead if it is
    the first time, adds a LeadEvent (once per `kind` and `ref`), marks its source and moves its first/last
    activity. The company's own people are never its leads (None)."""
    if buyer.erased_at is not None or Membership.objects.filter(user=buyer, company=company).exists():
        return None
    kind = LeadEventKind(kind)
    at = at or timezone.now()
    lead = _lead_get_or_create(buyer=buyer, company=company, fair_id=fair_id, at=at)
    if LeadEvent.objects.filter(lead=lead, kind=kind, ref=ref).exists():
        return lead
    try:
        with transaction.atomic():
            LeadEvent.objects.create(lead=lead, kind=kind, ref=ref, at=at)
    except IntegrityError:
        return lead  # already recorded
    field = SOURCE_FIELD[EVENT_SOURCE[kind]]
    changes = {field: True}
    if at < lead.first_activity_at:
        changes["first_activity_at"] = at
    if at > lead.last_activity_at:
        changes["last_activity_at"] = at
    Lead.objects.filter(pk=lead.pk).update(**changes)
    for name, value in changes.items():
        setattr(lead, name, value)
    return lead


def lead_card_share(
    *, buyer: User, company: Company, fair_id: int | None, share: bool, ip_address: str | None = None
) -> Lead | None:
    """The buyer shares their card with the company (consent to show it their contact details, recorded per
    company, and a lead with the "card" source) or stops sharing it (consent withdrawn: every lead of theirs
    at that company turns anonymous at once)."""
    with transaction.atomic():
        contact_sharing_set(user=buyer, company=company, granted=share, ip_address=ip_address)
        if not share:
            return None
        return lead_record(
            buyer=buyer,
            company=company,
            fair_id=fair_id,
            kind=LeadEventKind.CARD_SHARED,
            ref=f"card:{timezone.now().isoformat()}",
        )


def lead_stage_change(*, lead: Lead, to: str, by: User) -> Lead:
    """Move the lead to another stage (STAGE_TRANSITIONS); writes a LeadStageChange. LeadError if the move
    is not allowed."""
    try:
        to = LeadStage(to)
    except ValueError:
        raise LeadError(_("Choose one of the stages.")) from None
    with transaction.atomic():
        locked = Lead.objects.select_for_update().get(pk=lead.pk)
        if to not in STAGE_TRANSITIONS[locked.stage]:
            raise LeadError(
                _("A lead cannot move from “%(from)s” to “%(to)s”.")
                % {"from": LeadStage(locked.stage).label, "to": to.label}
            )
        LeadStageChange.objects.create(lead=locked, from_stage=locked.stage, to_stage=to, by=by)
        Lead.objects.filter(pk=lead.pk).update(stage=to)
    lead.stage = to
    return lead


def lead_tag_add(*, lead: Lead, name: str) -> LeadTag:
    """Put a tag on the lead (made in the company's list the first time it is used)."""
    name = " ".join(name.split())
    if not name:
        raise LeadError(_("Write a tag."))
    if len(name) > TAG_MAX_LENGTH:
        raise LeadError(_("A tag has at most %(n)d characters.") % {"n": TAG_MAX_LENGTH})
    existing = LeadTag.objects.filter(company_id=lead.company_id, name__iexact=name).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = LeadTag.objects.create(company_id=lead.company_id, name=name)
        except IntegrityError:
            existing = LeadTag.objects.get(company_id=lead.company_id, name=name)
    lead.tags.add(existing)
    return existing


def lead_tag_remove(*, lead: Lead, tag_id: int) -> bool:
    """Take a tag off the lead (the tag stays in the company's list). False if it was not on it."""
    tag = lead.tags.filter(pk=tag_id).first()
    if tag is None:
        return False
    lead.tags.remove(tag)
    return True


def lead_note_add(*, lead: Lead, author: User, body: str) -> LeadNote:
    """Add a staff note to the lead, signed by its author."""
    body = body.strip()
    if not body:
        raise LeadError(_("Write the note."))
    if len(body) > NOTE_MAX_LENGTH:
        raise LeadError(_("A note has at most %(n)d characters.") % {"n": NOTE_MAX_LENGTH})
    return LeadNote.objects.create(lead=lead, author=author, body=body)


def leads_backfill() -> int:
    """Make the leads of what happened before leads existed (conversations, meetings, saved booths); safe to
    run again (events are recorded once). Returns how many events were looked at."""
    from fair.chat.models import Conversation
    from fair.meetings.enums import MeetingStatus
    from fair.meetings.models import Meeting
    from fair.models import Favourite

    count = 0
    for conversation in Conversation.objects.select_related("buyer", "company", "started_from"):
        lead_record(
            buyer=conversation.buyer,
            company=conversation.company,
            fair_id=conversation.started_from.fair_id if conversation.started_from else None,
            kind=LeadEventKind.CHAT_STARTED,
            ref=f"conversation:{conversation.pk}",
            at=conversation.created_at,
        )
        count += 1
    for meeting in Meeting.objects.select_related("buyer", "company"):
        meeting_record(meeting=meeting)
        if meeting.status == MeetingStatus.HELD:
            meeting_record(meeting=meeting, held=True)
        count += 1
    for favourite in Favourite.objects.filter(booth__isnull=False).select_related("user", "booth__company"):
        favourite_record(favourite=favourite)
        count += 1
    return count


def meeting_record(*, meeting, held: bool = False) -> Lead | None:
    """A meeting between the buyer and the company was requested (or, with `held`, took place)."""
    return lead_record(
        buyer=meeting.buyer,
        company=meeting.company,
        fair_id=meeting.fair_id,
        kind=LeadEventKind.MEETING_HELD if held else LeadEventKind.MEETING_REQUESTED,
        ref=f"meeting:{meeting.pk}",
        at=(meeting.updated_at if held else meeting.created_at) or None,
    )


def favourite_record(*, favourite) -> Lead | None:
    """The buyer saved one of the company's booths."""
    booth = favourite.booth
    return lead_record(
        buyer=favourite.user,
        company=booth.company,
        fair_id=booth.fair_id,
        kind=LeadEventKind.FAVOURITED,
        ref=f"favourite:{booth.pk}",
        at=favourite.created_at,
    )


def conversation_record(*, conversation) -> Lead | None:
    """The buyer started a chat with the company (from a booth, so at its fair, or from elsewhere)."""
    booth = conversation.started_from
    return lead_record(
        buyer=conversation.buyer,
        company=conversation.company,
        fair_id=booth.fair_id if booth else None,
        kind=LeadEventKind.CHAT_STARTED,
        ref=f"conversation:{conversation.pk}",
        at=conversation.created_at,
    )
