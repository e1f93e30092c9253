"""Data exports: one ZIP of everything the platform holds about a person (or, asked by an owner, about a
company), built by the task worker section by section, kept in private storage for 24 hours.

Each app adds its own sections from its AppConfig.ready() with `export_section_register`, so this app never
imports the apps above it (chat messages, orders and receipts come from fair.chat and payments). A section
provider takes the person (`person=`) or the company (`company=`) and returns a list of flat dicts; the ZIP
holds `data.json` ({"format", "created_at", "subject", "sections": {name: rows}}) and one `<name>.csv` per
section. The keys of every section are listed in docs/privacy.md.
"""

import csv
import io
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files import File
from django.core.mail import EmailMessage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from exhibitors.enums import DataExportStatus
from exhibitors.models import Company, DataExport, User
from exhibitors.services.mail import chamber_name, email_enqueue, site_url

logger = logging.getLogger("feria.privacy")

EXPORT_VALID_FOR = timedelta(hours=24)
EXPORT_FORMAT = "feria-export-1"

Provider = Callable[..., list[dict]]


@dataclass(frozen=True)
class ExportSection:
    name: str
    person: Provider | None = None
    company: Provider | None = None


# Section name -> its providers, in the order they were registered (the ZIP's order).
EXPORT_SECTIONS: dict[str, ExportSection] = {}


def export_section_register(name: str, *, person: Provider | None = None, company: Provider | None = None):
    """Add (or replace) a section of the exports: `person(person=user)` and/or `company(company=company)`
    each return a list of flat dicts (nested values are written to the CSV as JSON)."""
    EXPORT_SECTIONS[name] = ExportSection(name=name, person=person, company=company)


def _sections_for(export: DataExport) -> list[tuple[str, Callable[[], list[dict]]]]:
    if export.company_id:
        return [
            (s.name, lambda s=s: s.company(company=export.company))
            for s in EXPORT_SECTIONS.values()
            if s.company
        ]
    return [(s.name, lambda s=s: s.person(person=export.user)) for s in EXPORT_SECTIONS.values() if s.person]


def export_request(*, user: User, company: Company | None = None) -> DataExport:
    """Ask for an export (a DataExport row and a task for the worker, queued with it); an export already
    waiting or being prepared for the same subject is returned instead of a second one."""
    from exhibitors.tasks import data_export_prepare

    with transaction.atomic():
        pending = DataExport.objects.filter(
            user=user,
            company=company,
            status__in=[DataExportStatus.QUEUED, DataExportStatus.RUNNING],
        ).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(user=user, company=company)
    # The task is a row in the caller's transaction (django_tasks_db): the worker sees both or neither.
    data_export_prepare.enqueue(export_id=export.pk)
    export.refresh_from_db()
    return export


def rows_to_csv(rows: list[dict]) -> str:
    """One CSV table: a column per key (in the order keys first appear), nested values as JSON."""
    columns: list[str] = []
    for row in rows:
        columns.extend(key for key in row if key not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
                if isinstance(value, dict | list)
                else ("" if value is None else value)
                for key, value in row.items()
            }
        )
    return out.getvalue()


def _progress(export: DataExport, percent: int) -> None:
    export.progress = percent
    DataExport.objects.filter(pk=export.pk).update(progress=percent)


def export_build(*, export: DataExport) -> DataExport:
    """Collect every registered section for the export's subject into a ZIP in private storage (progress
    saved after each section), mark it ready for 24 hours and e-mail the person a link to their privacy page.
    A section that fails marks the export failed (logged); nothing partial is offered."""
    DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.RUNNING, progress=0)
    sections = _sections_for(export)
    data: dict[str, list[dict]] = {}
    try:
        for number, (name, collect) in enumerate(sections, start=1):
            data[name] = collect()
            _progress(export, int(90 * number / max(len(sections), 1)))
        now = timezone.now()
        document = {
            "format": EXPORT_FORMAT,
            "created_at": now,
            "subject": {"kind": "company", "id": export.company_id}
            if export.company_id
            else {"kind": "person", "id": export.user_id},
            "sections": data,
        }
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(
                    "data.json", json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
                )
                for name, rows in data.items():
                    archive.writestr(f"{name}.csv", rows_to_csv(rows))
            spool.seek(0, io.SEEK_END)
            size = spool.tell()
            spool.seek(0)
            export.file.save(f"export-{export.public_id}.zip", File(spool), save=False)
    except Exception:
        logger.exception("data export %s failed", export.pk)
        DataExport.objects.filter(pk=export.pk).update(status=DataExportStatus.FAILED)
        export.status = DataExportStatus.FAILED
        return export
    export.status = DataExportStatus.READY
    export.progress = 100
    export.size = size
    export.finished_at = now
    export.expires_at = now + EXPORT_VALID_FOR
    export.save(update_fields=["status", "progress", "file", "size", "finished_at", "expires_at"])
    export_ready_notify(export=export)
    return export


def export_ready_notify(*, export: DataExport) -> None:
    """Queue an e-mail, in the person's language, saying their export is ready (a link to the page where it
    is downloaded after signing in; the file itself is never attached)."""
    user = export.user
    language = user.preferred_language or "en"
    with translation.override(language):
        if export.company_id:
            path = reverse("company_privacy", kwargs={"company_id": export.company_id})
        else:
            path = reverse("privacy")
        context = {
            "user": user,
            "company": export.company,
            "url": site_url(path),
            "hours": int(EXPORT_VALID_FOR.total_seconds() // 3600),
            "chamber_name": chamber_name(),
        }
        subject = " ".join(render_to_string("exhibitors/emails/export_ready_subject.txt", context).split())
        body = render_to_string("exhibitors/emails/export_ready_message.txt", context)
    email_enqueue(
        EmailMessage(subject=subject, body=body, to=[user.email], headers={"Content-Language": language})
    )


def exports_expire(*, now=None) -> int:
    """Delete exports past their 24 hours, and failed ones older than that (files, rows); returns how many."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(expires_at__lte=now) | DataExport.objects.filter(
        expires_at__isnull=True, created_at__lte=now - EXPORT_VALID_FOR
    )
    count = 0
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
