"""The "Missing translations" screen of the Wagtail admin: for one fair, the booths, companies and products
shown there with a language missing, its halls and packages, and its pages not yet translated (with links to
translate them with wagtail-localize). Staff who can use the admin see it; docs/translating.md explains it."""

from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale

from exhibitors.integers import parse_int
from fair.models import FairPage
from fair.selectors.translations import fair_missing_translations


def missing_translations(request):
    """GET ?fair=<id>: the fair's missing translations; without a fair, the list of fairs to choose from."""
    fairs = list(
        FairPage.objects.filter(locale=Locale.get_default()).order_by("-first_published_at", "title")
    )
    fair_id = parse_int(request.GET.get("fair", ""))
    fair = next((item for item in fairs if item.pk == fair_id), None)
    context = {
        "fairs": fairs,
        "fair": fair,
        "missing": fair_missing_translations(fair=fair) if fair else None,
    }
    return TemplateResponse(request, "fair/admin/missing_translations.html", context)


@hooks.register("register_admin_urls")
def register_missing_translations_url():
    return [path("missing-translations/", missing_translations, name="fair_missing_translations")]


@hooks.register("register_admin_menu_item")
def register_missing_translations_menu_item():
    return MenuItem(
        _("Missing translations"), reverse("fair_missing_translations"), icon_name="site", order=170
    )
