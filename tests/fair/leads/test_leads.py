import csv
import io

import pytest
from django.urls import reverse

from exhibitors.services.consents import contact_sharing_set
from exhibitors.services.erasure import account_anonymise
from fair.chat.services.conversations import conversation_start
from fair.leads.enums import LeadEventKind, LeadStage
from fair.leads.models import Lead, LeadEvent, LeadNote, LeadStageChange
from fair.leads.selectors import lead_counts, leads_by_stage
from fair.leads.services import (
    LeadError,
    lead_card_share,
    lead_note_add,
    lead_record,
    lead_stage_change,
    lead_tag_add,
    leads_backfill,
)
from fair.meetings.enums import MeetingStatus
from fair.meetings.services.requests import meeting_request
from fair.meetings.services.transitions import meeting_transition
from fair.models import Favourite
from fair.services import favourite_add
from tests.factories.exhibitors import BuyerProfileFactory, UserFactory
from tests.factories.leads import LeadFactory
from tests.factories.meetings import MeetingFactory, MeetingSlotFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    text = (
        b"".join(response).decode("utf-8-sig") if response.streaming else response.content.decode("utf-8-sig")
    )
    return list(csv.DictReader(io.StringIO(text)))


# --- where leads come from ---


def test_lead_from_chat(buyer, company, booth):
    conversation_start(buyer=buyer, company=company, booth=booth)
    lead = Lead.objects.get(company=company, buyer=buyer)
    assert lead.fair_id == booth.fair_id
    assert lead.sources == ["chat"]
    assert list(lead.events.values_list("kind", flat=True)) == [LeadEventKind.CHAT_STARTED]


def test_lead_from_chat_without_booth_has_no_fair(buyer, company):
    conversation_start(buyer=buyer, company=company)
    assert Lead.objects.get(company=company, buyer=buyer).fair_id is None


def test_lead_from_meeting_request_and_held(buyer, company, booth, fair, staff_member):
    slot = MeetingSlotFactory(fair=fair, company=company, staff=staff_member)
    meeting = meeting_request(buyer=buyer, slot=slot, agenda="Green coffee, two containers.")
    lead = Lead.objects.get(company=company, buyer=buyer, fair=fair)
    assert lead.from_meeting is True
    meeting_transition(meeting=meeting, to=MeetingStatus.ACCEPTED)
    meeting_transition(meeting=meeting, to=MeetingStatus.HELD)
    kinds = set(lead.events.values_list("kind", flat=True))
    # The meeting card opens the conversation too, so the chat counts as well.
    assert {LeadEventKind.MEETING_REQUESTED, LeadEventKind.MEETING_HELD} <= kinds


def test_lead_from_favourite(buyer, company, booth):
    favourite_add(user=buyer, booth=booth)
    favourite_add(user=buyer, booth=booth)
    lead = Lead.objects.get(company=company, buyer=buyer, fair=booth.fair)
    assert lead.sources == ["favourite"]
    assert lead.events.count() == 1


def test_lead_from_card_gives_contact(client, buyer, company, booth, owner):
    client.force_login(buyer)
    response = client.post(
        reverse("leads:share_card", args=[company.pk]), {"share": "1", "booth": booth.pk, "next": "/en/"}
    )
    assert response.status_code == 302
    lead = Lead.objects.get(company=company, buyer=buyer, fair=booth.fair)
    assert lead.from_card is True
    client.force_login(owner)
    page = client.get(reverse("leads:list", args=[company.pk])).content.decode()
    assert "katrin@nordlicht.example" in page
    assert "Nordlicht Feinkost GmbH" in page


def test_company_people_are_not_leads(owner, company, booth):
    favourite_add(user=owner, booth=booth)
    assert not Lead.objects.exists()


def test_sources_accumulate_and_activity_moves(buyer, company, booth, fair, staff_member):
    conversation_start(buyer=buyer, company=company, booth=booth)
    favourite_add(user=buyer, booth=booth)
    lead = Lead.objects.get(company=company, buyer=buyer, fair=fair)
    assert lead.sources == ["chat", "favourite"]
    assert lead.last_activity_at >= lead.first_activity_at


def test_backfill_makes_leads_once(buyer, company, booth, fair, staff_member):
    MeetingFactory(
        buyer=buyer, slot=MeetingSlotFactory(fair=fair, company=company), status=MeetingStatus.HELD
    )
    Favourite.objects.create(user=buyer, booth=booth)  # written before leads existed
    leads_backfill()
    leads_backfill()
    lead = Lead.objects.get(company=company, buyer=buyer, fair=fair)
    assert lead.from_meeting and lead.from_favourite
    assert LeadEvent.objects.filter(lead=lead).count() == 3


def test_backfill_command(buyer, company, booth):
    from django.core.management import call_command

    Favourite.objects.create(user=buyer, booth=booth)
    call_command("leads_backfill", stdout=io.StringIO())
    assert Lead.objects.filter(company=company, buyer=buyer).exists()


# --- consent ---


def test_without_consent_lead_is_anonymous_everywhere(client, buyer, company, booth, owner):
    favourite_add(user=buyer, booth=booth)
    lead = Lead.objects.get()
    client.force_login(owner)
    listing = client.get(reverse("leads:list", args=[company.pk])).content.decode()
    detail = client.get(reverse("leads:detail", args=[company.pk, lead.pk])).content.decode()
    rows = _csv(client.get(reverse("leads:csv", args=[company.pk])))
    for page in (listing, detail):
        assert "A buyer from Germany, Coffee" in page
        assert "katrin@nordlicht.example" not in page
        assert "Katrin" not in page
    assert rows[0]["email"] == ""
    assert rows[0]["name"] == ""
    assert rows[0]["contact_shared"] == "no"
    assert rows[0]["country"] == "Germany"
    assert rows[0]["interests"] == "Coffee"


def test_withdrawal_takes_effect_at_once(client, buyer, company, booth, owner):
    lead_card_share(buyer=buyer, company=company, fair_id=booth.fair_id, share=True)
    lead = Lead.objects.get()
    client.force_login(owner)
    assert (
        "katrin@nordlicht.example"
        in client.get(reverse("leads:detail", args=[company.pk, lead.pk])).content.decode()
    )
    assert _csv(client.get(reverse("leads:csv", args=[company.pk])))[0]["email"] == "katrin@nordlicht.example"

    # Withdrawn from the privacy page.
    client.force_login(buyer)
    client.post(reverse("company_consent_withdraw", args=[company.pk]))
    client.force_login(owner)
    listing = client.get(reverse("leads:list", args=[company.pk])).content.decode()
    detail = client.get(reverse("leads:detail", args=[company.pk, lead.pk])).content.decode()
    rows = _csv(client.get(reverse("leads:csv", args=[company.pk])))
    assert "katrin@nordlicht.example" not in listing
    assert "katrin@nordlicht.example" not in detail
    assert rows[0]["email"] == "" and rows[0]["contact_shared"] == "no"


def test_withdrawal_from_the_booth_form(client, buyer, company, booth):
    client.force_login(buyer)
    url = reverse("leads:share_card", args=[company.pk])
    client.post(url, {"share": "1", "booth": booth.pk})
    page = client.get(f"/en/{booth.fair.slug}/booths/{company.slug}/").content.decode()
    assert "Stop sharing my card" in page
    client.post(url, {"booth": booth.pk})  # unticked
    page = client.get(f"/en/{booth.fair.slug}/booths/{company.slug}/").content.decode()
    assert "Share my card" in page and "Stop sharing my card" not in page
    assert lead_counts(company)["with_contact"] == 0


def test_consent_to_one_company_does_not_reveal_to_another(
    client, buyer, company, other_company, booth, owner
):
    other_booth = other_company.booths.get()
    favourite_add(user=buyer, booth=other_booth)
    lead_card_share(buyer=buyer, company=company, fair_id=booth.fair_id, share=True)
    other_owner = UserFactory()
    other_company.memberships.create(user=other_owner, role="owner")
    client.force_login(other_owner)
    page = client.get(reverse("leads:list", args=[other_company.pk])).content.decode()
    assert "A buyer from Germany" in page
    assert "katrin@nordlicht.example" not in page
    assert _csv(client.get(reverse("leads:csv", args=[other_company.pk])))[0]["email"] == ""
    client.force_login(owner)
    assert "katrin@nordlicht.example" in client.get(reverse("leads:list", args=[company.pk])).content.decode()


def test_share_card_from_conversation(client, buyer, company):
    conversation = conversation_start(buyer=buyer, company=company)
    client.force_login(buyer)
    url = reverse("chat:conversation", args=[conversation.pk])
    assert "Share my contact details with Cafe Inca S.A.C." in client.get(url).content.decode()
    client.post(reverse("leads:share_card", args=[company.pk]), {"share": "1", "next": url})
    assert "Stop sharing my card" in client.get(url).content.decode()


def test_privacy_page_lists_company_consents(client, buyer, company):
    contact_sharing_set(user=buyer, company=company, granted=True)
    client.force_login(buyer)
    page = client.get(reverse("privacy")).content.decode()
    assert "Cafe Inca S.A.C." in page
    assert reverse("company_consent_withdraw", args=[company.pk]) in page


def test_erased_buyer_becomes_anonymous_and_notes_stay(buyer, company, booth, owner):
    lead = lead_card_share(buyer=buyer, company=company, fair_id=booth.fair_id, share=True)
    lead_note_add(lead=lead, author=owner, body="Call Katrin on Monday.")
    account_anonymise(user=buyer)
    assert lead_counts(company)["with_contact"] == 0
    from fair.leads.selectors import buyer_shown, company_leads

    shown = buyer_shown(company_leads(company=company).get())
    assert shown.shared is False and shown.email == ""
    assert LeadNote.objects.filter(lead=lead).count() == 1


# --- stages, tags, notes ---


def test_stage_change_writes_history(client, buyer, company, owner):
    lead = LeadFactory(company=company, buyer=buyer)
    client.force_login(owner)
    response = client.post(reverse("leads:stage", args=[company.pk, lead.pk]), {"stage": "quote_sent"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == LeadStage.QUOTE_SENT
    change = LeadStageChange.objects.get(lead=lead)
    assert (change.from_stage, change.to_stage, change.by) == ("new", "quote_sent", owner)
    page = client.get(reverse("leads:detail", args=[company.pk, lead.pk])).content.decode()
    assert "Stage: New → Quote sent" in page


def test_stage_cannot_go_back_to_new(buyer, company, owner):
    lead = LeadFactory(company=company, buyer=buyer)
    lead_stage_change(lead=lead, to=LeadStage.WON, by=owner)
    with pytest.raises(LeadError):
        lead_stage_change(lead=lead, to=LeadStage.NEW, by=owner)
    with pytest.raises(LeadError):
        lead_stage_change(lead=lead, to=LeadStage.WON, by=owner)


def test_bad_stage_shows_error(client, buyer, company, owner):
    lead = LeadFactory(company=company, buyer=buyer)
    client.force_login(owner)
    response = client.post(reverse("leads:stage", args=[company.pk, lead.pk]), {"stage": "new"})
    assert response.status_code == 400
    assert "cannot move" in response.content.decode()


def test_tags_and_filter(client, buyer, company, owner):
    lead = LeadFactory(company=company, buyer=buyer)
    other = LeadFactory(company=company, buyer=BuyerProfileFactory(country="FR").user)
    client.force_login(owner)
    client.post(reverse("leads:tag_add", args=[company.pk, lead.pk]), {"name": "  hot   lead "})
    lead_tag_add(lead=other, name="HOT LEAD")
    tag = lead.tags.get()
    assert tag.name == "hot lead"
    assert other.tags.get() == tag  # one company list, case-insensitive
    lead_tag_add(lead=other, name="cold")
    response = client.get(reverse("leads:list", args=[company.pk]), {"tag": other.tags.get(name="cold").pk})
    assert [row[0].pk for row in response.context["rows"]] == [other.pk]
    client.post(reverse("leads:tag_remove", args=[company.pk, lead.pk, tag.pk]))
    assert lead.tags.count() == 0


def test_filters_by_stage_source_and_fair(client, company, owner, fair):
    chat = LeadFactory(company=company, fair=fair)
    card = LeadFactory(company=company, from_chat=False, from_card=True, stage=LeadStage.WON)
    client.force_login(owner)
    url = reverse("leads:list", args=[company.pk])

    def ids(params):
        return [row[0].pk for row in client.get(url, params).context["rows"]]

    assert ids({"source": "card"}) == [card.pk]
    assert ids({"stage": "won"}) == [card.pk]
    assert ids({"fair": fair.pk}) == [chat.pk]
    assert sorted(ids({})) == sorted([chat.pk, card.pk])


def test_notes_have_author_and_time(client, buyer, company, staff_member):
    lead = LeadFactory(company=company, buyer=buyer)
    client.force_login(staff_member)
    client.post(reverse("leads:note_add", args=[company.pk, lead.pk]), {"body": "Wants samples."})
    note = LeadNote.objects.get(lead=lead)
    assert note.author == staff_member and note.created_at is not None
    empty = client.post(reverse("leads:note_add", args=[company.pk, lead.pk]), {"body": "   "})
    assert empty.status_code == 400
    assert LeadNote.objects.count() == 1


# --- selectors for the results dashboard ---


def test_leads_by_stage_and_counts(company, fair, owner):
    LeadFactory(company=company, fair=fair)
    LeadFactory(company=company, fair=fair, stage=LeadStage.WON, from_meeting=True)
    LeadFactory(company=company, stage=LeadStage.WON)
    LeadFactory()  # another company's
    assert leads_by_stage(company) == {
        "new": 1,
        "contacted": 0,
        "quote_sent": 0,
        "sample_sent": 0,
        "won": 2,
        "lost": 0,
    }
    assert leads_by_stage(company, fair=fair)["won"] == 1
    counts = lead_counts(company)
    assert counts["total"] == 3 and counts["meeting"] == 1 and counts["chat"] == 3


# --- CSV ---


def test_csv_neutralises_formulas(client, company, owner):
    buyer = UserFactory(first_name='=HYPERLINK("http://x")', last_name="Evil")
    BuyerProfileFactory(user=buyer, company_name="+cmd|' /C calc'!A0")
    lead = LeadFactory(company=company, buyer=buyer)
    lead_tag_add(lead=lead, name="@risk")
    contact_sharing_set(user=buyer, company=company, granted=True)
    client.force_login(owner)
    response = client.get(reverse("leads:csv", args=[company.pk]))
    assert response["Content-Type"].startswith("text/csv")
    row = _csv(response)[0]
    assert row["name"] == '\'=HYPERLINK("http://x") Evil'
    assert row["company"] == "'+cmd|' /C calc'!A0"
    assert row["tags"] == "'@risk"
    assert list(row) == [
        "lead_id",
        "fair",
        "stage",
        "sources",
        "tags",
        "first_activity",
        "last_activity",
        "contact_shared",
        "name",
        "company",
        "email",
        "country",
        "interests",
    ]


# --- permissions ---


def test_other_company_staff_get_404(client, company, other_staff, buyer):
    lead = LeadFactory(company=company, buyer=buyer)
    client.force_login(other_staff)
    assert client.get(reverse("leads:list", args=[company.pk])).status_code == 404
    assert client.get(reverse("leads:csv", args=[company.pk])).status_code == 404
    assert client.get(reverse("leads:detail", args=[company.pk, lead.pk])).status_code == 404
    other_company = other_staff.memberships.get().company
    assert client.get(reverse("leads:detail", args=[other_company.pk, lead.pk])).status_code == 404
    assert (
        client.post(reverse("leads:stage", args=[other_company.pk, lead.pk]), {"stage": "won"}).status_code
        == 404
    )
    assert (
        client.post(reverse("leads:note_add", args=[company.pk, lead.pk]), {"body": "x"}).status_code == 404
    )
    lead.refresh_from_db()
    assert lead.stage == LeadStage.NEW


def test_staff_see_the_list_and_anonymous_are_sent_to_sign_in(client, company, staff_member):
    LeadFactory(company=company)
    assert client.get(reverse("leads:list", args=[company.pk])).status_code == 302
    client.force_login(staff_member)
    assert client.get(reverse("leads:list", args=[company.pk])).status_code == 200


def test_dashboard_links_leads(client, company, owner):
    client.force_login(owner)
    assert reverse("leads:list", args=[company.pk]) in client.get(reverse("dashboard")).content.decode()


# --- query counts ---


def _leads(company, fair, n, start):
    for i in range(start, start + n):
        buyer = BuyerProfileFactory(user=UserFactory(email=f"b{i}@example.com")).user
        lead = LeadFactory(company=company, buyer=buyer, fair=fair)
        lead_tag_add(lead=lead, name=f"tag {i % 4}")
        if i % 2:
            contact_sharing_set(user=buyer, company=company, granted=True)


def test_lead_list_query_count_is_flat(client, company, owner, fair, django_assert_num_queries):
    _leads(company, fair, 3, 0)
    client.force_login(owner)
    url = reverse("leads:list", args=[company.pk])
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        client.get(url)
    _leads(company, fair, 27, 3)
    with django_assert_num_queries(len(three.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 30


def test_csv_query_count_is_flat(client, company, owner, fair, django_assert_num_queries):
    _leads(company, fair, 3, 0)
    client.force_login(owner)
    url = reverse("leads:csv", args=[company.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        b"".join(client.get(url))
    _leads(company, fair, 27, 3)
    with django_assert_num_queries(len(three.captured_queries)):
        rows = _csv(client.get(url))
    assert len(rows) == 30


def test_lead_record_ignores_repeats(buyer, company):
    first = lead_record(buyer=buyer, company=company, fair_id=None, kind="chat_started", ref="x")
    again = lead_record(buyer=buyer, company=company, fair_id=None, kind="chat_started", ref="x")
    assert first.pk == again.pk and LeadEvent.objects.count() == 1


# --- translations ---


@pytest.mark.parametrize("language", ["es", "fr", "pt"])
def test_lead_texts_are_translated(language):
    from django.utils import translation

    from fair.leads.enums import LeadEventKind, LeadSource

    texts = [*LeadStage.labels, *LeadSource.labels, *LeadEventKind.labels, "Share my card", "Leads"]
    with translation.override(language):
        translated = [str(translation.gettext(text)) for text in texts]
    untranslated = [text for text, done in zip(texts, translated, strict=True) if done == text]
    # "Chat" is the same word in Spanish and Portuguese.
    assert set(untranslated) <= {"Chat"}
