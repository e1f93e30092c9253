"""The reference lists chamber staff keep in the admin: sectors and certifications."""

from wagtail.admin.viewsets.model import ModelViewSet

from exhibitors.models import Certification, Sector


class SectorViewSet(ModelViewSet):
    model = Sector
    name = "sectors"
    icon = "tag"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False
    ordering = "name"


class CertificationViewSet(ModelViewSet):
    model = Certification
    name = "certifications"
    icon = "success"
    form_fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    copy_view_enabled = False
    ordering = "name"
