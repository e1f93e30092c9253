"""Payment attempts: the state machine every change of an attempt goes through."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from payments.enums import AttemptStatus
from payments.models import PaymentAttempt

S = AttemptStatus
# Where an attempt may go from each status. Succeeded, failed, expired and cancelled are final, except that a
# payment confirmed by Stripe wins over an expiry or cancellation recorded here first (events come late).
ATTEMPT_TRANSITIONS: dict[str, set[str]] = {
    S.CREATED: {S.OPEN, S.PROCESSING, S.SUCCEEDED, S.FAILED, S.EXPIRED, S.CANCELLED},
    S.OPEN: {S.PROCESSING, S.SUCCEEDED, S.FAILED, S.EXPIRED, S.CANCELLED},
    S.PROCESSING: {S.SUCCEEDED, S.FAILED},
    S.SUCCEEDED: set(),
    S.FAILED: set(),
    S.EXPIRED: {S.SUCCEEDED},
    S.CANCELLED: {S.SUCCEEDED},
}


class AttemptTransitionError(ValidationError):
    pass


def attempt_can_move(attempt: PaymentAttempt, to: str) -> bool:
    return to in ATTEMPT_TRANSITIONS[attempt.status]


def attempt_transition(*, attempt: PaymentAttempt, to: str, reason: str = "") -> PaymentAttempt:
    """Move a (locked) attempt to `to`, refusing moves the state machine forbids. Saves the row."""
    if not attempt_can_move(attempt, to):
        raise AttemptTransitionError(
            _("This payment cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(attempt.status).label, "to": S(to).label},
            code="attempt_transition",
        )
    attempt.status = to
    fields = ["status", "updated_at"]
    if to == S.SUCCEEDED:
        attempt.succeeded_at = timezone.now()
        fields.append("succeeded_at")
    if reason:
        attempt.failure_reason = reason[:2000]
        fields.append("failure_reason")
    attempt.save(update_fields=fields)
    return attempt
