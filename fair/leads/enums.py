from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadStage(models.TextChoices):
    """Where the exhibitor stands with a lead. Moves only through fair.leads.services.lead_stage_change."""

    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    QUOTE_SENT = "quote_sent", _("Quote sent")
    SAMPLE_SENT = "sample_sent", _("Sample sent")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


# A sales pipeline is not a straight line: a quote may come before a sample or after it, a lost lead may come
# back. Any stage may move to any other; only "back to new" is refused, since new means nobody acted yet.
STAGE_TRANSITIONS: dict[str, frozenset] = {
    stage: frozenset(other for other in LeadStage if other not in (stage, LeadStage.NEW))
    for stage in LeadStage
}


class LeadSource(models.TextChoices):
    """What the buyer did that made them a lead (a lead may have several)."""

    CHAT = "chat", _("Chat")
    MEETING = "meeting", _("Meeting")
    FAVOURITE = "favourite", _("Favourite")
    CARD = "card", _("Shared card")


class LeadEventKind(models.TextChoices):
    """One step on a lead's timeline."""

    CHAT_STARTED = "chat_started", _("Started a chat")
    MEETING_REQUESTED = "meeting_requested", _("Meeting requested")
    MEETING_HELD = "meeting_held", _("Meeting held")
    FAVOURITED = "favourited", _("Saved the booth to favourites")
    CARD_SHARED = "card_shared", _("Shared their card")


EVENT_SOURCE = {
    LeadEventKind.CHAT_STARTED: LeadSource.CHAT,
    LeadEventKind.MEETING_REQUESTED: LeadSource.MEETING,
    LeadEventKind.MEETING_HELD: LeadSource.MEETING,
    LeadEventKind.FAVOURITED: LeadSource.FAVOURITE,
    LeadEventKind.CARD_SHARED: LeadSource.CARD,
}
