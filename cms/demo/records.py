"""The demo seed's record-log step: the chamber verifies a few member companies against its register, which
puts the first entries in the record log (decisions, payments and refunds add theirs as people use the
demo). Companies already verified are skipped, so a second run adds nothing."""

from stdnum.pe import ruc

from exhibitors.models import Company
from exhibitors.services.verification import company_verify

# (company slug, number in the chamber's member register)
VERIFIED = (
    ("cafetalera-selva-alta", "CCPS-2019-0147"),
    ("kallpa-cacao-peru", "CCPS-2021-0388"),
    ("hilanderia-misti-alpaca", "CCPS-2016-0052"),
)


def _valid_ruc(tax_id: str) -> str:
    """The demo's fictional RUC with its check digit made right (python-stdnum checks it)."""
    body = (tax_id + "0" * 11)[:10]
    return body + ruc.calc_check_digit(body)


class RecordSteps:
    def records(self) -> None:
        staff = self.people["staff"]
        for slug, register_number in VERIFIED:
            company = Company.objects.filter(slug=slug, verified_at__isnull=True).first()
            if company is None:
                continue
            company_verify(
                company=company, by=staff, register_number=register_number, tax_id=_valid_ruc(company.tax_id)
            )
            self.report.count("verified companies")
