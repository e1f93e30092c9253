"""The demo seed's privacy step: the demo buyer's consents, so the privacy page shows a history.

They agreed to e-mails about fairs at sign-up, later allowed sharing their contact details, then withdrew
e-mails about fairs. Recorded once: a second run finds the rows and adds nothing.
"""

from exhibitors.enums import ConsentKind
from exhibitors.models import Consent
from exhibitors.services.consents import consent_record

DEMO_CONSENTS = (
    (ConsentKind.MARKETING, True),
    (ConsentKind.CONTACT_SHARING, True),
    (ConsentKind.MARKETING, False),
)


def privacy_demo(buyer) -> None:
    """Give the demo buyer a few consent decisions (once)."""
    kinds = {kind for kind, _granted in DEMO_CONSENTS}
    if Consent.objects.filter(user=buyer, kind__in=kinds).exists():
        return
    for kind, granted in DEMO_CONSENTS:
        consent_record(user=buyer, kind=kind, granted=granted)
