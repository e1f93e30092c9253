"""Leads pages: the company's list, one lead (timeline, stage, tags, notes), the CSV; and the buyer's
"share my card" form on booth pages and in conversations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from exhibitors.models import Booth, Company
from exhibitors.permissions import company_or_404
from exhibitors.spreadsheets import csv_response
from fair.leads import services
from fair.leads.enums import LeadSource, LeadStage
from fair.leads.forms import LeadFilterForm, NoteForm, ShareCardForm, StageForm, TagForm
from fair.leads.selectors import (
    LeadFilters,
    buyer_shown,
    company_leads,
    company_tags,
    lead_fairs,
    lead_for_company,
    lead_timeline,
    leads_by_stage,
)

LIST_LIMIT = 500


def _filters(request, company: Company) -> tuple[LeadFilterForm, LeadFilters]:
    form = LeadFilterForm(request.GET or None, fairs=lead_fairs(company), tags=company_tags(company))
    filters = LeadFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = LeadFilters(
            fair_id=data["fair"], stage=data["stage"], tag_id=data["tag"], source=data["source"]
        )
    return form, filters


@login_required
@require_GET
def lead_list(request, company_id: int) -> TemplateResponse:
    """GET: the company's leads (owner and staff; anyone else 404), filtered by fair, stage, tag, source."""
    company = company_or_404(user=request.user, company_id=company_id)
    form, filters = _filters(request, company)
    leads = list(company_leads(company=company, filters=filters)[:LIST_LIMIT])
    rows = [(lead, buyer_shown(lead)) for lead in leads]
    context = {
        "company": company,
        "form": form,
        "rows": rows,
        "limit": LIST_LIMIT,
        "by_stage": [(LeadStage(stage).label, count) for stage, count in leads_by_stage(company).items()],
        "query": request.GET.urlencode(),
    }
    return TemplateResponse(request, "leads/list.html", context)


CSV_HEADER = [
    "lead_id",
    "fair",
    "stage",
    "sources",
    "tags",
    "first_activity",
    "last_activity",
    "contact_shared",
    "name",
    "company",
    "email",
    "country",
    "interests",
]


@login_required
@require_GET
def lead_csv(request, company_id: int):
    """GET: the list as CSV (same filters), contact details only for buyers who share them now."""
    company = company_or_404(user=request.user, company_id=company_id)
    _form, filters = _filters(request, company)

    def rows():
        for lead in company_leads(company=company, filters=filters):
            shown = buyer_shown(lead)
            yield [
                lead.pk,
                lead.fair.title if lead.fair else "",
                lead.stage,
                " ".join(lead.sources),
                "; ".join(tag.name for tag in lead.tags.all()),
                lead.first_activity_at.isoformat(),
                lead.last_activity_at.isoformat(),
                "yes" if shown.shared else "no",
                shown.name,
                shown.company_name,
                shown.email,
                shown.country,
                "; ".join(shown.interests),
            ]

    stamp = timezone.now().strftime("%Y%m%d")
    return csv_response(filename=f"leads-{company.pk}-{stamp}.csv", header=CSV_HEADER, rows=rows())


def _lead_or_404(request, company_id: int, lead_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    lead = lead_for_company(company=company, lead_id=lead_id)
    if lead is None:
        raise Http404
    return company, lead


def _detail(request, company, lead, *, stage_form=None, tag_form=None, note_form=None, status=200):
    context = {
        "company": company,
        "lead": lead,
        "shown": buyer_shown(lead),
        "timeline": lead_timeline(lead),
        "notes": list(lead.notes.all()),
        "tags": list(lead.tags.all()),
        "stage_form": stage_form or StageForm(initial={"stage": lead.stage}),
        "tag_form": tag_form or TagForm(),
        "note_form": note_form or NoteForm(),
        "sources": [LeadSource(source).label for source in lead.sources],
    }
    return TemplateResponse(request, "leads/detail.html", context, status=status)


@login_required
@require_GET
def lead_detail(request, company_id: int, lead_id: int) -> TemplateResponse:
    """GET: one lead: who (as far as they share it), what they did, stage and its history, tags, notes."""
    company, lead = _lead_or_404(request, company_id, lead_id)
    return _detail(request, company, lead)


def _to_detail(company, lead):
    return redirect("leads:detail", company_id=company.pk, lead_id=lead.pk)


@login_required
@require_POST
def lead_stage(request, company_id: int, lead_id: int):
    company, lead = _lead_or_404(request, company_id, lead_id)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            services.lead_stage_change(lead=lead, to=form.cleaned_data["stage"], by=request.user)
        except services.LeadError as error:
            form.add_error("stage", error.message)
        else:
            messages.success(request, _("Stage changed."))
            return _to_detail(company, lead)
    return _detail(request, company, lead, stage_form=form, status=400)


@login_required
@require_POST
def lead_tag_add(request, company_id: int, lead_id: int):
    company, lead = _lead_or_404(request, company_id, lead_id)
    form = TagForm(request.POST)
    if form.is_valid():
        try:
            services.lead_tag_add(lead=lead, name=form.cleaned_data["name"])
        except services.LeadError as error:
            form.add_error("name", error.message)
        else:
            messages.success(request, _("Tag added."))
            return _to_detail(company, lead)
    return _detail(request, company, lead, tag_form=form, status=400)


@login_required
@require_POST
def lead_tag_remove(request, company_id: int, lead_id: int, tag_id: int):
    company, lead = _lead_or_404(request, company_id, lead_id)
    if not services.lead_tag_remove(lead=lead, tag_id=tag_id):
        raise Http404
    messages.success(request, _("Tag removed."))
    return _to_detail(company, lead)


@login_required
@require_POST
def lead_note_add(request, company_id: int, lead_id: int):
    company, lead = _lead_or_404(request, company_id, lead_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.lead_note_add(lead=lead, author=request.user, body=form.cleaned_data["body"])
        except services.LeadError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("Note added."))
            return _to_detail(company, lead)
    return _detail(request, company, lead, note_form=form, status=400)


@login_required
@require_POST
def card_share(request, company_id: int):
    """POST from a booth page or a conversation: share (box ticked) or stop sharing (unticked) the buyer's
    contact details with the company; back where they were."""
    company = get_object_or_404(Company, pk=company_id, closed_at__isnull=True)
    if company.memberships.filter(user=request.user).exists():
        raise Http404
    form = ShareCardForm(request.POST)
    form.is_valid()
    share = bool(form.cleaned_data.get("share"))
    booth_id = request.POST.get("booth", "")
    booth = Booth.objects.filter(pk=int(booth_id), company=company).first() if booth_id.isdigit() else None
    services.lead_card_share(
        buyer=request.user,
        company=company,
        fair_id=booth.fair_id if booth else None,
        share=share,
        ip_address=request.META.get("REMOTE_ADDR"),
    )
    if share:
        messages.success(
            request,
            _("Your card is shared with %(company)s: they see your name, company and e-mail.")
            % {"company": company.legal_name},
        )
    else:
        messages.success(
            request, _("%(company)s no longer sees your contact details.") % {"company": company.legal_name}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("privacy")
    return HttpResponseRedirect(target)
