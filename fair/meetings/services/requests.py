"""Requesting meetings and answering requests: request, accept, decline, propose another slot, cancel,
expire. Every change also posts a meeting card in the conversation between the two sides and e-mails the
other side (fair.meetings.services.notify), after commit."""

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from exhibitors.models import Membership, Product
from exhibitors.selectors.booths import booths_live
from fair.leads.services import meeting_record
from fair.meetings.enums import SLOT_HOLDING, TIME_HOLDING, MeetingSide, MeetingStatus
from fair.meetings.models import AGENDA_MAX_LENGTH, REASON_MAX_LENGTH, BuyerAvailability, Meeting, MeetingSlot
from fair.meetings.selectors.days import day_bounds, day_of
from fair.meetings.services.errors import (
    CapReached,
    CutoffPassed,
    MeetingError,
    SlotTaken,
    TimeOverlap,
    TransitionRefused,
)
from fair.meetings.services.notify import meeting_announce
from fair.meetings.services.records import meeting_accepted_record
from fair.meetings.services.transitions import meeting_transition

# Apps above add checks a buyer's request must pass in a fair (complaints: a buyer suspended from the fair);
# each is called with the buyer and the fair and raises a MeetingError to refuse.
MEETING_REQUEST_CHECKS: list[Callable] = []


def side_of(*, meeting: Meeting, user) -> str | None:
    """The user's side in the meeting: the buyer, a member of the company, or neither (None)."""
    if not user.is_authenticated:
        return None
    if meeting.buyer_id == user.pk:
        return MeetingSide.BUYER
    if Membership.objects.filter(company_id=meeting.company_id, user=user).exists():
        return MeetingSide.COMPANY
    return None


def _clean_text(value: str, *, limit: int, required: bool, message: str) -> str:
    value = (value or "").strip()
    if required and not value:
        raise MeetingError(message, code="required")
    if len(value) > limit:
        raise MeetingError(
            _("At most %(max)d characters, please (this has %(length)d).")
            % {"max": limit, "length": len(value)},
            code="too_long",
        )
    return value


def _check_not_started(starts_at: datetime) -> None:
    if starts_at <= timezone.now():
        raise CutoffPassed(_("This time has already started or passed."), code="past")


def _check_buyer_free(*, buyer, starts_at: datetime, ends_at: datetime, exclude_pk=None) -> None:
    clash = Meeting.objects.filter(
        buyer=buyer, status__in=TIME_HOLDING, starts_at__lt=ends_at, ends_at__gt=starts_at
    ).exclude(pk=exclude_pk)
    if clash.exists():
        raise TimeOverlap(_("The buyer already has a meeting at this time."), code="buyer_busy")


def _check_staff_free(*, meeting: Meeting) -> None:
    clash = Meeting.objects.filter(
        status__in=TIME_HOLDING, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
    ).exclude(pk=meeting.pk)
    if meeting.staff_id is not None:
        clash = clash.filter(staff_id=meeting.staff_id)
        message = _("This staff member already has a meeting at this time.")
    else:
        clash = clash.filter(company_id=meeting.company_id, staff__isnull=True)
        message = _("The company already has a meeting at this time.")
    if clash.exists():
        raise TimeOverlap(message, code="staff_busy")


def _check_caps(*, buyer, fair, starts_at: datetime) -> None:
    counted = Meeting.objects.filter(
        buyer=buyer, fair=fair, requested_side=MeetingSide.BUYER, status__in=SLOT_HOLDING
    )
    if fair.meeting_cap_per_fair is not None and counted.count() >= fair.meeting_cap_per_fair:
        raise CapReached(
            _("You have made the %(cap)d meeting requests this fair allows each buyer.")
            % {"cap": fair.meeting_cap_per_fair},
            code="cap_fair",
        )
    if fair.meeting_cap_per_day is not None:
        start, end = day_bounds(day_of(starts_at, fair), fair.zone)
        if counted.filter(starts_at__gte=start, starts_at__lt=end).count() >= fair.meeting_cap_per_day:
            raise CapReached(
                _("You have made the %(cap)d meeting requests this fair allows each buyer on one day.")
                % {"cap": fair.meeting_cap_per_day},
                code="cap_day",
            )


def _expires_at(*, fair, starts_at: datetime) -> datetime:
    return min(timezone.now() + timedelta(hours=fair.meeting_request_expiry_hours), starts_at)


def _create(meeting: Meeting, products: Iterable[Product] = ()) -> Meeting:
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError:
        # Only a concurrent request for the same slot gets here: the partial unique index refused it.
        raise SlotTaken(
            _("Someone has just requested this slot. Please choose another."), code="taken"
        ) from None
    if products:
        meeting.products.set(products)
    # The buyer becomes (or stays) a lead of the company (fair.leads).
    meeting_record(meeting=meeting)
    return meeting


def _clean_products(*, company, products) -> list[Product]:
    products = list(products or ())
    if any(product.company_id != company.pk for product in products):
        raise MeetingError(_("Choose products from this exhibitor's booth."), code="products")
    return products


def meeting_request(
    *,
    buyer,
    slot: MeetingSlot,
    agenda: str,
    products: Iterable[Product] = (),
    volumes: str = "",
) -> Meeting:
    """A buyer requests a company's free slot. Writes the meeting (status requested, expiring after the
    fair's delay); after commit, a meeting card in the conversation and e-mails to the company's side.
    Raises SlotTaken, TimeOverlap, CapReached, CutoffPassed or MeetingError."""
    agenda = _clean_text(
        agenda,
        limit=AGENDA_MAX_LENGTH,
        required=True,
        message=_("Say briefly what you would like to discuss."),
    )
    volumes = _clean_text(volumes, limit=200, required=False, message="")
    products = _clean_products(company=slot.company, products=products)
    if Membership.objects.filter(company_id=slot.company_id, user=buyer).exists():
        raise MeetingError(_("You cannot request a meeting with your own company."), code="own_company")
    with transaction.atomic():
        # One request at a time per slot: the row lock (PostgreSQL) or the database's single writer
        # (SQLite's BEGIN IMMEDIATE) makes the check below see every committed request.
        locked = MeetingSlot.objects.select_for_update().select_related("fair").filter(pk=slot.pk).first()
        if locked is None:
            raise SlotTaken(_("This slot is no longer offered."), code="gone")
        fair = locked.fair
        _check_not_started(locked.starts_at)
        if not booths_live().filter(company_id=locked.company_id, fair=fair).exists():
            raise MeetingError(_("This exhibitor's booth is not open."), code="no_booth")
        if Meeting.objects.filter(slot=locked, status__in=SLOT_HOLDING).exists():
            raise SlotTaken(_("Someone has just requested this slot. Please choose another."), code="taken")
        _check_buyer_free(buyer=buyer, starts_at=locked.starts_at, ends_at=locked.ends_at)
        _check_caps(buyer=buyer, fair=fair, starts_at=locked.starts_at)
        for check in MEETING_REQUEST_CHECKS:
            check(buyer=buyer, fair=fair)
        meeting = _create(
            Meeting(
                fair=fair,
                company_id=locked.company_id,
                buyer=buyer,
                staff_id=locked.staff_id,
                slot=locked,
                starts_at=locked.starts_at,
                ends_at=locked.ends_at,
                requested_by=buyer,
                requested_side=MeetingSide.BUYER,
                agenda=agenda,
                volumes=volumes,
                expires_at=_expires_at(fair=fair, starts_at=locked.starts_at),
            ),
            products,
        )
        meeting_announce(meeting=meeting, event="requested", by=buyer)
    return meeting


def meeting_request_buyer(*, by, company, availability: BuyerAvailability, agenda: str) -> Meeting:
    """Exhibitor staff request a meeting in a buyer's published availability, with themselves. Writes the
    meeting (requested by the company's side; caps do not apply); after commit, card and e-mail to the
    buyer. Raises like meeting_request."""
    agenda = _clean_text(
        agenda,
        limit=AGENDA_MAX_LENGTH,
        required=True,
        message=_("Say briefly what you would like to discuss."),
    )
    if not Membership.objects.filter(company=company, user=by).exists():
        raise TransitionRefused(_("You are not a member of this company."), code="not_member")
    with transaction.atomic():
        locked = (
            BuyerAvailability.objects.select_for_update()
            .select_related("fair", "buyer")
            .filter(pk=availability.pk)
            .first()
        )
        if locked is None:
            raise SlotTaken(_("The buyer no longer offers this time."), code="gone")
        if locked.buyer_id == by.pk or Membership.objects.filter(company=company, user=locked.buyer).exists():
            raise MeetingError(_("You cannot request a meeting with your own company."), code="own_company")
        _check_not_started(locked.starts_at)
        if not booths_live().filter(company=company, fair=locked.fair).exists():
            raise MeetingError(_("Your company's booth at this fair is not open."), code="no_booth")
        if Meeting.objects.filter(buyer_slot=locked, status__in=SLOT_HOLDING).exists():
            raise SlotTaken(_("Someone has just requested this time. Please choose another."), code="taken")
        _check_buyer_free(buyer=locked.buyer, starts_at=locked.starts_at, ends_at=locked.ends_at)
        for check in MEETING_REQUEST_CHECKS:
            check(buyer=locked.buyer, fair=locked.fair)
        meeting = _create(
            Meeting(
                fair=locked.fair,
                company=company,
                buyer=locked.buyer,
                staff=by,
                buyer_slot=locked,
                starts_at=locked.starts_at,
                ends_at=locked.ends_at,
                requested_by=by,
                requested_side=MeetingSide.COMPANY,
                agenda=agenda,
                expires_at=_expires_at(fair=locked.fair, starts_at=locked.starts_at),
            )
        )
        meeting_announce(meeting=meeting, event="requested", by=by)
    return meeting


def _lock(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().select_related("fair").get(pk=meeting.pk)


def _check_answering_side(*, meeting: Meeting, by) -> None:
    side = side_of(meeting=meeting, user=by)
    if side is None or side == meeting.requested_side:
        raise TransitionRefused(_("Only the other side can answer this request."), code="not_answerer")


def _check_open_request(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.REQUESTED:
        raise TransitionRefused(
            _("This request is already %(status)s.") % {"status": MeetingStatus(meeting.status).label},
            code="not_open",
        )
    if meeting.expires_at is not None and meeting.expires_at <= timezone.now():
        raise CutoffPassed(_("This request has expired."), code="expired")


def meeting_accept(*, meeting: Meeting, by, external_link: str = "") -> Meeting:
    """The other side accepts a request. Writes the status (and the exhibitor's own call link, if given) and
    a `meeting.accepted` entry in the record log; after commit, card and e-mail. Raises TimeOverlap when
    either person already holds a meeting then."""
    with transaction.atomic():
        locked = _lock(meeting)
        _check_answering_side(meeting=locked, by=by)
        _check_open_request(locked)
        _check_not_started(locked.starts_at)
        _check_buyer_free(
            buyer=locked.buyer_id, starts_at=locked.starts_at, ends_at=locked.ends_at, exclude_pk=locked.pk
        )
        _check_staff_free(meeting=locked)
        changes = {"responded_at": timezone.now()}
        if external_link:
            changes["external_link"] = external_link
        try:
            with transaction.atomic():
                meeting_transition(meeting=locked, to=MeetingStatus.ACCEPTED, **changes)
        except IntegrityError:
            # PostgreSQL's exclusion constraint saw an overlapping meeting accepted at the same moment.
            raise TimeOverlap(
                _("One of you has just accepted another meeting at this time."), code="busy"
            ) from None
        meeting_accepted_record(meeting=locked, by=by)
        meeting_announce(meeting=locked, event="accepted", by=by)
    return locked


def meeting_decline(*, meeting: Meeting, by, reason: str) -> Meeting:
    """The other side declines a request with a reason. Writes the status, frees the slot; after commit,
    card and e-mail."""
    reason = _clean_text(
        reason, limit=REASON_MAX_LENGTH, required=True, message=_("Please give a reason for declining.")
    )
    with transaction.atomic():
        locked = _lock(meeting)
        _check_answering_side(meeting=locked, by=by)
        _check_open_request(locked)
        meeting_transition(
            meeting=locked, to=MeetingStatus.DECLINED, decline_reason=reason, responded_at=timezone.now()
        )
        meeting_announce(meeting=locked, event="declined", by=by)
    return locked


def meeting_propose(*, meeting: Meeting, by, slot: MeetingSlot, note: str = "") -> Meeting:
    """The company's side answers a buyer's request with another of its free slots: the request is declined
    (reason: the note, or "another time proposed") and a new request from the company in `slot` waits for
    the buyer. Writes both; after commit, card and e-mail. Returns the new request."""
    note = _clean_text(note, limit=REASON_MAX_LENGTH, required=False, message="")
    with transaction.atomic():
        locked = _lock(meeting)
        _check_answering_side(meeting=locked, by=by)
        if locked.requested_side != MeetingSide.BUYER:
            raise TransitionRefused(_("Only the exhibitor can propose another slot."), code="not_answerer")
        _check_open_request(locked)
        new_slot = (
            MeetingSlot.objects.select_for_update().filter(pk=slot.pk, company_id=locked.company_id).first()
        )
        if new_slot is None or new_slot.fair_id != locked.fair_id:
            raise SlotTaken(_("Choose one of your company's slots at this fair."), code="gone")
        _check_not_started(new_slot.starts_at)
        if Meeting.objects.filter(slot=new_slot, status__in=SLOT_HOLDING).exists():
            raise SlotTaken(_("This slot is taken. Please choose another."), code="taken")
        meeting_transition(
            meeting=locked,
            to=MeetingStatus.DECLINED,
            decline_reason=note or _("Another time proposed."),
            responded_at=timezone.now(),
        )
        proposal = _create(
            Meeting(
                fair=locked.fair,
                company_id=locked.company_id,
                buyer_id=locked.buyer_id,
                staff_id=new_slot.staff_id,
                slot=new_slot,
                starts_at=new_slot.starts_at,
                ends_at=new_slot.ends_at,
                requested_by=by,
                requested_side=MeetingSide.COMPANY,
                agenda=locked.agenda,
                volumes=locked.volumes,
                proposed_from=locked,
                expires_at=_expires_at(fair=locked.fair, starts_at=new_slot.starts_at),
            ),
            list(locked.products.all()),
        )
        meeting_announce(meeting=proposal, event="proposed", by=by)
    return proposal


def cancel_deadline(meeting: Meeting) -> datetime:
    """Until when the meeting can be cancelled: the fair's cut-off before it starts."""
    return meeting.starts_at - timedelta(hours=meeting.fair.meeting_cancel_cutoff_hours)


def meeting_cancel(*, meeting: Meeting, by, reason: str) -> Meeting:
    """Either side cancels a request or an accepted meeting, with a reason, up to the fair's cut-off.
    Writes the status (the slot is free again); after commit, card and e-mail (the .ics becomes a
    METHOD:CANCEL)."""
    reason = _clean_text(
        reason, limit=REASON_MAX_LENGTH, required=True, message=_("Please give a reason for cancelling.")
    )
    with transaction.atomic():
        locked = _lock(meeting)
        if side_of(meeting=locked, user=by) is None:
            raise TransitionRefused(_("Only the two sides can cancel this meeting."), code="not_party")
        if locked.status not in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED):
            raise TransitionRefused(
                _("This meeting is %(status)s; it cannot be cancelled.")
                % {"status": MeetingStatus(locked.status).label},
                code="not_open",
            )
        if timezone.now() > cancel_deadline(locked):
            raise CutoffPassed(
                _("Meetings at this fair can be cancelled up to %(hours)d hours before they start.")
                % {"hours": locked.fair.meeting_cancel_cutoff_hours},
                code="cutoff",
            )
        meeting_transition(meeting=locked, to=MeetingStatus.CANCELLED, cancel_reason=reason, cancelled_by=by)
        meeting_announce(meeting=locked, event="cancelled", by=by)
    return locked


def meetings_expire(*, now: datetime | None = None) -> int:
    """Expire every request nobody answered in time (run by the periodic job "meetings_expire"). Writes
    each status, freeing the slot; after commit, card and e-mail to the requester. Returns how many."""
    now = now or timezone.now()
    expired = 0
    due = Meeting.objects.filter(status=MeetingStatus.REQUESTED, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    for pk in list(due[:500]):
        with transaction.atomic():
            locked = (
                Meeting.objects.select_for_update()
                .filter(Q(pk=pk), status=MeetingStatus.REQUESTED, expires_at__lte=now)
                .first()
            )
            if locked is None:
                continue
            meeting_transition(meeting=locked, to=MeetingStatus.EXPIRED)
            meeting_announce(meeting=locked, event="expired", by=None)
            expired += 1
    return expired
