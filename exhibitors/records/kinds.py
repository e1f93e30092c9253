"""What the record log may hold. A feature adds its kind once at start-up (its AppConfig.ready) and then
appends with one call to `exhibitors.records.services.record_append` (docs/records.md, "Adding a kind")."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

KINDS: dict[str, Promise | str] = {
    "booth_application.decided": _("Booth application decision"),
    "company.verified": _("Chamber membership verified"),
    "company.unverified": _("Chamber membership verification withdrawn"),
    "company.closed": _("Company closed by its owner"),
}


def record_kind_register(kind: str, label: Promise | str) -> None:
    """Allow `kind` in the log, shown to people as `label`. Registering the same kind again is harmless."""
    KINDS[kind] = label


def record_kind_label(kind: str) -> Promise | str:
    return KINDS.get(kind, kind)


def record_subject(model_label: str, pk: int) -> str:
    """The subject key of an entry about one row, e.g. record_subject("payments.order", 12)."""
    return f"{model_label}:{pk}"
