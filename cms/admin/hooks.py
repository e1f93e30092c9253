"""Wagtail admin: the page editor's "Translate this page" action."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Locale


class TranslatePageMenuItem(ActionMenuItem):
    """wagtail-localize puts "Translate this page" only in the header's "…" menu, where staff miss it; this
    offers it beside Save and Publish too, while some language has no translation yet."""

    label = _("Translate this page")
    name = "feria-translate-page"
    icon_name = "wagtail-localize-language"

    def is_shown(self, context):
        if context["view"] != "edit" or context["page"].is_root():
            return False
        if not context["request"].user.has_perm("wagtail_localize.submit_translation"):
            return False
        page = context["page"]
        translated = page.get_translations(inclusive=True).filter(alias_of__isnull=True).values("locale_id")
        return Locale.objects.exclude(pk__in=translated).exists()

    def get_url(self, parent_context):
        page = parent_context["page"]
        # An alias is translated from the page it mirrors.
        return reverse("wagtail_localize:submit_page_translation", args=[page.alias_of_id or page.pk])


@hooks.register("register_page_action_menu_item")
def register_translate_page_menu_item():
    return TranslatePageMenuItem(order=60)
