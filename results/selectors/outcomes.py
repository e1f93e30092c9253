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
        .order_by("-meeting__starts_at", "pk")
    )


def outcomes_waiting(*, user) -> int:
    """How many of the person's outcome questions are still unanswered (for the dashboard's prompt)."""
    return outcomes_for_user(user=user).filter(answered_at__isnull=True).count()
