import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.report import REPORT_SECTIONS, ReportTable, report_build, report_section_register
from tests.factories.exhibitors import BoothFactory, CompanyFactory, UserFactory
from tests.factories.fair import HallFactory
from tests.factories.results import at, chat, known_fair, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(home_page):
    return known_fair()


def table(fair, key) -> ReportTable:
    return next(item for item in report_build(fair) if item.key == key)


def test_report_by_hall_matches_the_known_fair(known):
    rows = table(known.fair, "halls").rows

    d = Decimal
    assert rows[0] == ["North", 1, 4, 4, 6, 4, 2, d("66.7"), d("1.33"), d("30.0"), "$175.50", "", 1]
    assert rows[1] == ["South", 1, 2, 1, 1, 1, 1, d("100.0"), d("1.00"), None, "", "", 1]
    assert rows[2] == ["Whole fair", 2, 4, 5, 7, 5, 3, d("71.4"), d("1.20"), d("30.0"), "$175.50", "", 2]


def test_report_by_country_and_unanswered_booths(known):
    countries = table(known.fair, "countries").rows
    assert [row[0] for row in countries] == ["Colombia", "Peru", "Whole fair"]
    assert countries[1][1:7] == [1, 4, 4, 6, 4, 2]

    unanswered = table(known.fair, "unanswered").rows
    assert unanswered == [["Andes Coffee", "North", 4, 1], ["Cafe Sierra", "South", 1, 1]]


def test_report_csv_has_every_section(staff_client, known):
    response = staff_client.get(reverse("results_chamber_report_csv") + f"?fair={known.fair.pk}")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["fair", known.fair.slug]
    assert rows[1] == ["section", "halls"]
    assert rows[2][:4] == ["group", "exhibitors", "buyers", "chats"]
    assert rows[3] == ["North", "1", "4", "4", "6", "4", "2", "66.7", "1.33", "30.0", "$175.50", "", "1"]
    assert ["section", "outcomes"] in rows


def test_report_page_for_chamber_staff_only(client, staff_client, known):
    url = reverse("results_chamber_report") + f"?fair={known.fair.pk}"
    response = staff_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "By hall" in html and "Booths whose chats go unanswered" in html

    client.force_login(known.owner)
    assert client.get(url).status_code in (302, 403)
    assert client.get(reverse("results_chamber_report_csv") + f"?fair={known.fair.pk}").status_code in (
        302,
        403,
    )


def test_report_queries_do_not_grow_with_booths(staff_client, known):
    url = reverse("results_chamber_report") + f"?fair={known.fair.pk}"
    staff_client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert staff_client.get(url).status_code == 200
    hall = HallFactory(fair=known.fair, name="East")
    for n in range(4):
        booth = BoothFactory(
            company=CompanyFactory(country="EC"), fair=known.fair, hall=hall, status="approved"
        )
        buyer = UserFactory()
        chat(booth=booth, buyer=buyer, member=known.owner, started=at(11, 9 + n), reply_after=None)
        meeting(
            fair=known.fair,
            company=booth.company,
            buyer=buyer,
            status="held",
            created=at(10, 9),
            starts=at(12, 9),
        )

    with CaptureQueriesContext(connection) as after:
        assert staff_client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


def test_other_apps_add_a_section_through_the_registry(known):
    def complaints_section(fair):
        return ReportTable(
            key="complaints", title="Complaints", columns=["Open"], column_keys=["open"], rows=[[3]]
        )

    saved = list(REPORT_SECTIONS)
    try:
        report_section_register("complaints", complaints_section, order=50)
        keys = [item.key for item in report_build(known.fair)]
    finally:
        REPORT_SECTIONS[:] = saved
    assert keys == ["halls", "countries", "unanswered", "outcomes", "outcomes_six_months", "complaints"]
