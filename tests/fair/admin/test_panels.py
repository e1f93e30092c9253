"""Opening a fair page in the editor: a fixed, small number of queries, and no template per time-zone option
(the ~600-option list rendered through the template engine twice was most of the editor's time)."""

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.exhibitors import SectorFactory
from tests.factories.fair import BoothPackageFactory, FairPageFactory, HallFactory

# Wagtail's own editor (permissions, revisions, workflow, comments, locales, editing session) plus the
# fair's halls and packages panel, and wagtail-localize's translation actions (on the demo fair, which has
# translations, one more lookup of its translation source).
EDITOR_QUERY_BUDGET = 46


def edit_url(fair):
    return f"/admin/pages/{fair.pk}/edit/"


def test_fair_editor_query_count_does_not_grow_with_halls_and_packages(staff_client, home_page):
    fair = FairPageFactory()
    HallFactory(fair=fair, sector=SectorFactory())
    BoothPackageFactory(fair=fair)
    staff_client.get(edit_url(fair))
    with CaptureQueriesContext(connection) as one:
        staff_client.get(edit_url(fair))

    for _ in range(6):
        HallFactory(fair=fair, sector=SectorFactory())
        BoothPackageFactory(fair=fair)
    with CaptureQueriesContext(connection) as many:
        content = staff_client.get(edit_url(fair)).content.decode()

    assert content.count("/admin/halls/edit/") == 7
    assert len(many) == len(one)
    assert len(many) <= EDITOR_QUERY_BUDGET


def test_fair_editor_renders_time_zone_list_without_a_template_per_option(staff_client, home_page):
    fair = FairPageFactory(time_zone="Europe/Lisbon")

    response = staff_client.get(edit_url(fair))

    rendered = Counter(template.name for template in response.templates)
    assert rendered["django/forms/widgets/select_option.html"] < 50
    assert sum(rendered.values()) < 800
    assert '<option value="Europe/Lisbon" selected>Europe/Lisbon</option>' in response.content.decode()
