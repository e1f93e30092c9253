"""Pages of buyer payments and Stripe Connect (included from payments.urls, in its "payments" namespace)."""

from django.urls import path

from payments import views_connect, views_orders

urlpatterns = [
    path("payments/companies/<int:company_id>/stripe/", views_connect.connect_status, name="connect_status"),
    path(
        "payments/companies/<int:company_id>/stripe/start/", views_connect.connect_start, name="connect_start"
    ),
    path(
        "payments/companies/<int:company_id>/stripe/refresh/",
        views_connect.connect_refresh,
        name="connect_refresh",
    ),
    path(
        "payments/companies/<int:company_id>/stripe/return/",
        views_connect.connect_return,
        name="connect_return",
    ),
    path(
        "payments/companies/<int:company_id>/orders/", views_orders.company_payments, name="company_payments"
    ),
    path(
        "payments/companies/<int:company_id>/orders/<int:order_id>/",
        views_orders.company_order,
        name="company_order",
    ),
    path(
        "payments/companies/<int:company_id>/orders/<int:order_id>/refund/",
        views_orders.company_refund,
        name="company_refund",
    ),
    path(
        "payments/companies/<int:company_id>/orders/<int:order_id>/refunds/<int:refund_id>/send/",
        views_orders.company_refund_retry,
        name="company_refund_retry",
    ),
    path(
        "payments/companies/<int:company_id>/orders/<int:order_id>/withdraw/",
        views_orders.company_request_cancel,
        name="company_request_cancel",
    ),
    path("payments/companies/<int:company_id>/ledger/", views_orders.company_ledger, name="company_ledger"),
    path(
        "payments/conversations/<int:conversation_id>/request/",
        views_orders.payment_request_new,
        name="payment_request_new",
    ),
    path("payments/mine/", views_orders.buyer_payments, name="buyer_payments"),
    path("payments/mine/<int:order_id>/", views_orders.buyer_order, name="buyer_order"),
    path("payments/mine/<int:order_id>/pay/", views_orders.buyer_pay, name="buyer_pay"),
    path("payments/mine/<int:order_id>/paid/", views_orders.buyer_pay_return, name="buyer_pay_return"),
]
