from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Modules whose @handles(...) functions handle Stripe events (payments.webhooks registry).
HANDLER_MODULES = ["payments.handlers"]


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from exhibitors.selectors.booths import BOOTH_LIVE_RULES
        from payments.selectors.booth_fees import booth_fee_settled_q

        if booth_fee_settled_q not in BOOTH_LIVE_RULES:
            BOOTH_LIVE_RULES.append(booth_fee_settled_q)
        from exhibitors.services.applications import BOOTH_TERMS_CHANGED
        from payments.services.booth_fees import booth_fee_order_follow

        if booth_fee_order_follow not in BOOTH_TERMS_CHANGED:
            BOOTH_TERMS_CHANGED.append(booth_fee_order_follow)
        from payments.chat import register_payment_request_kind

        register_payment_request_kind()
        from payments.services.records import payment_record_kinds_register

        payment_record_kinds_register()
        from payments.selectors.exports import export_sections_register

        export_sections_register()
        from exhibitors.services.closing import closing_handler_register
        from payments.services.closing import payments_close_preview, payments_company_close

        closing_handler_register(handler=payments_company_close, preview=payments_close_preview)
        for module in HANDLER_MODULES:
            if find_spec(module) is not None:
                import_module(module)
