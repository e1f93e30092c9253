"""The booth application state machine. Status changes only through booth_application_transition."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exhibitors.enums import ApplicationStatus
from exhibitors.models import BoothApplication

ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ApplicationStatus.PENDING: {
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    },
    # An approval is final for the chamber (the booth may be live and paid for); only the exhibitor withdraws.
    ApplicationStatus.APPROVED: {ApplicationStatus.WITHDRAWN},
    ApplicationStatus.REJECTED: {ApplicationStatus.PENDING},
    ApplicationStatus.WITHDRAWN: {ApplicationStatus.PENDING},
}

# Called with the booth, inside the transaction, whenever what the booth owes may have changed: an application
# submitted, approved, rejected, withdrawn or sent back, or a package changed. Higher apps register here
# (payments keeps the booth-fee order in step); exhibitors never imports them.
BOOTH_TERMS_CHANGED: list[Callable[..., None]] = []


def booth_terms_changed(*, booth) -> None:
    """Tell the registered listeners (BOOTH_TERMS_CHANGED) that the booth's application or package changed."""
    for listener in BOOTH_TERMS_CHANGED:
        listener(booth=booth)


# Moves that are a chamber decision (recorded with who and when) rather than the exhibitor's own.
STAFF_DECISIONS = {ApplicationStatus.APPROVED, ApplicationStatus.REJECTED}


class ApplicationTransitionError(Exception):
    """A move the state machine does not allow."""

    def __init__(self, current: str, target: str):
        self.current = current
        self.target = target
        super().__init__(
            _("An application cannot go from “%(current)s” to “%(target)s”.")
            % {
                "current": ApplicationStatus(current).label,
                "target": ApplicationStatus(target).label,
            }
        )


@transaction.atomic
def booth_application_transition(
    *, application: BoothApplication, to: str, by, reason: str = ""
) -> BoothApplication:
    """Move an application to a new status (row locked); records who decided and when."""
    locked = BoothApplication.objects.select_for_update().get(pk=application.pk)
    if to not in ALLOWED_TRANSITIONS.get(locked.status, set()):
        raise ApplicationTransitionError(locked.status, to)
    locked.status = to
    locked.reason = reason
    if to in STAFF_DECISIONS:
        locked.decided_by = by
        locked.decided_at = timezone.now()
    else:
        locked.decided_by = None
        locked.decided_at = None
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    application.refresh_from_db()
    booth_terms_changed(booth=locked.booth)
    return locked
