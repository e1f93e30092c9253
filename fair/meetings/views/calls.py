"""The call room page of an accepted meeting (docs/calls.md).

Only the meeting's buyer and its company's members see it; anyone else, and a meeting that is not accepted,
get a 404. Outside the room's window the page only says when it opens (or that it has closed) and loads no
script, so no camera or microphone is asked for. When the exhibitor gave a meeting link of their own, the page
offers that link instead of the call in the browser. The text fallback links to the chat conversation of the
two parties.
"""

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from exhibitors.models import Booth
from fair.chat.models import Conversation
from fair.meetings.enums import MeetingSide
from fair.meetings.ice import ice_servers
from fair.meetings.selectors.calls import call_room_for


@login_required
@require_GET
def call_room(request, uuid):
    room = call_room_for(user=request.user, meeting_uuid=uuid)
    if room is None:
        raise Http404
    meeting = room.meeting
    state = room.state()
    conversation_id = (
        Conversation.objects.filter(buyer_id=meeting.buyer_id, company_id=meeting.company_id)
        .values_list("pk", flat=True)
        .first()
    )
    context = {
        "meeting": meeting,
        "room": room,
        "state": state,
        "side": room.side,
        "other_party": meeting.company.legal_name if room.side == MeetingSide.BUYER else str(meeting.buyer),
        "external_link": meeting.external_link or "",
        "chat_url": reverse("chat:conversation", args=[conversation_id]) if conversation_id else "",
        "socket_path": f"/ws/meetings/{meeting.uuid}/call/",
    }
    if not conversation_id and room.side == MeetingSide.BUYER:
        # No conversation yet: the buyer starts one from the company's booth at this fair, as from its page.
        context["start_booth_pk"] = (
            Booth.objects.filter(fair_id=meeting.fair_id, company_id=meeting.company_id)
            .values_list("pk", flat=True)
            .first()
        )
    if state == "open" and not context["external_link"]:
        context["ice_servers_json"] = json.dumps(ice_servers(user_id=request.user.pk))
    response = TemplateResponse(request, "meetings/call.html", context)
    # Never stored by a cache: the page carries fresh TURN credentials.
    response["Cache-Control"] = "private, no-store"
    return response
