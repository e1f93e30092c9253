"""Background work for exhibitors: fetch what is needed, then call a service."""

from django_tasks import task
from wagtail.images import get_image_model

from exhibitors.enums import DataExportStatus
from exhibitors.models import BoothApplication, DataExport
from exhibitors.services.decisions import application_decision_notify
from exhibitors.services.renditions import image_renditions_make


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


@task()
def image_renditions_generate(*, image_id: int, sizes: list[str]) -> int:
    """Make an image's renditions at the named sizes; returns how many exist. Nothing for a deleted image."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return image_renditions_make(image=image, sizes=sizes)


@task()
def data_export_prepare(*, export_id: int) -> str:
    """Build a requested data export and e-mail its owner; returns its status (nothing for one already
    built or deleted)."""
    from exhibitors.services.exports import export_build

    export = DataExport.objects.select_related("user", "company").filter(pk=export_id).first()
    if export is None or export.status not in (DataExportStatus.QUEUED, DataExportStatus.RUNNING):
        return ""
    return export_build(export=export).status
