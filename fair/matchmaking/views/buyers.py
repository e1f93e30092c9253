from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone

from exhibitors.permissions import company_or_404
from fair.matchmaking.selectors.buyers import recommended_buyers
from fair.meetings.selectors.slots import buyers_meeting_fairs


@login_required
def buyers(request, company_id: int) -> TemplateResponse:
    """Buyers who agreed to be found, ranked against the company's catalogue, each with the fairs where a
    meeting can be proposed in their published times; another company's: 404."""
    company = company_or_404(user=request.user, company_id=company_id)
    suggestions = recommended_buyers(company=company)
    fairs = buyers_meeting_fairs(
        company=company, buyer_ids=[item.profile.user_id for item in suggestions], now=timezone.now()
    )
    for item in suggestions:
        item.meeting_fairs = fairs.get(item.profile.user_id, [])
    return TemplateResponse(
        request, "matchmaking/buyers.html", {"company": company, "suggestions": suggestions}
    )
