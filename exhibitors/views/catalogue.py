"""A company's product catalogue."""

from django.contrib.auth.decorators import login_required
from django.http import Http404

from exhibitors.permissions import company_or_404, product_or_404


@login_required
def product_list(request, company_id: int):
    company_or_404(user=request.user, company_id=company_id)
    raise Http404


@login_required
def product_create(request, company_id: int):
    company_or_404(user=request.user, company_id=company_id)
    raise Http404


@login_required
def product_edit(request, product_id: int):
    product_or_404(user=request.user, product_id=product_id)
    raise Http404
