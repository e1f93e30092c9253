"""Unprefixed payment URLs (no language in the path): Stripe's webhook."""

from django.urls import path

from payments.views.webhook import stripe_webhook

urlpatterns = [path("stripe/webhook/", stripe_webhook, name="stripe_webhook")]
