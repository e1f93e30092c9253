import pytest

from tests.factories.complaints import parties_create


@pytest.fixture
def parties(home_page):
    return parties_create()


@pytest.fixture
def chamber(staff):
    """A member of the chamber's staff group (who mediates complaints)."""
    return staff
