from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "exhibitors.certificates"
    label = "certificates"
    verbose_name = _("Certificates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exhibitors.certificates.selectors import certificate_export_rows
        from exhibitors.certificates.services import certificate_record_kinds_register
        from exhibitors.services.exports import export_section_register

        certificate_record_kinds_register()
        export_section_register("certificates", company=certificate_export_rows)
