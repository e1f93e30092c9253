"""The record log's pages: the public key, a party's receipt download, the public verification page."""

import base64
import json

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from exhibitors.records.forms import ReceiptCheckForm
from exhibitors.records.selectors import receipt_check, record_anchors, record_for_party, record_receipt
from exhibitors.records.signing import key_id, public_key_raw


@require_GET
@cache_control(public=True, max_age=3600)
def public_key(request):
    """/.well-known/feria-records-key: the key receipts are signed with (format in docs/records.md)."""
    return JsonResponse(
        {
            "algorithm": "Ed25519",
            "key_id": key_id(),
            "public_key": base64.b64encode(public_key_raw()).decode("ascii"),
        }
    )


@require_GET
def receipt_download(request, position: int):
    """A party's signed receipt for one entry; anyone else (signed out too) gets a 404."""
    record = record_for_party(position=position, user=request.user)
    if record is None:
        raise Http404
    response = HttpResponse(
        json.dumps(record_receipt(record), indent=2, ensure_ascii=False) + "\n",
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="record-{record.position}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone checks a receipt here, without signing in; the answer names only the time and position."""
    result = None
    if request.method == "POST":
        form = ReceiptCheckForm(request.POST, request.FILES)
        if form.is_valid():
            result = receipt_check(form.cleaned_data["receipt"])
            if result.ok:
                # The answer is all the page shows; a failed check keeps the text to correct.
                form = ReceiptCheckForm()
    else:
        form = ReceiptCheckForm()
    return render(
        request,
        "records/verify.html",
        {"form": form, "result": result, "anchors": record_anchors(), "key_id": key_id()},
    )
