"""The chamber's decision on a complaint, the refund it may lead to, suspensions, and the parties' feedback.
Each decision is appended to the record log ("complaint.decided"), so both parties can download a signed
receipt of it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.enums import OPEN_STATUSES, EntryKind, Outcome, Side, Status, SubjectKind
from complaints.models import TEXT_MAX_LENGTH, Complaint, ComplaintEntry, ComplaintFeedback, FairSuspension
from complaints.services.complaints import CHAMBER, ComplaintRefused, _clean, _locked, party_side
from complaints.services.notify import complaint_notify
from exhibitors.cache_tags import purge_companies
from exhibitors.records.chain import time_text
from exhibitors.records.kinds import record_kind_register, record_subject
from exhibitors.records.services import record_append
from fair.chat.enums import SanctionKind
from fair.chat.services.moderation import user_sanction, user_unblock
from payments.enums import OrderKind
from payments.models import Refund
from payments.services.refunds import refund_create, refundable_amount

KIND_DECIDED = "complaint.decided"


def complaint_record_kinds_register() -> None:
    """Called once at start-up (complaints.apps)."""
    record_kind_register(KIND_DECIDED, gettext_lazy("Complaint decided"))


def refund_possible(complaint: Complaint) -> int:
    """What could be refunded by card on the complaint's order (0: not a Stripe-paid buyer payment)."""
    order = complaint.order
    if order is None or order.kind != OrderKind.BUYER_PAYMENT or order.paid_at is None:
        return 0
    return refundable_amount(order)


def _record(complaint: Complaint):
    facts = {
        "complaint_id": complaint.pk,
        "subject_kind": complaint.subject_kind,
        "order": complaint.order.reference if complaint.order_id else None,
        "meeting": str(complaint.meeting.uuid) if complaint.meeting_id else None,
        "conversation_id": complaint.conversation_id,
        "fair_id": complaint.fair_id,
        "buyer_id": complaint.buyer_id,
        "company_id": complaint.company_id,
        "opened_side": complaint.opened_side,
        "opened_at": time_text(complaint.created_at),
        "outcome": complaint.outcome,
        "sanctioned_side": complaint.sanctioned_side or None,
        "refund_amount": complaint.refund_amount,
        "currency": complaint.order.currency if complaint.order_id else None,
        "decision": complaint.decision_text,
        "decided_at": time_text(complaint.decided_at),
    }
    return record_append(
        kind=KIND_DECIDED,
        facts=facts,
        subject=record_subject("complaints.complaint", complaint.pk),
        users=[complaint.buyer_id],
        companies=[complaint.company_id],
    )


@transaction.atomic
def complaint_decide(
    *,
    complaint: Complaint,
    by,
    outcome: str,
    text: str,
    sanctioned_side: str = "",
    refund_amount: int | None = None,
) -> Complaint:
    """Staff decide an open complaint: agreement, refund recommended (an amount up to what the order can
    still refund by card, or, without a card payment, any amount up to its total), a warning or a suspension
    from the fair for one side. Side effects: the complaint decided, a history entry, a "complaint.decided"
    record, for a suspension a FairSuspension (the company's booth is hidden in the fair; a buyer can request
    no meetings there and is blocked from the chat), for a buyer's warning a chat warning; e-mails to both
    parties. Raises ComplaintRefused."""
    locked = _locked(complaint)
    if locked.status not in OPEN_STATUSES:
        raise ComplaintRefused(_("This complaint is decided already."), code="decided")
    if outcome not in Outcome.values:
        raise ComplaintRefused({"outcome": [_("Choose an outcome.")]}, code="outcome")
    text = _clean(text, limit=TEXT_MAX_LENGTH, message=_("Explain the decision; both parties read it."))
    if outcome in (Outcome.WARNING, Outcome.SUSPENSION):
        if sanctioned_side not in Side.values:
            raise ComplaintRefused({"sanctioned_side": [_("Choose who it is for.")]}, code="side")
    else:
        sanctioned_side = ""
    if outcome == Outcome.SUSPENSION and locked.fair_id is None:
        raise ComplaintRefused(_("This complaint belongs to no fair, so nobody can be suspended from one."))
    if outcome == Outcome.REFUND:
        if locked.order_id is None:
            raise ComplaintRefused(_("A refund can be recommended only on a complaint about an order."))
        limit = refund_possible(locked) or locked.order.total_amount
        if refund_amount is None or refund_amount <= 0 or refund_amount > limit:
            raise ComplaintRefused(
                {"refund_amount": [_("Enter an amount above zero and not above what was paid.")]},
                code="refund_amount",
            )
    else:
        refund_amount = None
    locked.status = Status.DECIDED
    locked.outcome = outcome
    locked.sanctioned_side = sanctioned_side
    locked.decision_text = text
    locked.refund_amount = refund_amount
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.save()
    if outcome == Outcome.SUSPENSION:
        if sanctioned_side == Side.COMPANY:
            FairSuspension.objects.create(
                fair_id=locked.fair_id, company_id=locked.company_id, complaint=locked
            )
        else:
            FairSuspension.objects.create(fair_id=locked.fair_id, user_id=locked.buyer_id, complaint=locked)
            user_sanction(user=locked.buyer, moderator=by, kind=SanctionKind.BLOCK, reason=text)
    elif outcome == Outcome.WARNING and sanctioned_side == Side.BUYER:
        user_sanction(user=locked.buyer, moderator=by, kind=SanctionKind.WARNING, reason=text)
    ComplaintEntry.objects.create(
        complaint=locked, kind=EntryKind.DECISION, author=by, author_side=CHAMBER, body=text
    )
    locked.record = _record(locked)
    locked.save(update_fields=["record"])
    complaint_notify(complaint=locked, event="decided", sides=[Side.BUYER, Side.COMPANY])
    return locked


def complaint_refund_issue(*, complaint: Complaint, by) -> Refund:
    """Issue the recommended refund through payments (refund_create: the refund row first, then Stripe,
    reversing the transfer). Only for a decided "refund recommended" on a Stripe-paid buyer payment, once.
    Side effects: a Refund (and what refund_create does), the complaint's link to it, a history entry.
    Raises ComplaintRefused or payments' BuyerPaymentRefused."""
    with transaction.atomic():
        locked = _locked(complaint)
        if locked.outcome != Outcome.REFUND or locked.subject_kind != SubjectKind.ORDER:
            raise ComplaintRefused(_("No refund was recommended on this complaint."), code="no_refund")
        if locked.refund_id is not None:
            raise ComplaintRefused(_("The refund has been issued already."), code="issued")
        if not refund_possible(locked):
            raise ComplaintRefused(_("This order has no card payment left to refund."), code="not_card")
    refund = refund_create(
        order=locked.order,
        by=by,
        amount=locked.refund_amount,
        reason=_("Complaint #%(number)s") % {"number": locked.pk},
    )
    with transaction.atomic():
        locked = _locked(complaint)
        locked.refund = refund
        locked.save(update_fields=["refund", "updated_at"])
        ComplaintEntry.objects.create(complaint=locked, kind=EntryKind.REFUND, author=by, author_side=CHAMBER)
    return refund


@transaction.atomic
def complaint_feedback(*, complaint: Complaint, by, resolved: bool, comment: str = "") -> ComplaintFeedback:
    """A party says, after the decision, whether it resolved their problem (once per side). Side effects:
    a ComplaintFeedback row and a history entry."""
    locked = _locked(complaint)
    side = party_side(complaint_or_subject=locked, user=by)
    if side is None:
        raise ComplaintRefused(_("You are not a party to this."), code="not_party")
    if locked.status != Status.DECIDED:
        raise ComplaintRefused(_("You can say this once the chamber has decided."), code="not_decided")
    if ComplaintFeedback.objects.filter(complaint=locked, side=side).exists():
        raise ComplaintRefused(_("Your side has answered already."), code="given")
    comment = (comment or "").strip()[:2000]
    feedback = ComplaintFeedback.objects.create(
        complaint=locked, side=side, resolved=resolved, comment=comment, given_by=by
    )
    ComplaintEntry.objects.create(
        complaint=locked, kind=EntryKind.FEEDBACK, author=by, author_side=side, body=comment
    )
    return feedback


def suspension_lift(*, complaint: Complaint, by, reason: str) -> int:
    """Staff lift the suspension a complaint's decision placed: the company's booth is live in the fair again,
    or the buyer may request meetings there again and their chat block is lifted (unless another suspension
    still holds them). Side effects: the FairSuspension rows marked lifted, a history entry both parties see,
    e-mails to both parties. Returns the number of suspensions lifted. Raises ComplaintRefused."""
    reason = _clean(reason, limit=TEXT_MAX_LENGTH, message=_("Give a reason; both parties read it."))
    with transaction.atomic():
        locked = _locked(complaint)
        active = FairSuspension.objects.filter(complaint=locked, lifted_at__isnull=True)
        suspended_user_ids = list(active.exclude(user=None).values_list("user_id", flat=True))
        suspended_company_ids = list(active.exclude(company=None).values_list("company_id", flat=True))
        lifted = active.update(lifted_at=timezone.now())
        # update() sends no signal: the company's booth shows again.
        purge_companies(suspended_company_ids)
        if not lifted:
            raise ComplaintRefused(_("No suspension of this complaint is in force."), code="no_suspension")
        for user_id in suspended_user_ids:
            still = FairSuspension.objects.filter(user_id=user_id, lifted_at__isnull=True).exists()
            if not still:
                user_unblock(user=locked.buyer, moderator=by)
        ComplaintEntry.objects.create(
            complaint=locked, kind=EntryKind.SUSPENSION_LIFTED, author=by, author_side=CHAMBER, body=reason
        )
        complaint_notify(complaint=locked, event="lifted", sides=[Side.BUYER, Side.COMPANY])
    return lifted
