"""The fair page's editor reads and shows every date and time in the fair's own zone (admin form)."""

import datetime
import re
import zoneinfo

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from fair.models import FairPage
from tests.factories.fair import FairPageFactory

UTC = datetime.UTC
LIMA = zoneinfo.ZoneInfo("America/Lima")
LISBON = zoneinfo.ZoneInfo("Europe/Lisbon")


def page_data(**overrides):
    data = {
        "title": "Andean Coffee Fair",
        "slug": "andean-coffee-fair",
        "summary": "",
        "intro": streamfield([]),
        "cover_image": "",
        "time_zone": "America/Lima",
        "applications_open_at": "2026-10-01 00:00",
        "applications_close_at": "2026-11-24 18:00",
        "starts_at": "2026-12-01 09:00",
        "ends_at": "2026-12-05 18:00",
        "booth_payment_required": "",
        "commission_percent": "0",
        "refund_application_fee": "on",
        "meeting_request_expiry_hours": "48",
        "meeting_cancel_cutoff_hours": "2",
        "complaint_answer_days": "7",
        "go_live_at": "",
        "expire_at": "",
        "comments": {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0, "MAX_NUM_FORMS": 1000},
    }
    data.update(overrides)
    return nested_form_data(data)


def create_url(home_page):
    return f"/admin/pages/add/fair/fairpage/{home_page.pk}/"


def edit_url(fair):
    return f"/admin/pages/{fair.pk}/edit/"


def field_value(content: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def test_new_fair_in_lima_is_read_in_lima_time(staff_client, home_page):
    response = staff_client.post(create_url(home_page), page_data())

    assert response.status_code == 302, response.content.decode()[:3000]
    fair = FairPage.objects.get(slug="andean-coffee-fair")
    assert fair.starts_at == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert fair.ends_at == datetime.datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    assert fair.applications_open_at == datetime.datetime(2026, 10, 1, 5, 0, tzinfo=UTC)


@pytest.fixture
def berlin_staff_client(staff_client, staff):
    """Staff whose own zone is neither the fair's nor UTC: nothing may depend on it."""
    staff.time_zone = "Europe/Berlin"
    staff.save(update_fields=["time_zone"])
    return staff_client


def lima_fair():
    return FairPageFactory(
        title="Andean Coffee Fair",
        slug="andean-coffee-fair",
        time_zone="America/Lima",
        applications_open_at=datetime.datetime(2026, 10, 1, 5, 0, tzinfo=UTC),
        applications_close_at=datetime.datetime(2026, 11, 24, 23, 0, tzinfo=UTC),
        starts_at=datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC),
        ends_at=datetime.datetime(2026, 12, 5, 23, 0, tzinfo=UTC),
    )


def test_edit_form_shows_lima_fair_in_lima_time_with_zone_named(berlin_staff_client, home_page):
    fair = lima_fair()

    content = berlin_staff_client.get(edit_url(fair)).content.decode()

    assert field_value(content, "starts_at") == "2026-12-01 09:00"
    assert field_value(content, "ends_at") == "2026-12-05 18:00"
    assert field_value(content, "applications_open_at") == "2026-10-01 00:00"
    assert "In the fair&#x27;s time zone: America/Lima (UTC−05:00)." in content


def test_edit_round_trip_keeps_lima_instants(berlin_staff_client, home_page):
    fair = lima_fair()

    response = berlin_staff_client.post(edit_url(fair), page_data(**{"action-publish": "action-publish"}))

    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.starts_at == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    assert fair.applications_close_at == datetime.datetime(2026, 11, 24, 23, 0, tzinfo=UTC)


def test_lisbon_fair_across_the_spring_change_is_read_in_each_days_offset(staff_client, home_page):
    data = page_data(
        time_zone="Europe/Lisbon",
        applications_open_at="2026-01-05 09:00",
        applications_close_at="2026-03-20 18:00",
        starts_at="2026-03-28 10:00",
        ends_at="2026-03-30 10:00",
    )

    response = staff_client.post(create_url(home_page), data)

    assert response.status_code == 302
    fair = FairPage.objects.get(slug="andean-coffee-fair")
    # Winter time (UTC+0) before the night of 29 March 2026, summer time (UTC+1) after.
    assert fair.starts_at == datetime.datetime(2026, 3, 28, 10, 0, tzinfo=UTC)
    assert fair.ends_at == datetime.datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    content = staff_client.get(edit_url(fair)).content.decode()
    assert field_value(content, "starts_at") == "2026-03-28 10:00"
    assert field_value(content, "ends_at") == "2026-03-30 10:00"
    assert "Europe/Lisbon" in content


def test_lisbon_time_right_after_the_clocks_go_forward_is_accepted(staff_client, home_page):
    data = page_data(
        time_zone="Europe/Lisbon",
        applications_close_at="2026-03-29 02:00",
        applications_open_at="2026-01-05 09:00",
        starts_at="2026-04-01 09:00",
        ends_at="2026-04-03 18:00",
    )

    response = staff_client.post(create_url(home_page), data)

    assert response.status_code == 302
    fair = FairPage.objects.get(slug="andean-coffee-fair")
    assert fair.applications_close_at == datetime.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-03-29 01:30", "does not exist in Europe/Lisbon: the clocks go forward that night"),
        ("2026-10-25 01:30", "happens twice in Europe/Lisbon: the clocks go back that night"),
    ],
)
def test_lisbon_time_the_clocks_skip_or_repeat_is_refused(staff_client, home_page, typed, message):
    data = page_data(
        time_zone="Europe/Lisbon",
        applications_open_at="2026-01-05 09:00",
        applications_close_at=typed,
        starts_at="2026-11-02 09:00",
        ends_at="2026-11-06 18:00",
    )

    response = staff_client.post(create_url(home_page), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FairPage.objects.filter(slug="andean-coffee-fair").exists()


def test_zone_change_without_a_choice_is_refused(staff_client, home_page):
    fair = lima_fair()

    response = staff_client.post(
        edit_url(fair), page_data(time_zone="Europe/Lisbon", **{"action-publish": "action-publish"})
    )

    assert response.status_code == 200
    assert "The time zone changes from America/Lima to Europe/Lisbon" in response.content.decode()
    fair.refresh_from_db()
    assert fair.time_zone == "America/Lima"


def test_zone_change_keeping_wall_clock_moves_the_moments(staff_client, home_page):
    fair = lima_fair()

    response = staff_client.post(
        edit_url(fair),
        page_data(
            time_zone="Europe/Lisbon", zone_change="wall_clock", **{"action-publish": "action-publish"}
        ),
    )

    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.time_zone == "Europe/Lisbon"
    # 09:00 as written, now in Lisbon (winter time, UTC+0).
    assert fair.starts_at == datetime.datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert fair.ends_at == datetime.datetime(2026, 12, 5, 18, 0, tzinfo=UTC)


def test_zone_change_keeping_instants_shows_converted_times(staff_client, home_page):
    fair = lima_fair()

    response = staff_client.post(
        edit_url(fair),
        page_data(time_zone="Europe/Lisbon", zone_change="instants", **{"action-publish": "action-publish"}),
    )

    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.time_zone == "Europe/Lisbon"
    assert fair.starts_at == datetime.datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    content = staff_client.get(edit_url(fair)).content.decode()
    assert field_value(content, "starts_at") == "2026-12-01 14:00"
    assert "Europe/Lisbon (UTC" in content


def test_zone_change_choice_is_not_asked_for_a_new_fair(staff_client, home_page):
    content = staff_client.get(create_url(home_page)).content.decode()

    assert 'name="zone_change"' not in content
    assert "In the fair&#x27;s time zone (the “Time zone” field above)." in content


def test_scheduled_publishing_is_read_in_the_fair_zone(staff_client, home_page):
    fair = lima_fair()

    response = staff_client.post(
        edit_url(fair), page_data(go_live_at="2027-01-10 08:00", expire_at="2027-02-01 20:00")
    )

    assert response.status_code == 302
    draft = FairPage.objects.get(pk=fair.pk).get_latest_revision_as_object()
    assert draft.go_live_at == datetime.datetime(2027, 1, 10, 13, 0, tzinfo=UTC)
    assert draft.expire_at == datetime.datetime(2027, 2, 2, 1, 0, tzinfo=UTC)
    content = staff_client.get(edit_url(fair)).content.decode()
    assert field_value(content, "go_live_at") == "2027-01-10 08:00"
