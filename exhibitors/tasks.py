"""Background work for exhibitors: fetch what is needed, then call a service."""

from django_tasks import task

from exhibitors.models import BoothApplication
from exhibitors.services.decisions import application_decision_notify


@task()
def application_decision_email(*, application_id: int, status: str) -> int:
    """E-mail the chamber's decision to the company's members; returns how many e-mails went out.

    Sends nothing when the application has moved on since (a later decision queues its own e-mail).
    """
    application = (
        BoothApplication.objects.select_related("booth__company", "booth__fair", "booth__hall")
        .filter(pk=application_id, status=status)
        .first()
    )
    if application is None:
        return 0
    return application_decision_notify(application=application)
