"""The outcome survey: once a fair is over, each party of each held meeting is asked once what came of it."""

import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exhibitors.models import User
from exhibitors.services.mail import chamber_name, email_enqueue, site_url
from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.services.notify import people_of_side
from results.enums import OutcomeResult, OutcomeRound, OutcomeSide
from results.models import MeetingOutcome

# The second round asks this long after the fair's end: about six months, as chambers report deals that were
# only projected at the fair.
FOLLOW_UP_AFTER = timedelta(days=182)


def outcome_email(*, outcome: MeetingOutcome, recipient: User) -> EmailMessage:
    """The survey e-mail for one person of a party, in their language."""
    meeting = outcome.meeting
    other = meeting.company.legal_name if outcome.side == OutcomeSide.BUYER else str(meeting.buyer)
    try:
        zone = zoneinfo.ZoneInfo(recipient.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with translation.override(recipient.preferred_language), timezone.override(zone):
        language = translation.get_language()
        context = {
            "recipient": recipient,
            "other": other,
            "meeting": meeting,
            "starts_local": timezone.localtime(meeting.starts_at, zone),
            "answer_url": site_url(reverse("results:outcome_answer", kwargs={"outcome_id": outcome.pk})),
            "site_name": chamber_name(),
            "follow_up": outcome.round == OutcomeRound.SIX_MONTHS,
        }
        if outcome.round == OutcomeRound.SIX_MONTHS:
            subject = _("Six months on: what came of your meeting with %(other)s?") % {"other": other}
        else:
            subject = _("What came of your meeting with %(other)s?") % {"other": other}
        body = render_to_string("results/emails/outcome_survey.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[recipient.email],
        from_email=settings.DEFAULT_FROM_EMAIL,
        headers={"Content-Language": language},
    )


def outcome_surveys_send(*, now: datetime | None = None) -> int:
    """Ask each side of every held meeting what came of it, in two rounds: once its fair has ended (or
    closed early), and again `FOLLOW_UP_AFTER` (about six months) after the fair's end. A `MeetingOutcome`
    row per side and round, and an e-mail to the side's people; a side is never asked twice in one round.
    Returns the number of parties asked."""
    now = now or timezone.now()
    rounds = (
        (OutcomeRound.AFTER_FAIR, Q(fair__ends_at__lte=now) | Q(fair__closed_early=True)),
        (OutcomeRound.SIX_MONTHS, Q(fair__ends_at__lte=now - FOLLOW_UP_AFTER)),
    )
    asked = 0
    for survey_round, due in rounds:
        meetings = list(
            Meeting.objects.filter(status=MeetingStatus.HELD)
            .filter(due)
            .annotate(asked=Count("outcomes", filter=Q(outcomes__round=survey_round)))
            .filter(asked__lt=2)
            .select_related("fair", "company", "buyer", "staff")
            .order_by("pk")
        )
        asked_sides = set(
            MeetingOutcome.objects.filter(
                meeting__in=[m.pk for m in meetings], round=survey_round
            ).values_list("meeting_id", "side")
        )
        for meeting in meetings:
            for side in (OutcomeSide.BUYER, OutcomeSide.COMPANY):
                if (meeting.pk, side) in asked_sides:
                    continue
                try:
                    with transaction.atomic():
                        outcome = MeetingOutcome.objects.create(
                            meeting=meeting, side=side, round=survey_round, asked_at=now
                        )
                        outcome.meeting = meeting
                        for person in people_of_side(meeting=meeting, side=side):
                            if person.email and person.is_active:
                                email_enqueue(outcome_email(outcome=outcome, recipient=person))
                except IntegrityError:  # asked meanwhile by another run
                    continue
                asked += 1
    return asked


def outcome_party_user(*, outcome: MeetingOutcome, user) -> bool:
    """Whether the person speaks for the outcome's side: the buyer, or a member of the company."""
    meeting = outcome.meeting
    if outcome.side == OutcomeSide.BUYER:
        return meeting.buyer_id == user.pk
    return meeting.company.memberships.filter(user=user).exists()


def outcome_answer(
    *,
    outcome: MeetingOutcome,
    user,
    result: str,
    value_amount: Decimal | None = None,
    value_currency: str = "",
) -> MeetingOutcome:
    """Record (or change) the party's answer. Raises ValidationError on an unknown result or a value
    without a currency. Writes the outcome row."""
    if result not in OutcomeResult.values:
        raise ValidationError(_("Choose what came of the meeting."))
    value_currency = (value_currency or "").strip().upper()
    if value_amount is not None and value_amount < 0:
        raise ValidationError(_("The value cannot be negative."))
    if value_amount is not None and not (len(value_currency) == 3 and value_currency.isalpha()):
        raise ValidationError(_("Give the currency of the value as a three-letter code, such as USD."))
    if value_amount is None:
        value_currency = ""
    with transaction.atomic():
        locked = MeetingOutcome.objects.select_for_update().get(pk=outcome.pk)
        locked.result = result
        locked.value_amount = value_amount
        locked.value_currency = value_currency
        locked.answered_at = timezone.now()
        locked.answered_by = user
        locked.save(update_fields=["result", "value_amount", "value_currency", "answered_at", "answered_by"])
    return locked
