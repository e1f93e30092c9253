"""The answer deadline comes from the fair; the periodic job flags missed ones once, moves them to mediation
and tells the chamber and the opener."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cms.periodic import JOBS
from complaints.enums import EntryKind, Status
from complaints.services.complaints import complaints_flag_overdue
from tests.factories.complaints import complaint_open_as, parties_create

pytestmark = pytest.mark.django_db


def test_deadline_from_fair_setting(home_page):
    parties = parties_create(answer_days=3)
    before = timezone.now()
    complaint = complaint_open_as(parties)
    assert before + timedelta(days=3) <= complaint.answer_due_at <= timezone.now() + timedelta(days=3)


def test_default_deadline_is_seven_days(parties):
    assert parties.fair.complaint_answer_days == 7
    complaint = complaint_open_as(parties)
    assert complaint.answer_due_at - complaint.created_at == pytest.approx(
        timedelta(days=7), abs=timedelta(seconds=5)
    )


def test_missed_deadline_flagged_once_and_chamber_told(parties, chamber):
    complaint = complaint_open_as(parties)
    answered = complaint_open_as(parties, subject=parties.meeting)
    from complaints.services.complaints import complaint_answer

    complaint_answer(complaint=answered, by=parties.owner, text="We were there; you were not.")
    mail.outbox.clear()
    assert complaints_flag_overdue() == 0  # nothing due yet
    later = timezone.now() + timedelta(days=7, minutes=1)
    assert complaints_flag_overdue(now=later) == 1
    complaint.refresh_from_db()
    answered.refresh_from_db()
    assert complaint.status == Status.MEDIATION and complaint.overdue_at == later
    assert answered.status == Status.ANSWERED and answered.overdue_at is None
    assert complaint.entries.filter(kind=EntryKind.OVERDUE).count() == 1
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([parties.buyer.email, chamber.email])
    staff_mail = next(message for message in mail.outbox if message.to == [chamber.email])
    assert f"/admin/complaints/{complaint.pk}/" in staff_mail.body
    # A second run changes nothing and sends nothing.
    mail.outbox.clear()
    assert complaints_flag_overdue(now=later + timedelta(hours=1)) == 0
    assert mail.outbox == []


def test_late_answer_keeps_mediation(parties):
    from complaints.services.complaints import complaint_answer

    complaint = complaint_open_as(parties)
    complaints_flag_overdue(now=timezone.now() + timedelta(days=8))
    complaint_answer(complaint=complaint, by=parties.member, text="Sorry, we were away.")
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATION and complaint.answered_at is not None


def test_periodic_job_registered_and_runs(parties):
    complaint = complaint_open_as(parties)
    complaint.answer_due_at = timezone.now() - timedelta(minutes=1)
    complaint.save(update_fields=["answer_due_at"])
    job = next(job for job in JOBS if job.name == "complaints_overdue")
    job.run()
    complaint.refresh_from_db()
    assert complaint.status == Status.MEDIATION
