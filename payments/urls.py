"""Language-prefixed payment pages (included from cms.urls under the i18n patterns)."""

from django.urls import include, path

from payments.views import booth_fees

app_name = "payments"

urlpatterns = [
    path("payments/booth-fees/<int:booth_id>/", booth_fees.booth_fee, name="booth_fee"),
    path(
        "payments/booth-fees/<int:booth_id>/card/", booth_fees.booth_fee_checkout, name="booth_fee_checkout"
    ),
    path(
        "payments/booth-fees/<int:booth_id>/card/done/", booth_fees.booth_fee_return, name="booth_fee_return"
    ),
    path("payments/booth-fees/<int:booth_id>/transfer/", booth_fees.booth_fee_proof, name="booth_fee_proof"),
    path("payments/receipts/<int:receipt_id>/", booth_fees.receipt, name="receipt"),
    path("", include("payments.urls_connect")),
]
