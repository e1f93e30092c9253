"""A read-only Wagtail model viewset (list and inspect, no add, edit or delete), shared by the admin screens
of applications and Stripe events."""

from django.urls import path
from wagtail.admin.viewsets.model import ModelViewSet

# --- Viewsets (registered by exhibitors.wagtail_hooks and fair.wagtail_hooks) ---


class InspectOnlyViewSet(ModelViewSet):
    """A list and a page per object, plus the POST actions a subclass names in `action_urlpatterns`; nothing
    is added, edited, copied or deleted from the admin. Links to an object from elsewhere in the admin (the
    audit log) open its inspect page, as there is no edit view."""

    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404

    inspect_view_enabled = True
    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        view_kwargs.update(add_url_name=None, edit_url_name=None, delete_url_name=None, usage_url_name=None)
        return view_kwargs

    @property
    def url_finder_class(self):
        return type(
            f"_{self.model.__name__}URLFinder",
            (super().url_finder_class,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def action_urlpatterns(self) -> list:
        """The object's actions, as `path("<id:pk>/<action>/", view, name=...)`."""
        return []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            *self.action_urlpatterns(),
            path("<id:pk>/history/", self.history_view, name="history"),
            path("<id:pk>/history/results/", self.history_results_view, name="history_results"),
        ]
