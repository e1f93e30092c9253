"""Wagtail admin for payments: the booth-fee screens and the tax rates. (The bank details and receipt footer
are a site setting: Settings → Payments.)"""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from payments.admin import booth_fees as admin_views
from payments.admin.events import StripeEventViewSet
from payments.models import TaxRate


class TaxRateViewSet(SnippetViewSet):
    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404
    model = TaxRate
    icon = "form"
    menu_label = _("Tax rates")
    add_to_admin_menu = False
    list_display = ["name", "rate", "applies_to_booth_fees", "active"]


register_snippet(TaxRateViewSet)

admin_urls = (
    [
        path("", admin_views.booth_fees_index, name="booth_fees"),
        path("<id:order_id>/", admin_views.booth_fee_record, name="booth_fee_record"),
    ],
    "payments_admin",
)


@hooks.register("register_admin_viewset")
def register_stripe_events():
    return StripeEventViewSet()


@hooks.register("register_admin_urls")
def register_payments_admin_urls():
    return [path("booth-fees/", include(admin_urls))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_booth_fees_menu_item():
    return PermissionMenuItem(
        _("Booth fees"),
        reverse("payments_admin:booth_fees"),
        icon_name="form",
        order=250,
        permission="payments.view_order",
    )
