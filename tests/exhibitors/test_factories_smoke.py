from exhibitors.enums import ApplicationStatus
from exhibitors.selectors.booths import booth_is_live
from tests.factories.exhibitors import BoothFactory


def test_booth_is_live_only_when_approved(db, home_page):
    pending = BoothFactory()
    approved = BoothFactory(status=ApplicationStatus.APPROVED, fair=pending.fair)
    assert booth_is_live(pending) is False
    assert booth_is_live(approved) is True
