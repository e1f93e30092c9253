"""What buyers browse: a fair's exhibitor directory, a booth, and their favourites.

The directory and the booth are routes of the fair page (FairPage, a RoutablePageMixin page), so they live at
<fair>/exhibitors/ and <fair>/booths/<company>/ in every language the fair page is translated into.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Locale

from exhibitors.cache_tags import (
    depends_on,
    fair_phase_moments,
    fresh_until,
    fresh_until_next,
    recording,
    tag_booth,
    tag_company,
    tag_fair,
    tag_page,
    tag_presence,
)
from exhibitors.holes import shared_page
from fair import services
from fair.chat.presence import presence_ttl, staff_online_count
from fair.chat.selectors.pages import company_response_seconds, response_time_label_parts
from fair.forms import DirectoryFilterForm
from fair.models import FairPage
from fair.office_hours import booth_open_state, slots_shown
from fair.pdf import render_pdf
from fair.selectors.booths import booth_live_for_fair, booth_page_parts, booth_preview_for_fair
from fair.selectors.catalogue import catalogue_entries
from fair.selectors.directory import directory_booths, directory_facets, paginate
from fair.selectors.fairs import fair_live_by_slug
from fair.selectors.favourites import (
    fair_pages_in_language,
    favourites_of,
    has_favourite,
    live_booth_or_none,
    product_on_show_or_none,
)


def _page_context(request, fair: FairPage) -> dict:
    # What Wagtail gives a page's template (base.html reads `page`), without the fair page's own context.
    return {"page": fair, "self": fair, "request": request}


def fair_directory(request, *, fair: FairPage) -> TemplateResponse:
    """GET <fair>/exhibitors/: search and filter the fair's live exhibitors, a page at a time."""
    facets = directory_facets(fair=fair)
    form = DirectoryFilterForm(
        request.GET,
        halls=facets.halls,
        countries=facets.countries,
        certifications=facets.certifications,
    )
    page_obj = None
    if form.is_valid():
        data = form.cleaned_data
        booths = directory_booths(
            fair=fair,
            query=data["q"],
            hall_id=data["hall"],
            country=data["country"],
            certification_id=data["certification"],
            hs_prefix=data["hs"],
        )
        page_obj = paginate(booths, number=request.GET.get("page"))
    # The anonymous page cache: the fair's booths (its own page is named by the before_serve_page hook).
    depends_on(tag_fair(fair.translation_key))
    context = _page_context(request, fair)
    context.update(
        {
            "form": form,
            "page_obj": page_obj,
            "booths": page_obj.object_list if page_obj else [],
            "is_filtered": form.is_filtered,
        }
    )
    return shared_page(TemplateResponse(request, "fair/directory.html", context))


def fair_catalogue_pdf(request, *, fair: FairPage) -> HttpResponse:
    """GET <fair>/catalogue/: the fair's live booths as a printable PDF, in the visitor's language."""
    context = _page_context(request, fair)
    context.update(
        {
            "fair_original": fair.original,
            "entries": catalogue_entries(fair=fair, user=request.user),
            "generated_at": timezone.now(),
        }
    )
    pdf = render_pdf("fair/catalogue_pdf.html", context, title=fair.title, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{fair.slug}-{request.LANGUAGE_CODE}.pdf"'
    return response


@require_GET
def booth_page(request, fair_slug: str, company_slug: str) -> TemplateResponse:
    """GET <fair>/booths/<company>/ in the active language: the fair page by its slug, then the booth."""
    fair = fair_live_by_slug(slug=fair_slug, language_code=request.LANGUAGE_CODE)
    if fair is None:
        raise Http404
    return booth_detail(request, fair=fair, company_slug=company_slug)


def booth_detail(request, *, fair: FairPage, company_slug: str) -> TemplateResponse:
    """A live booth of the fair; before it is public, a preview for the company's people and chamber staff;
    anything else is a 404."""
    booth = booth_live_for_fair(fair=fair, company_slug=company_slug)
    preview = False
    if booth is None:
        booth = booth_preview_for_fair(fair=fair, company_slug=company_slug, user=request.user)
        if booth is None:
            raise Http404
        preview = True
    parts = booth_page_parts(booth=booth)
    original = booth.fair
    now = timezone.now()
    hours = parts["office_hours"]
    context = _page_context(request, fair)
    context.update(parts)
    context.update(
        {
            "booth": booth,
            "preview": preview,
            "company": booth.company,
            "fair_original": original,
            "fair_zone": original.time_zone,
            "hours_shown": slots_shown(hours, zone=original.zone, now=now, fair_starts=original.starts_at),
            "open_state": booth_open_state(
                hours,
                zone=original.zone,
                now=now,
                fair_starts=original.starts_at,
                fair_ends=original.ends_at,
                closed=original.closed_early,
            ),
            # Live chat: staff online now (from the cache) and how fast the company usually answers (cached).
            "staff_online": staff_online_count(booth.company_id),
            "response_time": response_time_label_parts(company_response_seconds(company_id=booth.company_id)),
        }
    )
    _booth_page_depends(fair=fair, booth=booth, context=context, now=now)
    response = TemplateResponse(request, "fair/booth.html", context)
    if preview:
        # Not public yet: kept out of shared caches and search engines.
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
    return shared_page(response)


def _booth_page_depends(*, fair: FairPage, booth, context: dict, now) -> None:
    """What a booth page shows, for the anonymous page cache (exhibitors/cache_tags.py): the fair's page (its
    title, halls, packages), the booth, its company (products, certificates) and who of it is online; and when
    it changes by the clock alone (the booth opens or closes, the fair's phase, an "online" that fades)."""
    if recording() is None:
        return
    depends_on(
        tag_page(fair.translation_key),
        tag_booth(booth.pk),
        tag_company(booth.company_id),
        tag_presence(booth.company_id),
    )
    state = context["open_state"]
    moments = fair_phase_moments(context["fair_original"])
    moments += [
        state.current.ends if state.current else None,
        state.next_opening.starts if state.next_opening else None,
    ]
    fresh_until_next(moments)
    if context["staff_online"]:
        # A socket whose worker died never says it left: its presence fades out after presence_ttl().
        fresh_until(now.timestamp() + presence_ttl())


# --- Favourites ---


@login_required
@require_GET
def favourite_list(request) -> TemplateResponse:
    """GET: the person's saved booths and products."""
    data = favourites_of(user=request.user)
    fairs = {booth.fair for booth in data["favourite_booths"]}
    fairs.update(booth.fair for _product, booths in data["favourite_products"] for booth in booths)
    pages = fair_pages_in_language(fairs, locale=Locale.get_active())
    context = {
        "favourite_booths": [(booth, pages[booth.fair_id]) for booth in data["favourite_booths"]],
        "gone_booths": data["gone_booths"],
        "favourite_products": [
            (product, [(booth, pages[booth.fair_id]) for booth in booths])
            for product, booths in data["favourite_products"]
        ],
    }
    return TemplateResponse(request, "fair/favourites.html", context)


def _back(request, saved: bool, message: str):
    """JSON for the script on the page; otherwise back where the person was, with a message."""
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"saved": saved, "message": message})
    messages.success(request, message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("fair:favourites")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def favourite_booth_add(request, booth_id: int):
    booth = live_booth_or_none(booth_id=booth_id)
    if booth is None:
        raise Http404
    services.favourite_add(user=request.user, booth=booth)
    return _back(request, True, _("Booth saved to your favourites."))


@login_required
@require_POST
def favourite_booth_remove(request, booth_id: int):
    # A saved booth may have gone off show since; its owner can still take it off the list.
    saved = has_favourite(user=request.user, booth_id=booth_id)
    if not saved and live_booth_or_none(booth_id=booth_id) is None:
        raise Http404
    services.favourite_remove(user=request.user, booth_id=booth_id)
    return _back(request, False, _("Booth removed from your favourites."))


@login_required
@require_POST
def favourite_product_add(request, product_id: int):
    product = product_on_show_or_none(product_id=product_id)
    if product is None:
        raise Http404
    services.favourite_add(user=request.user, product=product)
    return _back(request, True, _("Product saved to your favourites."))


@login_required
@require_POST
def favourite_product_remove(request, product_id: int):
    saved = has_favourite(user=request.user, product_id=product_id)
    if not saved and product_on_show_or_none(product_id=product_id) is None:
        raise Http404
    services.favourite_remove(user=request.user, product_id=product_id)
    return _back(request, False, _("Product removed from your favourites."))
