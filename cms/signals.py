"""Receivers for Wagtail's signals about pages."""

from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import copy_for_translation_done

from cms.services import page_permissions_extend_to_translation


@receiver(copy_for_translation_done)
def _translation_gets_source_permissions(sender, source_obj, target_obj, **kwargs) -> None:
    # Sent for the page submitted for translation and for each parent copied (or aliased) with it.
    if isinstance(source_obj, Page) and isinstance(target_obj, Page):
        page_permissions_extend_to_translation(source=source_obj, translation=target_obj)
