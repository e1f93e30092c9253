"""The chamber report in the Wagtail admin: per fair, the sections registered in results.report (per hall,
per country, unanswered booths, outcomes, and whatever other apps add), as tables and as one CSV."""

from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale

from exhibitors.integers import parse_int
from exhibitors.spreadsheets import csv_response
from fair.models import FairPage
from results.report import report_build

PERMISSION = "results.view_chamber_report"


def _fair_choice(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    fairs = list(FairPage.objects.filter(locale=Locale.get_default()).order_by("-starts_at", "title"))
    fair_id = parse_int(request.GET.get("fair", ""))
    return fairs, next((item for item in fairs if item.pk == fair_id), None)


def chamber_report(request):
    """GET ?fair=<id>: the fair's report; without a fair, the list of fairs to choose from."""
    fairs, fair = _fair_choice(request)
    context = {"fairs": fairs, "fair": fair, "tables": report_build(fair) if fair else None}
    return TemplateResponse(request, "results/admin/report.html", context)


def chamber_report_csv(request):
    """GET ?fair=<id>: every section one after the other: a row naming the section, then its column keys
    and rows, then an empty row."""
    fairs, fair = _fair_choice(request)
    if fair is None:
        return chamber_report(request)
    rows = []
    for table in report_build(fair):
        rows.append(["section", table.key])
        rows.append(table.column_keys)
        rows.extend(table.rows)
        rows.append([])
    return csv_response(filename=f"chamber-report-{fair.slug}.csv", header=["fair", fair.slug], rows=rows)


@hooks.register("register_admin_urls")
def register_chamber_report_urls():
    return [
        path("chamber-report/", chamber_report, name="results_chamber_report"),
        path("chamber-report/report.csv", chamber_report_csv, name="results_chamber_report_csv"),
    ]


class ChamberReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_chamber_report_menu_item():
    return ChamberReportMenuItem(
        _("Chamber report"), reverse("results_chamber_report"), icon_name="table", order=180
    )
