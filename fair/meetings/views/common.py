"""Helpers the meeting views share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404

from fair.models import FairPage
from fair.selectors import fair_original


def fair_or_404(fair_id: int) -> FairPage:
    """The live fair (its original-language page, which meetings point at)."""
    return fair_original(get_object_or_404(FairPage.objects.live(), pk=fair_id))


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, error_text(error))
