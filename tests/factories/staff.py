import factory
from django.contrib.auth.models import Group

from tests.factories.exhibitors import UserFactory

CHAMBER_STAFF_GROUP = "Chamber staff"


class ChamberStaffFactory(UserFactory):
    """A member of the "Chamber staff" group that the migrations create."""

    @factory.post_generation
    def chamber_staff(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=CHAMBER_STAFF_GROUP))
