"""The payments app's URLs: language-prefixed pages in `urlpatterns` (cms.urls includes them under the i18n
patterns, namespace "payments") and the unprefixed Stripe webhook in `webhook_urlpatterns`."""

from django.urls import path

from payments.views import booth_fees, connect, orders, webhook

app_name = "payments"

booth_fee_patterns = [
    path("payments/booth-fees/<id:booth_id>/", booth_fees.booth_fee, name="booth_fee"),
    path("payments/booth-fees/<id:booth_id>/card/", booth_fees.booth_fee_checkout, name="booth_fee_checkout"),
    path(
        "payments/booth-fees/<id:booth_id>/card/done/", booth_fees.booth_fee_return, name="booth_fee_return"
    ),
    path("payments/booth-fees/<id:booth_id>/transfer/", booth_fees.booth_fee_proof, name="booth_fee_proof"),
    path("payments/receipts/<id:receipt_id>/", booth_fees.receipt, name="receipt"),
]

# Stripe Connect onboarding of a company's account.
connect_patterns = [
    path("payments/companies/<id:company_id>/stripe/", connect.connect_status, name="connect_status"),
    path("payments/companies/<id:company_id>/stripe/start/", connect.connect_start, name="connect_start"),
    path(
        "payments/companies/<id:company_id>/stripe/refresh/",
        connect.connect_refresh,
        name="connect_refresh",
    ),
    path(
        "payments/companies/<id:company_id>/stripe/return/",
        connect.connect_return,
        name="connect_return",
    ),
]

# Buyer payments: requests sent in a conversation, the buyer's and the company's order pages, the ledger.
order_patterns = [
    path("payments/companies/<id:company_id>/orders/", orders.company_payments, name="company_payments"),
    path(
        "payments/companies/<id:company_id>/orders/<id:order_id>/",
        orders.company_order,
        name="company_order",
    ),
    path(
        "payments/companies/<id:company_id>/orders/<id:order_id>/received/",
        orders.company_money_received,
        name="company_money_received",
    ),
    path(
        "payments/companies/<id:company_id>/orders/<id:order_id>/refund/",
        orders.company_refund,
        name="company_refund",
    ),
    path(
        "payments/companies/<id:company_id>/orders/<id:order_id>/refunds/<id:refund_id>/send/",
        orders.company_refund_retry,
        name="company_refund_retry",
    ),
    path(
        "payments/companies/<id:company_id>/orders/<id:order_id>/withdraw/",
        orders.company_request_cancel,
        name="company_request_cancel",
    ),
    path("payments/companies/<id:company_id>/ledger/", orders.company_ledger, name="company_ledger"),
    path(
        "payments/conversations/<id:conversation_id>/request/",
        orders.payment_request_new,
        name="payment_request_new",
    ),
    path("payments/mine/", orders.buyer_payments, name="buyer_payments"),
    path("payments/mine/<id:order_id>/", orders.buyer_order, name="buyer_order"),
    path("payments/mine/<id:order_id>/pay/", orders.buyer_pay, name="buyer_pay"),
    path("payments/mine/<id:order_id>/paid/", orders.buyer_pay_return, name="buyer_pay_return"),
]

urlpatterns = booth_fee_patterns + connect_patterns + order_patterns

# Unprefixed (no language): Stripe posts its events here.
webhook_urlpatterns = [path("stripe/webhook/", webhook.stripe_webhook, name="stripe_webhook")]
