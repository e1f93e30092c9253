"""Wagtail admin for fairs: halls and booth packages, grouped with sectors and certifications under
"Fair setup". The fair page's editor lists them too (fair.admin_panels) and links here with `?fair=` and
`?next=`, so a hall added from a fair's editor has the fair chosen and returns to that editor.

Halls and packages belong to the fair page in the site's main language (translations share them), so the
fair field offers only those pages and refuses a translated copy.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.utils import get_valid_next_url_from_request, set_query_params
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.models import Locale

from exhibitors.admin.taxonomy import CertificationViewSet, SectorViewSet
from exhibitors.forms.multilingual import optional_line, other_languages, with_translations
from exhibitors.integers import parse_id
from exhibitors.renditions import FAIR_COVER_SIZES
from exhibitors.services.renditions import image_renditions_request
from fair.admin.panels import package_price
from fair.models import BoothPackage, FairPage, Hall


def original_fairs():
    """Fair pages in the site's main language: the only ones halls and packages may point at."""
    return FairPage.objects.filter(locale=Locale.get_default()).order_by("title")


class OriginalFairField(forms.ModelChoiceField):
    """Offers the fairs in the main language only; a translated copy gets its own, clear error."""

    def __init__(self, **kwargs):
        super().__init__(queryset=original_fairs(), label=_("Fair"), **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if parse_id(value if isinstance(value, int) else str(value)) is not None:
                translated = FairPage.objects.filter(pk=value).exclude(locale=Locale.get_default()).first()
                if translated is not None:
                    raise ValidationError(
                        _(
                            "“%(fair)s” is a translation (%(language)s). Choose the fair in the site's main "
                            "language: its translations share its halls and packages."
                        ),
                        code="translated_fair",
                        params={"fair": translated.title, "language": translated.locale.get_display_name()},
                    ) from None
            raise


class FairChildForm(WagtailAdminModelForm):
    """Base form for models that hang off a fair page (halls, packages)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form so fairs created since start-up, and the current default locale, are offered.
        self.fields["fair"] = OriginalFairField()


class BoothPackageForm(FairChildForm):
    def clean_currency(self):
        currency = (self.cleaned_data.get("currency") or "").strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValidationError(_("Use the three-letter ISO code of the currency, such as USD or EUR."))
        return currency


# Staff type each name in the site's default language and, beside it, in the others.
HallForm = with_translations(
    FairChildForm,
    fields={"name": optional_line(100)},
    languages=other_languages(),
    labels={"name": _("Name")},
)
BoothPackageForm = with_translations(
    BoothPackageForm,
    fields={"name": optional_line(100)},
    languages=other_languages(),
    labels={"name": _("Name")},
)


class FairFilterSet(WagtailFilterSet):
    fair = django_filters.ModelChoiceFilter(
        label=_("Fair"), queryset=lambda request: original_fairs(), empty_label=_("All fairs")
    )


class HallFilterSet(FairFilterSet):
    class Meta:
        model = Hall
        fields = ["fair"]


class BoothPackageFilterSet(FairFilterSet):
    class Meta:
        model = BoothPackage
        fields = ["fair", "sponsored"]


class FairChildDeleteView(DeleteView):
    """Halls and packages that booths use are protected: say so, instead of failing on the database."""

    def form_valid(self, form):
        booth_count = self.object.booths.count()
        if booth_count:
            messages.error(
                self.request,
                ngettext(
                    "“%(name)s” cannot be deleted: %(count)d booth uses it. Move that booth first.",
                    "“%(name)s” cannot be deleted: %(count)d booths use it. Move those booths first.",
                    booth_count,
                )
                % {"name": self.object.name, "count": booth_count},
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class ReturnToFairMixin:
    """Opened from the fair page's editor (`?next=`), the form goes back there once saved."""

    def next_url(self) -> str | None:
        return get_valid_next_url_from_request(self.request) or None

    def with_next(self, url: str) -> str:
        keep = {name: self.request.GET[name] for name in ("fair", "next") if self.request.GET.get(name)}
        return set_query_params(url, keep) if keep else url

    def get_success_url(self):
        return self.next_url() or super().get_success_url()


class FairChildCreateView(ReturnToFairMixin, CreateView):
    """`?fair=<id>` (the "Add a hall" link of a fair's editor) preselects the fair."""

    def get_initial(self):
        initial = super().get_initial()
        fair_id = self.request.GET.get("fair", "")
        if fair_id.isdigit():
            initial["fair"] = int(fair_id)
        return initial

    def get_add_url(self):
        return self.with_next(super().get_add_url())


class FairChildEditView(ReturnToFairMixin, EditView):
    def get_edit_url(self):
        return self.with_next(super().get_edit_url())


class HallViewSet(ModelViewSet):
    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404
    model = Hall
    name = "halls"
    icon = "grid"
    menu_order = 100
    edit_handler = ObjectList(Hall.panels, base_form_class=HallForm)
    filterset_class = HallFilterSet
    list_display = [
        "name",
        Column("fair", label=_("Fair"), accessor="fair.title", sort_key="fair__title"),
        Column("sector", label=_("Sector"), accessor="sector.name"),
        "sort_order",
    ]
    search_fields = ["name"]
    ordering = ["fair__title", "sort_order", "name"]
    copy_view_enabled = False
    sort_order_field = None
    delete_view_class = FairChildDeleteView
    add_view_class = FairChildCreateView
    edit_view_class = FairChildEditView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=Hall.objects.select_related("fair", "sector"), **kwargs)


class BoothPackageViewSet(ModelViewSet):
    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404
    model = BoothPackage
    name = "booth_packages"
    icon = "tasks"
    menu_order = 200
    edit_handler = ObjectList(BoothPackage.panels, base_form_class=BoothPackageForm)
    filterset_class = BoothPackageFilterSet
    list_display = [
        "name",
        Column("fair", label=_("Fair"), accessor="fair.title", sort_key="fair__title"),
        Column("price", label=_("Price"), accessor=package_price, sort_key="price_amount"),
        BooleanColumn("sponsored", label=_("Sponsored"), sort_key="sponsored"),
        "max_products",
        "gallery_size",
    ]
    search_fields = ["name"]
    ordering = ["fair__title", "sort_order", "price_amount"]
    copy_view_enabled = False
    sort_order_field = None
    delete_view_class = FairChildDeleteView
    add_view_class = FairChildCreateView
    edit_view_class = FairChildEditView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=BoothPackage.objects.select_related("fair"), **kwargs)


class FairSetupGroup(ModelViewSetGroup):
    menu_label = _("Fair setup")
    menu_icon = "cogs"
    menu_order = 160
    items = (HallViewSet, BoothPackageViewSet, SectorViewSet, CertificationViewSet)


@hooks.register("register_admin_viewset")
def register_fair_setup():
    return FairSetupGroup()


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def fair_cover_renditions_request(request, page):
    """A fair page saved in the editor queues its cover's renditions for the task worker, so visitors never
    wait for them (a cover unchanged since last time costs the worker one lookup)."""
    if isinstance(page.specific, FairPage) and page.specific.cover_image_id:
        image_renditions_request(image=page.specific.cover_image, sizes=FAIR_COVER_SIZES)
