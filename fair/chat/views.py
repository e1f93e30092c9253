"""The chat as plain pages: the inbox, a conversation, and the forms that send, report and block.

They work without JavaScript (form posts, a refresh link); static/js/chat.js enhances the same page over the
socket. Both go through fair.chat.services with the same rules and the same rate limit. Someone else's
conversation or message answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exhibitors.integers import parse_id
from exhibitors.selectors.privacy import contact_shared_with
from fair.chat.enums import Side
from fair.chat.forms import ReportForm, SendForm
from fair.chat.models import Conversation
from fair.chat.selectors import conversations as selectors
from fair.chat.selectors import pages as selectors_pages
from fair.chat.services import conversations as services
from fair.chat.services import moderation
from fair.selectors.favourites import live_booth_or_none

INBOX_PER_PAGE = 50


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _conversation_or_404(request, pk: int) -> tuple[Conversation, str]:
    found = selectors.conversation_for(user=request.user, conversation_id=pk)
    if found is None:
        raise Http404
    return found


def _blocked_page(request) -> TemplateResponse:
    return TemplateResponse(request, "chat/blocked.html", {}, status=403)


def _conversation_url(conversation: Conversation, message_id: int | None = None) -> str:
    url = reverse("chat:conversation", args=[conversation.pk])
    return f"{url}#m{message_id}" if message_id else url


def _presence_text(conversation: Conversation, side: str) -> str:
    """What the status line says before the socket takes over: who of the other side is online now."""
    from fair.chat.presence import presence_text, staff_online_count, user_online

    buyer_side = side == Side.BUYER
    return presence_text(
        side=side,
        staff_online=staff_online_count(conversation.company_id) if buyer_side else 0,
        buyer_online=False if buyer_side else user_online(conversation.buyer_id),
        company=conversation.company.legal_name,
        buyer=str(conversation.buyer),
    )


def _booth_url(conversation: Conversation) -> str | None:
    booth = conversation.started_from
    if booth is None:
        return None
    return reverse(
        "fair:booth", kwargs={"fair_slug": booth.fair.slug, "company_slug": conversation.company.slug}
    )


def _conversation_page(
    request,
    conversation: Conversation,
    side: str,
    *,
    form: SendForm | None = None,
    report_form: ReportForm | None = None,
    report_message_id: int | None = None,
    status: int = 200,
) -> TemplateResponse:
    before = parse_id(request.GET.get("before"))
    page = selectors_pages.messages_page(conversation=conversation, before=before)
    state = selectors_pages.conversation_state(conversation=conversation, side=side)
    mine = [m.pk for m in page.messages if m.sender_id == request.user.pk and m.pk <= state.other_read_up_to]
    context = {
        "conversation": conversation,
        "side": side,
        "viewer_side": side,
        "company": conversation.company,
        "buyer": conversation.buyer,
        "booth": conversation.started_from,
        "booth_url": _booth_url(conversation),
        "page": page,
        "chat_messages": page.messages,
        "last_id": page.messages[-1].pk if page.messages and not page.newer else conversation.last_message_id,
        "seen_message_id": max(mine, default=None),
        "state": state,
        "can_send": not (state.blocked_by_me or state.blocked_by_other),
        "form": form or SendForm(),
        "report_form": report_form,
        "report_message_id": report_message_id,
        "presence_text": _presence_text(conversation, side),
        # The buyer's "share my card" with this company (fair.leads), remembered per company.
        "card_shared": side == Side.BUYER
        and contact_shared_with(user=request.user, company=conversation.company),
    }
    return TemplateResponse(request, "chat/conversation.html", context, status=status)


@login_required
@require_GET
def inbox(request) -> TemplateResponse:
    """GET: every conversation of the person, newest activity first, with what they have not read."""
    if selectors.chat_blocked(request.user):
        return _blocked_page(request)
    page_obj = Paginator(selectors_pages.inbox_conversations(request.user), INBOX_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = list(page_obj.object_list)
    company_rows = {row.company_id for row in rows if row.buyer_id != request.user.pk}
    buyer_rows = any(row.buyer_id == request.user.pk for row in rows)
    context = {
        "page_obj": page_obj,
        "rows": rows,
        # Staff of several companies (or staff who are buyers too) see whose inbox each row belongs to.
        "label_companies": len(company_rows) > 1 or (company_rows and buyer_rows),
    }
    return TemplateResponse(request, "chat/inbox.html", context)


@login_required
@require_GET
def conversation_detail(request, pk: int) -> TemplateResponse:
    """GET: the conversation's newest messages (or older ones with ?before=<id>); reading marks them read."""
    if selectors.chat_blocked(request.user):
        return _blocked_page(request)
    conversation, side = _conversation_or_404(request, pk)
    if "before" not in request.GET:
        services.conversation_mark_read(conversation=conversation, user=request.user)
    return _conversation_page(request, conversation, side)


@login_required
@require_POST
def message_send(request, pk: int):
    """POST: send a text message; a refused one comes back in the form with the reason (too fast: 429 with
    Retry-After)."""
    conversation, side = _conversation_or_404(request, pk)
    form = SendForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if selectors.chat_blocked(request.user):
        form.add_error(
            None,
            _("A moderator has blocked you from chat. Contact the chamber if you think this is a mistake."),
        )
        return _conversation_page(request, conversation, side, form=form, status=403)
    if form.errors:
        return _conversation_page(request, conversation, side, form=form, status=400)
    try:
        message, _created = services.message_send(
            conversation=conversation,
            sender=request.user,
            client_id=data.get("client_id", ""),
            body=data.get("body", ""),
        )
    except services.SendRateLimited as error:
        form.add_error(None, _error_text(error))
        response = _conversation_page(request, conversation, side, form=form, status=429)
        response["Retry-After"] = str(error.retry_after)
        return response
    except ValidationError as error:
        form.add_error("body" if error.code in {"too_long", "empty"} else None, _error_text(error))
        return _conversation_page(request, conversation, side, form=form, status=400)
    return HttpResponseRedirect(_conversation_url(conversation, message.pk))


@login_required
@require_POST
def conversation_read(request, pk: int):
    """POST: move the person's read mark to `up_to` (or to the newest message)."""
    conversation, _side = _conversation_or_404(request, pk)
    services.conversation_mark_read(
        conversation=conversation, user=request.user, up_to_id=parse_id(request.POST.get("up_to"))
    )
    if request.headers.get("Accept") == "application/json":
        return HttpResponse(status=204)
    return HttpResponseRedirect(_conversation_url(conversation))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def message_report(request, pk: int, message_pk: int):
    """GET: the report form for one message; POST: send the report to the chamber's moderators."""
    conversation, side = _conversation_or_404(request, pk)
    message = selectors_pages.message_in_conversation(conversation=conversation, message_id=message_pk)
    if message is None:
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation.message_report(
                message=message, reporter=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", _error_text(error))
        else:
            messages.success(request, _("Thank you. The chamber's moderators will look at this message."))
            return HttpResponseRedirect(_conversation_url(conversation, message.pk))
    context = {
        "conversation": conversation,
        "side": side,
        "message": message,
        "viewer_side": side,
        "form": form,
    }
    return TemplateResponse(
        request, "chat/report.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_POST
def conversation_block(request, pk: int):
    conversation, side = _conversation_or_404(request, pk)
    services.conversation_block(conversation=conversation, user=request.user)
    if side == Side.BUYER:
        text = _("You blocked %(company)s. Nothing more can be sent in this conversation.")
    else:
        text = _("You blocked %(buyer)s. Nothing more can be sent in this conversation.")
    messages.success(
        request, text % {"company": conversation.company.legal_name, "buyer": conversation.buyer}
    )
    return HttpResponseRedirect(_conversation_url(conversation))


@login_required
@require_POST
def conversation_unblock(request, pk: int):
    conversation, _side = _conversation_or_404(request, pk)
    services.conversation_unblock(conversation=conversation, user=request.user)
    messages.success(request, _("You lifted your block."))
    return HttpResponseRedirect(_conversation_url(conversation))


@login_required
@require_GET
def message_fragment(request, pk: int, message_pk: int) -> TemplateResponse:
    """GET: one message's <li>, as the conversation page draws it (chat.js fetches it for non-text kinds)."""
    conversation, side = _conversation_or_404(request, pk)
    message = selectors_pages.message_in_conversation(conversation=conversation, message_id=message_pk)
    if message is None:
        raise Http404
    context = {"conversation": conversation, "message": message, "viewer_side": side, "seen_message_id": None}
    return TemplateResponse(request, "chat/_message.html", context)


@require_POST
def conversation_start(request, booth_pk: int):
    """POST from a booth's "Chat with us": open (or create) the buyer's conversation with the company."""
    booth = live_booth_or_none(booth_id=booth_pk)
    if booth is None:
        raise Http404
    booth_url = reverse(
        "fair:booth", kwargs={"fair_slug": booth.fair.slug, "company_slug": booth.company.slug}
    )
    if not request.user.is_authenticated:
        return redirect_to_login(booth_url)
    try:
        conversation = services.conversation_start(buyer=request.user, company=booth.company, booth=booth)
    except ValidationError as error:
        context = {"booth": booth, "company": booth.company, "booth_url": booth_url, "code": error.code}
        return TemplateResponse(request, "chat/start_refused.html", context, status=403)
    return HttpResponseRedirect(_conversation_url(conversation))
