import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from results.selectors.dashboard import exhibitor_dashboard
from tests.factories.exhibitors import BoothFactory, MembershipFactory, UserFactory
from tests.factories.results import DAY1, DAY2, DAY3, at, chat, known_fair, meeting, paid_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(home_page):
    return known_fair()


def per_day(dashboard, key):
    series = dashboard.get(key)
    return [series.per_day[day] for day in (DAY1, DAY2, DAY3)], series.total


def test_dashboard_numbers_match_the_known_fair(known):
    data = exhibitor_dashboard(company=known.company, fair=known.fair)

    assert data.days == [DAY1, DAY2, DAY3]
    assert per_day(data, "views") == ([40, 0, 7], 47)
    assert per_day(data, "visitors") == ([12, 0, 5], 17)
    assert per_day(data, "chats_started") == ([2, 2, 0], 4)
    assert per_day(data, "chats_answered") == ([2, 1, 0], 3)
    assert per_day(data, "first_response") == ([1200, 3600, None], 1800)
    assert per_day(data, "meetings_requested") == ([3, 2, 1], 6)
    assert per_day(data, "meetings_accepted") == ([0, 2, 2], 4)
    assert per_day(data, "meetings_held") == ([0, 2, 0], 2)
    assert per_day(data, "meetings_no_show") == ([0, 0, 1], 1)
    assert per_day(data, "paid_USD") == ([Decimal(0), Decimal("175.50"), Decimal(0)], Decimal("175.50"))
    assert [series.key for series in data.series][-1] == "paid_USD"


def test_dashboard_counts_new_leads_per_day_and_leads_by_stage(client, known):
    from fair.leads.enums import LeadStage
    from tests.factories.leads import LeadFactory

    for day, stage in ((10, LeadStage.NEW), (10, LeadStage.WON), (12, LeadStage.WON)):
        LeadFactory(company=known.company, fair=known.fair, first_activity_at=at(day, 15), stage=stage)
    LeadFactory(fair=known.fair, first_activity_at=at(10, 15))  # another company's lead

    data = exhibitor_dashboard(company=known.company, fair=known.fair)
    assert per_day(data, "new_leads") == ([2, 0, 1], 3)

    client.force_login(known.owner)
    html = client.get(reverse("results:dashboard", args=[known.company.pk, known.fair.pk])).content.decode()
    chart_url = reverse("results:chart", args=[known.company.pk, known.fair.pk, "leads_by_stage"])
    assert f'<img src="{chart_url}"' in html
    assert f"stage={LeadStage.WON}</a>" not in html  # the stage is the link's parameter, its label the text
    assert f'stage={LeadStage.WON}">{LeadStage.WON.label}</a></td><td>2</td>' in html
    svg = client.get(chart_url)
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert str(LeadStage.WON.label) in svg.content.decode()


def test_dashboard_page_shows_each_chart_with_its_table(client, known):
    client.force_login(known.staff_member)
    response = client.get(reverse("results:dashboard", args=[known.company.pk, known.fair.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    chart_url = reverse("results:chart", args=[known.company.pk, known.fair.pk, "meetings_held"])
    assert f'<img src="{chart_url}"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]
    assert "30.0 min" in html  # the total median first response
    assert "175.50" in html


def test_chart_is_an_svg_image_without_inline_style(client, known):
    client.force_login(known.owner)
    response = client.get(reverse("results:chart", args=[known.company.pk, known.fair.pk, "views"]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg
    assert svg.count('fill="#1f6f8b"') == 2  # a bar for each day with views
    assert (
        client.get(reverse("results:chart", args=[known.company.pk, known.fair.pk, "nope"])).status_code
        == 404
    )


def test_csv_has_a_row_per_day_and_the_totals(client, known):
    client.force_login(known.owner)
    response = client.get(reverse("results:dashboard_csv", args=[known.company.pk, known.fair.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "day",
        "views",
        "visitors",
        "chats_started",
        "chats_answered",
        "first_response",
        "meetings_requested",
        "meetings_accepted",
        "meetings_held",
        "meetings_no_show",
        "new_leads",
        "paid_USD",
    ]
    assert rows[1] == ["2026-03-10", "40", "12", "2", "2", "1200", "3", "0", "0", "0", "0", "0"]
    assert rows[3] == ["2026-03-12", "7", "5", "0", "0", "", "1", "2", "0", "1", "0", "0"]
    assert rows[4] == ["total", "47", "17", "4", "3", "1800", "6", "4", "2", "1", "0", "175.50"]


@pytest.mark.parametrize("name", ["dashboard", "dashboard_csv"])
def test_other_companies_and_strangers_get_404(client, known, name):
    url = reverse(f"results:{name}", args=[known.company.pk, known.fair.pk])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    for person in (known.other_owner, UserFactory(), known.buyers[0]):
        client.force_login(person)
        assert client.get(url).status_code == 404
    client.force_login(known.other_owner)
    chart = reverse("results:chart", args=[known.company.pk, known.fair.pk, "views"])
    assert client.get(chart).status_code == 404


def test_fair_without_the_companys_booth_is_404(client, known):
    other = BoothFactory()
    client.force_login(known.owner)
    assert client.get(reverse("results:dashboard", args=[known.company.pk, other.fair.pk])).status_code == 404


def test_dashboard_queries_do_not_grow_with_chats_meetings_and_orders(
    client, known, django_assert_num_queries
):
    client.force_login(known.owner)
    url = reverse("results:dashboard", args=[known.company.pk, known.fair.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(5):
        buyer = UserFactory()
        chat(
            booth=known.booth,
            buyer=buyer,
            member=known.owner,
            started=at(12, 9 + n),
            reply_after=timedelta(minutes=n),
        )
        meeting(
            fair=known.fair,
            company=known.company,
            buyer=buyer,
            status="held",
            created=at(10, 9),
            starts=at(12, 16 + n),
        )
        paid_order(
            fair=known.fair, company=known.company, buyer=buyer, amount=100, paid_at=at(12, 9), currency="EUR"
        )
    MembershipFactory(company=known.company, role="staff")

    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_dashboard_is_translated(client, known):
    known.owner.preferred_language = "es"
    known.owner.save()
    client.force_login(known.owner)
    response = client.get("/es" + reverse("results:dashboard", args=[known.company.pk, known.fair.pk])[3:])
    html = response.content.decode()
    assert "Visitas al stand" in html
    assert "Descargar estas cifras (CSV)" in html
