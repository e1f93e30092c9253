from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from fair.meetings.enums import MeetingStatus
from fair.meetings.models import Meeting
from fair.meetings.services.errors import CutoffPassed, TransitionRefused
from fair.meetings.services.outcomes import meeting_mark_held, meeting_mark_no_show
from tests.factories.exhibitors import UserFactory
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db


def _past_meeting(fair, company, staff, buyer, hours_ago=2):
    start = timezone.now() - timedelta(hours=hours_ago)
    slot = MeetingSlotFactory(
        fair=fair, company=company, staff=staff, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    return MeetingFactory(slot=slot, buyer=buyer)


def test_mark_held_and_no_show(fair, company, staff, buyer):
    meeting = _past_meeting(fair, company, staff, buyer)
    reported = meeting_mark_no_show(meeting=meeting, by=staff)
    assert (reported.status, reported.no_show_side, reported.outcome_by) == (
        MeetingStatus.NO_SHOW,
        "buyer",
        staff,
    )
    corrected = meeting_mark_held(meeting=meeting, by=buyer)
    assert (corrected.status, corrected.no_show_side) == (MeetingStatus.HELD, "")


def test_outcome_refused_before_start_and_for_strangers(fair, company, staff, buyer, slot):
    upcoming = MeetingFactory(slot=slot, buyer=buyer)
    with pytest.raises(CutoffPassed):
        meeting_mark_held(meeting=upcoming, by=staff)
    with pytest.raises(TransitionRefused):
        meeting_mark_held(meeting=_past_meeting(fair, company, staff, buyer, hours_ago=5), by=UserFactory())


def test_repeated_no_shows_visible_to_chamber(client, fair, company, staff, buyer):
    for hours in (2, 5, 8):
        meeting_mark_no_show(meeting=_past_meeting(fair, company, staff, buyer, hours_ago=hours), by=staff)
    once = UserFactory(first_name="Once", last_name="Only")
    meeting_mark_no_show(meeting=_past_meeting(fair, company, staff, once, hours_ago=11), by=staff)
    assert Meeting.objects.filter(status=MeetingStatus.NO_SHOW).count() == 4
    chamber = UserFactory(is_staff=True)
    group = Group.objects.create(name="Meetings overview")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_meeting")
    )
    chamber.groups.add(group)
    url = reverse("meetings_admin_no_shows")
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code in (302, 403)
    client.force_login(chamber)
    page = client.get(url).content.decode()
    assert buyer.email in page
    assert "Once Only" not in page
