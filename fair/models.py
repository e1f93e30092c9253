"""Fairs (Wagtail pages), their halls and booth packages, and buyers' favourites."""

import zoneinfo
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from exhibitors.cache_tags import depends_on, fair_phase_moments, fresh_until_next, tag_fair
from exhibitors.forms.multilingual import other_languages, translation_field_name
from exhibitors.holes import shared_page
from exhibitors.models import TIME_ZONE_CHOICES
from exhibitors.multilingual import Multilingual, translations_field
from fair.admin.forms import FairPageForm, ZoneSelect
from fair.admin.panels import FairSetupPanel
from fair.blocks import BodyBlock
from fair.enums import FairPhase


class FairPage(RoutablePageMixin, Page):
    """A virtual trade fair. Booths, halls and packages always point at the original-language page."""

    intro = StreamField(BodyBlock(), blank=True, verbose_name=_("introduction"))
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("cover image"),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    starts_at = models.DateTimeField(_("fair starts"))
    ends_at = models.DateTimeField(_("fair ends"))
    closed_early = models.BooleanField(
        _("closed early"),
        default=False,
        help_text=_("Close the fair and its applications now, whatever the dates say."),
    )
    # Payments (the payments app reads these from the original-language page).
    booth_payment_required = models.BooleanField(
        _("booth must be paid before it goes live"),
        default=False,
        help_text=_("A booth on a package with a price is shown only once its fee is paid."),
    )
    commission_percent = models.DecimalField(
        _("chamber commission (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("Share of each buyer payment to an exhibitor that the chamber keeps."),
    )
    refund_application_fee = models.BooleanField(
        _("give back the commission on refunds"),
        default=True,
        help_text=_(
            "When an exhibitor refunds a buyer, the chamber's commission is refunded in proportion. "
            "Untick to keep it."
        ),
    )

    # B2B meetings (fair.meetings reads these from the original-language page).
    meetings_first_day = models.DateField(
        _("first meeting day"),
        null=True,
        blank=True,
        help_text=_("In the fair's time zone. Empty: the day the fair starts."),
    )
    meetings_last_day = models.DateField(
        _("last meeting day"),
        null=True,
        blank=True,
        help_text=_("In the fair's time zone. Empty: the day the fair ends."),
    )
    meeting_request_expiry_hours = models.PositiveSmallIntegerField(
        _("meeting requests expire after (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(720)],
        help_text=_("An unanswered meeting request expires after this and frees its slot."),
    )
    complaint_answer_days = models.PositiveSmallIntegerField(
        _("complaints are answered within (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("The other party of a complaint answers within this; then the chamber is told."),
    )
    meeting_cancel_cutoff_hours = models.PositiveSmallIntegerField(
        _("meetings can be cancelled until (hours before)"),
        default=2,
        validators=[MaxValueValidator(720)],
    )
    meeting_cap_per_fair = models.PositiveSmallIntegerField(
        _("meeting requests per buyer per fair"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Declined, cancelled and expired requests do not count."),
    )
    meeting_cap_per_day = models.PositiveSmallIntegerField(
        _("meeting requests per buyer per day"),
        null=True,
        blank=True,
        help_text=_("Empty: no limit. Counted per meeting day in the fair's time zone."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("intro"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("time_zone", widget=ZoneSelect),
                FieldPanel("zone_change"),
                FieldPanel("applications_open_at"),
                FieldPanel("applications_close_at"),
                FieldPanel("starts_at"),
                FieldPanel("ends_at"),
                FieldPanel("closed_early"),
            ],
            heading=_("Dates"),
            help_text=_(
                "Dates and times are typed and shown in the fair's time zone; visitors see them in theirs."
            ),
        ),
        MultiFieldPanel(
            [
                FieldPanel("booth_payment_required"),
                FieldPanel("commission_percent"),
                FieldPanel("refund_application_fee"),
            ],
            heading=_("Payments"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("meetings_first_day"),
                FieldPanel("meetings_last_day"),
                FieldPanel("meeting_request_expiry_hours"),
                FieldPanel("meeting_cancel_cutoff_hours"),
                FieldPanel("meeting_cap_per_fair"),
                FieldPanel("meeting_cap_per_day"),
            ],
            heading=_("Meetings"),
        ),
        FieldPanel("complaint_answer_days"),
        FairSetupPanel(),
    ]
    base_form_class = FairPageForm
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")

    def clean(self):
        super().clean()
        errors = {}
        if self.applications_open_at and self.applications_close_at:
            if self.applications_close_at <= self.applications_open_at:
                errors["applications_close_at"] = _("Applications must close after they open.")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The fair must end after it starts.")
        if self.meetings_first_day and self.meetings_last_day:
            if self.meetings_last_day < self.meetings_first_day:
                errors["meetings_last_day"] = _("The last meeting day cannot be before the first.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def phase_at(self, when) -> FairPhase:
        if self.closed_early or when >= self.ends_at:
            return FairPhase.CLOSED
        if when >= self.starts_at:
            return FairPhase.LIVE
        if self.applications_open_at <= when < self.applications_close_at:
            return FairPhase.APPLICATIONS_OPEN
        return FairPhase.UPCOMING

    @property
    def phase(self) -> FairPhase:
        return self.phase_at(timezone.now())

    def applications_open_at_time(self, when) -> bool:
        return (
            not self.closed_early
            and self.applications_open_at <= when < self.applications_close_at
            and when < self.ends_at
        )

    @property
    def accepts_applications(self) -> bool:
        return self.applications_open_at_time(timezone.now())

    @property
    def original(self) -> "FairPage":
        """The page in the site's default locale that booths, halls and packages point at."""
        from fair.selectors.fairs import fair_original

        return fair_original(self)

    def get_context(self, request, *args, **kwargs):
        from fair.selectors.fairs import fair_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(fair_page_context(fair=self))
        # The anonymous page cache: the fair's booths show here, and its phase changes with the clock.
        depends_on(tag_fair(self.translation_key))
        fresh_until_next(fair_phase_moments(context["fair_original"]))
        return context

    def serve(self, request, *args, **kwargs):
        # The fair page and the directory: their personal parts are holes, so signed-in people share the
        # rest (cms/member_cache.py); the catalogue PDF is not HTML and is never kept.
        return shared_page(super().serve(request, *args, **kwargs))

    # Routes below the page, in every language the page is translated into. The views live in fair.views.
    # (A booth, <fair>/booths/<company>/, is a plain URL in fair.urls: it skips Wagtail's page routing.)

    @path("exhibitors/", name="directory")
    def directory_route(self, request):
        from fair.views import fair_directory

        return fair_directory(request, fair=self)

    @path("catalogue/", name="catalogue")
    def catalogue_route(self, request):
        from fair.views import fair_catalogue_pdf

        return fair_catalogue_pdf(request, fair=self)


# The names of halls and packages in the other languages, typed by staff beside the default one.
TRANSLATED_NAME_PANELS = [FieldPanel(translation_field_name("name", code)) for code in other_languages()]


class Hall(Multilingual):
    """A sector of a fair. Tied to the original fair page, so translations share it."""

    fair = models.ForeignKey(FairPage, on_delete=models.CASCADE, related_name="halls")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    sector = models.ForeignKey(
        "exhibitors.Sector", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    translations = translations_field()

    # Staff type the name in the site's default language, and the others beside it.
    translated_fields = ("name",)
    source_language_field = None

    panels = [
        FieldPanel("fair"),
        FieldPanel("name"),
        *TRANSLATED_NAME_PANELS,
        FieldPanel("description"),
        FieldPanel("sector"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        constraints = [models.UniqueConstraint(fields=["fair", "name"], name="hall_unique_name")]

    def __str__(self):
        return self.translated("name")


class BoothPackage(Multilingual):
    """What a booth includes and costs. Price in integer minor units of an ISO currency."""

    fair = models.ForeignKey(FairPage, on_delete=models.CASCADE, related_name="packages")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    price_amount = models.PositiveIntegerField(
        _("price (minor units)"),
        default=0,
        help_text=_("In the currency's smallest unit: 15000 = 150.00 USD. 0 is free."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    max_products = models.PositiveSmallIntegerField(_("products shown"), default=10)
    gallery_size = models.PositiveSmallIntegerField(_("gallery images"), default=6)
    sponsored = models.BooleanField(
        _("sponsored placement"),
        default=False,
        help_text=_("Booths on this package are listed first, labelled “Sponsored”."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    translations = translations_field()

    # Staff type the name in the site's default language, and the others beside it.
    translated_fields = ("name",)
    source_language_field = None

    panels = [
        FieldPanel("fair"),
        FieldPanel("name"),
        *TRANSLATED_NAME_PANELS,
        FieldPanel("description"),
        FieldPanel("price_amount"),
        FieldPanel("currency"),
        FieldPanel("max_products"),
        FieldPanel("gallery_size"),
        FieldPanel("sponsored"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "price_amount"]
        verbose_name = _("booth package")
        verbose_name_plural = _("booth packages")
        constraints = [
            models.UniqueConstraint(fields=["fair", "name"], name="package_unique_name"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="package_currency_iso"),
        ]

    def __str__(self):
        return self.translated("name")

    @property
    def is_free(self) -> bool:
        return self.price_amount == 0


class Favourite(models.Model):
    """A booth or a product a person saved to their list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    booth = models.ForeignKey(
        "exhibitors.Booth", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(
        "exhibitors.Product", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(booth__isnull=False) & Q(product__isnull=True))
                | (Q(booth__isnull=True) & Q(product__isnull=False)),
                name="favourite_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "booth"], condition=Q(booth__isnull=False), name="favourite_booth"
            ),
            models.UniqueConstraint(
                fields=["user", "product"],
                condition=Q(product__isnull=False),
                name="favourite_product",
            ),
        ]
