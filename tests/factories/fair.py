from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from wagtail.models import Page

from fair.models import BoothPackage, FairPage, Hall


class FairPageFactory(factory.Factory):
    """A published fair under the home page. Live by default: started yesterday, ends in a week."""

    class Meta:
        model = FairPage

    title = factory.Sequence(lambda n: f"Fair {n}")
    slug = factory.Sequence(lambda n: f"fair-{n}")
    time_zone = "America/Lima"
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    applications_close_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        from cms.models import HomePage

        parent = parent or HomePage.objects.get(depth=2)
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return FairPage.objects.get(pk=page.pk)

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(*args, **kwargs)


class HallFactory(DjangoModelFactory):
    class Meta:
        model = Hall

    fair = factory.SubFactory(FairPageFactory)
    name = factory.Sequence(lambda n: f"Hall {n}")


class BoothPackageFactory(DjangoModelFactory):
    class Meta:
        model = BoothPackage

    fair = factory.SubFactory(FairPageFactory)
    name = factory.Sequence(lambda n: f"Package {n}")
    price_amount = 0
    currency = "USD"


__all__ = ["BoothPackageFactory", "FairPageFactory", "HallFactory", "Page"]
