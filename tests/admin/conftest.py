import pytest

from tests.factories.staff import ChamberStaffFactory


@pytest.fixture
def staff(db):
    return ChamberStaffFactory(email="staff@chamber.example")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
