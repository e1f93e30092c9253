"""Which outcome questions a person may answer: the buyer's own, and their companies' sides."""

from django.db.models import Q, QuerySet

from results.enums import OutcomeSide
from results.models import MeetingOutcome


def outcomes_for_user(*, user) -> QuerySet[MeetingOutcome]:
    """Every outcome row the person speaks for, newest meeting first."""
    if not user.is_authenticated:
        return MeetingOutcome.objects.none()
    return (
        MeetingOutcome.objects.filter(
            Q(side=OutcomeSide.BUYER, meeting__buyer=user)
            | Q(side=OutcomeSide.COMPANY, meeting__company__memberships__user=user)
        )
        .select_related("meeting__fair", "meeting__company", "meeting__buyer")
        .distinct()
        .order_by("-meeting__starts_at", "round", "pk")
    )


def outcomes_waiting(*, user) -> int:
    """How many of the person's outcome questions are still unanswered (for the dashboard's prompt)."""
    return outcomes_for_user(user=user).filter(answered_at__isnull=True).count()


def _outcome_rows(queryset) -> list[dict]:
    return [
        {
            "meeting": str(outcome.meeting.uuid),
            "fair": outcome.meeting.fair.title,
            "meeting_starts_at": outcome.meeting.starts_at,
            "side": outcome.side,
            "round": outcome.round,
            "asked_at": outcome.asked_at,
            "result": outcome.result,
            "value_amount": outcome.value_amount,
            "value_currency": outcome.value_currency,
            "answered_at": outcome.answered_at,
        }
        for outcome in queryset.select_related("meeting__fair").order_by("meeting__starts_at", "pk")
    ]


def export_person_outcomes(*, person) -> list[dict]:
    """The person's own answers as a buyer (data export section `meeting_outcomes`)."""
    return _outcome_rows(MeetingOutcome.objects.filter(side=OutcomeSide.BUYER, meeting__buyer=person))


def export_company_outcomes(*, company) -> list[dict]:
    """The company's answers (data export section `meeting_outcomes`)."""
    return _outcome_rows(MeetingOutcome.objects.filter(side=OutcomeSide.COMPANY, meeting__company=company))


def export_sections_register() -> None:
    from exhibitors.services.exports import export_section_register

    export_section_register(
        "meeting_outcomes", person=export_person_outcomes, company=export_company_outcomes
    )
