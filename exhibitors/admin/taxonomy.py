"""The reference lists chamber staff keep in the admin: sectors and certifications."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.viewsets.model import ModelViewSet

from exhibitors.forms.multilingual import (
    optional_line,
    other_languages,
    translation_field_name,
    with_translations,
)
from exhibitors.models import Certification, Sector

# Staff type a sector's name in the site's default language and, beside it, in the others.
SectorForm = with_translations(
    WagtailAdminModelForm,
    fields={"name": optional_line(100)},
    languages=other_languages(),
    labels={"name": _("name")},
)


class SectorViewSet(ModelViewSet):
    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404
    model = Sector
    name = "sectors"
    icon = "tag"
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            *(FieldPanel(translation_field_name("name", code)) for code in other_languages()),
            FieldPanel("slug"),
        ],
        base_form_class=SectorForm,
    )
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False
    ordering = "name"


class CertificationViewSet(ModelViewSet):
    pk_path_converter = "id"  # exhibitors/converters.py: an id too long for a column answers 404
    model = Certification
    name = "certifications"
    icon = "success"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False
    ordering = "name"
