from django import template
from django.urls import reverse

from exhibitors.services.mail import site_url

register = template.Library()


@register.simple_tag
def certificate_check_url(certificate) -> str:
    """The certificate's public check page as a full address (for print and QR codes), in the current
    language."""
    return site_url(reverse("certificate_check", kwargs={"token": certificate.public_token}))
