from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from exhibitors.permissions import company_or_404
from fair.matchmaking.selectors.buyers import recommended_buyers


@login_required
def buyers(request, company_id: int) -> TemplateResponse:
    """Buyers who agreed to be found, ranked against the company's catalogue; another company's: 404."""
    company = company_or_404(user=request.user, company_id=company_id)
    return TemplateResponse(
        request,
        "matchmaking/buyers.html",
        {"company": company, "suggestions": recommended_buyers(company=company)},
    )
