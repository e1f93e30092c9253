"""The Wagtail pages that are not about one fair, and the chamber's site settings."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from exhibitors.cache_tags import FAIRS, depends_on, fair_phase_moments, fresh_until_next
from exhibitors.holes import shared_page
from fair.blocks import BodyBlock


class HomePage(Page):
    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["fair.FairPage", "cms.StandardPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from fair.selectors.fairs import fairs_for_home

        context = super().get_context(request, *args, **kwargs)
        context.update(fairs_for_home(locale=self.locale))
        # The anonymous page cache: the list of fairs, each shown with a phase that changes with the clock.
        depends_on(FAIRS)
        fairs = context["live_fairs"] + context["upcoming_fairs"]
        fresh_until_next(moment for fair in fairs for moment in fair_phase_moments(fair))
        return context

    def serve(self, request, *args, **kwargs):
        # Its personal parts are holes: signed-in people share the rest (cms/member_cache.py).
        return shared_page(super().serve(request, *args, **kwargs))

    def route(self, request, path_components):
        """A language's home routes its own tree; where that has no live page for the path (not translated
        yet, or the translation still a draft) the same path is routed in the original tree, so /es/<page>/
        shows the original page (in the Spanish interface, with a note) instead of a 404."""
        try:
            return super().route(request, path_components)
        except Http404:
            original = self.get_translation_or_none(Locale.get_default())
            if original is None or original.pk == self.pk:
                raise
            return original.specific.route(request, path_components)


class StandardPage(Page):
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    subpage_types = ["cms.StandardPage"]

    def serve(self, request, *args, **kwargs):
        return shared_page(super().serve(request, *args, **kwargs))

    class Meta:
        verbose_name = _("standard page")


@register_setting(icon="site")
class ChamberSettings(BaseSiteSetting):
    """Who runs this instance: shown in the footer and on receipts."""

    chamber_name = models.CharField(_("chamber name"), max_length=200, default="Chamber of Commerce")
    address = models.TextField(_("address"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    tax_id = models.CharField(_("tax id"), max_length=40, blank=True)
    terms_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("terms of use page"),
        help_text=_("Linked from the sign-up form, where people accept it."),
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("privacy notice page"),
        help_text=_("Linked from the sign-up form, where people confirm they read it."),
    )
    require_staff_two_factor = models.BooleanField(
        _("require two-factor sign-in for staff"),
        default=False,
        help_text=_(
            "Chamber staff and administrators without an authenticator app are sent to set one up before "
            "they can open the admin."
        ),
    )

    class Meta:
        verbose_name = _("chamber")
