"""Applying for a booth and building it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from exhibitors.permissions import booth_or_404, company_or_404


@login_required
def booth_apply(request, company_id: int, fair_id: int):
    company_or_404(user=request.user, company_id=company_id)
    raise Http404


@login_required
def booth_edit(request, booth_id: int):
    booth_or_404(user=request.user, booth_id=booth_id)
    raise Http404
