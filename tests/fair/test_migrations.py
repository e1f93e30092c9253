"""Data migrations of the fair app, run against today's models."""

import datetime
import importlib

from django.apps import apps

from fair.models import FairPage
from tests.factories.fair import FairPageFactory
from tests.fair.admin.test_hooks import spanish_copy

align = importlib.import_module("fair.migrations.0003_fair_translations_share_original_dates")


def test_translations_take_the_original_zone_and_dates_in_page_and_revisions(home_page):
    original = FairPageFactory(time_zone="America/Lima")
    copy = spanish_copy(original)
    copy.save_revision()
    drifted = datetime.datetime(2030, 1, 1, 9, 0, tzinfo=datetime.UTC)
    FairPage.objects.filter(pk=copy.pk).update(time_zone="UTC", starts_at=drifted)
    copy.refresh_from_db()
    revision = copy.latest_revision
    revision.content = {**revision.content, "time_zone": "UTC", "starts_at": "2030-01-01T09:00:00Z"}
    revision.save(update_fields=["content"])
    before = FairPage.objects.values("time_zone", "starts_at", "ends_at").get(pk=original.pk)

    align.align_translations(apps, None)

    copy.refresh_from_db()
    assert copy.time_zone == "America/Lima"
    assert copy.starts_at == original.starts_at
    draft = copy.get_latest_revision_as_object()
    assert draft.time_zone == "America/Lima"
    assert draft.starts_at == original.starts_at
    assert FairPage.objects.values("time_zone", "starts_at", "ends_at").get(pk=original.pk) == before
