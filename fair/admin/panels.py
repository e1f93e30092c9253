"""The fair page editor's "Halls and packages" panel: the fair's halls and booth packages, each with its edit
link, and "Add a hall" / "Add a package", so staff build a fair from its editor.

Halls and packages stay their own models (booths point at them, and every translation of a fair shares the
original's), edited through the "Fair setup" screens; links from here preselect the fair and come back here.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel
from wagtail.models import Locale

from exhibitors.admin.applications import format_minor_units


def package_price(package) -> str:
    if package.is_free:
        return _("Free")
    return format_minor_units(package.price_amount, package.currency)


class FairSetupPanel(Panel):
    """Read-only list of the original fair's halls and packages with add and edit links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Halls and packages"))
        super().__init__(**kwargs)

    @property
    def clean_name(self):
        return super().clean_name or "halls_and_packages"

    class BoundPanel(Panel.BoundPanel):
        template_name = "fair/admin/fair_setup_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            fair = self.instance
            if fair is None or fair.pk is None:
                context["saved"] = False
                return context
            if fair.locale_id != Locale.get_default().pk:
                context.update(saved=True, translation=True)
                original = fair.get_translation_or_none(Locale.get_default())
                fair = original or fair
            back = urlencode({"next": reverse("wagtailadmin_pages:edit", args=[self.instance.pk])})
            with_fair = urlencode(
                {"fair": fair.pk, "next": reverse("wagtailadmin_pages:edit", args=[self.instance.pk])}
            )
            halls = list(fair.halls.select_related("sector"))
            packages = list(fair.packages.all())
            for hall in halls:
                hall.edit_url = f"{reverse('halls:edit', args=[hall.pk])}?{back}"
            for package in packages:
                package.edit_url = f"{reverse('booth_packages:edit', args=[package.pk])}?{back}"
                package.price_display = package_price(package)
            context.update(
                saved=True,
                halls=halls,
                packages=packages,
                add_hall_url=f"{reverse('halls:add')}?{with_fair}",
                add_package_url=f"{reverse('booth_packages:add')}?{with_fair}",
            )
            return context
