"""The exhibitor's results per fair: charts (SVG images), the same numbers in tables, and a CSV download.
Only the company's own people see them; anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exhibitors.permissions import company_or_404
from exhibitors.spreadsheets import csv_response
from fair.leads.enums import LeadStage
from fair.leads.selectors import leads_by_stage
from fair.models import FairPage
from results.charts import bar_chart_svg
from results.selectors.dashboard import Series, exhibitor_dashboard
from results.selectors.outcomes import outcomes_waiting


def duration_label(seconds) -> str:
    """A wait as minutes (under two hours) or hours, in the reader's language."""
    if seconds is None:
        return "–"
    minutes = seconds / 60
    if minutes < 120:
        return _("%(n)s min") % {"n": formats.number_format(round(minutes, 1), 1)}
    return _("%(n)s h") % {"n": formats.number_format(round(minutes / 60, 1), 1)}


def value_label(series: Series):
    if series.unit == "seconds":
        return duration_label
    return None


def _company_fair(request, company_id: int, fair_id: int):
    company = company_or_404(user=request.user, company_id=company_id)
    fair = get_object_or_404(FairPage, pk=fair_id, booths__company=company)
    return company, fair


@login_required
@require_GET
def dashboard(request, company_id: int, fair_id: int):
    company, fair = _company_fair(request, company_id, fair_id)
    data = exhibitor_dashboard(company=company, fair=fair)
    charts = []
    for series in data.series:
        label = value_label(series)
        charts.append(
            {
                "series": series,
                "rows": [
                    (day, label(series.per_day[day]) if label else series.per_day[day]) for day in data.days
                ],
                "total": label(series.total) if label else series.total,
            }
        )
    return render(
        request,
        "results/dashboard.html",
        {
            "company": company,
            "fair": fair,
            "dashboard": data,
            "charts": charts,
            "stages": _stage_rows(company, fair),
            "outcomes_waiting": outcomes_waiting(user=request.user),
        },
    )


def _stage_rows(company, fair) -> list[tuple[str, str, int]]:
    """The company's leads at the fair per stage, in the stages' order: (stage, its label, count)."""
    counts = leads_by_stage(company, fair)
    return [(stage.value, stage.label, counts[stage.value]) for stage in LeadStage]


@login_required
@require_GET
def chart(request, company_id: int, fair_id: int, key: str):
    """One metric's chart as an SVG image (served on its own: an <img> may load it under the CSP)."""
    company, fair = _company_fair(request, company_id, fair_id)
    if key == "leads_by_stage":
        rows = _stage_rows(company, fair)
        svg = bar_chart_svg(
            title=_("Leads by stage"),
            labels=[str(label) for _stage, label, _count in rows],
            values=[count for _stage, _label, count in rows],
        )
        return _svg_response(svg)
    data = exhibitor_dashboard(company=company, fair=fair)
    series = next((item for item in data.series if item.key == key), None)
    if series is None:
        raise Http404
    svg = bar_chart_svg(
        title=str(series.label),
        days=data.days,
        values=[series.per_day[day] for day in data.days],
        value_label=value_label(series),
    )
    return _svg_response(svg)


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def dashboard_csv(request, company_id: int, fair_id: int):
    """The dashboard's numbers: one row per day, a column per metric, and a last row of totals."""
    company, fair = _company_fair(request, company_id, fair_id)
    data = exhibitor_dashboard(company=company, fair=fair)
    header = ["day", *[series.key for series in data.series]]

    def cell(series: Series, value):
        if value is None:
            return ""
        if series.unit == "seconds":
            return int(round(value))
        return value

    rows = [[day.isoformat(), *[cell(s, s.per_day[day]) for s in data.series]] for day in data.days]
    rows.append(["total", *[cell(s, s.total) for s in data.series]])
    return csv_response(filename=f"results-{company.slug}-{fair.slug}.csv", header=header, rows=rows)
