"""Opening a complaint about each kind of subject, evidence checked like every upload and kept private,
the other party told in its language, answers and party messages, and who may see a complaint."""

import pytest
from django.core import mail
from django.urls import reverse

from complaints.enums import EntryKind, Side, Status, SubjectKind
from complaints.models import Complaint, ComplaintEvidence
from exhibitors.models import PrivateFile
from tests.factories.complaints import complaint_open_as
from tests.factories.uploads import image_bytes, pdf_bytes, png_claiming, upload

pytestmark = pytest.mark.django_db


def _new_url(parties, kind):
    if kind == SubjectKind.ORDER:
        return reverse("complaints:new_order", args=[parties.order.pk])
    if kind == SubjectKind.MEETING:
        return reverse("complaints:new_meeting", args=[parties.meeting.uuid])
    return reverse("complaints:new_conversation", args=[parties.conversation.pk])


@pytest.mark.parametrize("kind", [SubjectKind.ORDER, SubjectKind.MEETING, SubjectKind.CONVERSATION])
def test_buyer_opens_complaint_about_each_subject(client, parties, kind):
    client.force_login(parties.buyer)
    response = client.post(
        _new_url(parties, kind),
        {
            "what_happened": "Nobody came and nobody wrote.",
            "wish": "apology",
            "evidence": [
                upload(image_bytes(), "screenshot.png"),
                upload(pdf_bytes(), "mail.pdf", "application/pdf"),
            ],
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.subject_kind == kind
    assert (complaint.buyer, complaint.company, complaint.fair) == (
        parties.buyer,
        parties.company,
        parties.fair,
    )
    assert complaint.opened_side == Side.BUYER and complaint.status == Status.AWAITING_ANSWER
    assert ComplaintEvidence.objects.filter(complaint=complaint).count() == 2
    assert list(complaint.entries.values_list("kind", flat=True)) == [EntryKind.OPENED]
    # Both members of the exhibitor are told, each in their own language.
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {parties.owner.email, parties.member.email}
    assert by_address[parties.owner.email].extra_headers["Content-Language"] == "es"
    assert "Una reclamación" in by_address[parties.owner.email].subject
    assert by_address[parties.member.email].extra_headers["Content-Language"] == "fr"
    assert f"/complaints/{complaint.pk}/" in by_address[parties.owner.email].body


def test_exhibitor_opens_complaint_buyer_is_told(client, parties):
    client.force_login(parties.member)
    response = client.post(
        _new_url(parties, SubjectKind.CONVERSATION),
        {"what_happened": "Insults in the chat.", "wish": "apology"},
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.opened_side == Side.COMPANY and complaint.answering_side == Side.BUYER
    assert [message.to for message in mail.outbox] == [[parties.buyer.email]]


@pytest.mark.parametrize("kind", [SubjectKind.ORDER, SubjectKind.MEETING, SubjectKind.CONVERSATION])
def test_non_party_cannot_open(client, parties, kind):
    for outsider in (parties.stranger, parties.stranger_company_owner):
        client.force_login(outsider)
        assert client.get(_new_url(parties, kind)).status_code == 404
        assert (
            client.post(_new_url(parties, kind), {"what_happened": "x", "wish": "other"}).status_code == 404
        )
    assert not Complaint.objects.exists()


def test_signed_out_is_sent_to_sign_in(client, parties):
    response = client.get(_new_url(parties, SubjectKind.ORDER))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_evidence_refused_nothing_written(client, parties):
    client.force_login(parties.buyer)
    response = client.post(
        _new_url(parties, SubjectKind.ORDER),
        {
            "what_happened": "Broken.",
            "wish": "replacement",
            "evidence": [upload(image_bytes(), "ok.png"), upload(png_claiming(60000, 60000), "bomb.png")],
        },
    )
    assert response.status_code == 400
    assert not Complaint.objects.exists() and not PrivateFile.objects.exists()
    # What was typed is still there.
    assert "Broken." in response.content.decode()


def test_empty_text_refused(client, parties):
    client.force_login(parties.buyer)
    response = client.post(_new_url(parties, SubjectKind.ORDER), {"what_happened": "  ", "wish": "refund"})
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_evidence_served_to_parties_and_staff_only(client, parties, chamber):
    client.force_login(parties.buyer)
    client.post(
        _new_url(parties, SubjectKind.ORDER),
        {
            "what_happened": "Wrong goods.",
            "wish": "refund",
            "evidence": [upload(pdf_bytes(), "bill.pdf", "application/pdf")],
        },
    )
    complaint = Complaint.objects.get()
    evidence = complaint.evidence.get()
    url = reverse("complaints:evidence", args=[complaint.pk, evidence.pk])
    for person in (parties.buyer, parties.owner, parties.member):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    for person in (parties.stranger, parties.stranger_company_owner):
        client.force_login(person)
        assert client.get(url).status_code == 404
    # Not through the generic private-file download either (the file belongs to no company).
    client.force_login(parties.owner)
    assert (
        client.get(reverse("complaints_admin:evidence", args=[complaint.pk, evidence.pk])).status_code != 200
    )
    client.force_login(chamber)
    assert (
        client.get(reverse("complaints_admin:evidence", args=[complaint.pk, evidence.pk])).status_code == 200
    )


def test_complaint_page_only_for_parties(client, parties):
    complaint = complaint_open_as(parties)
    url = reverse("complaints:detail", args=[complaint.pk])
    for person in (parties.buyer, parties.owner, parties.member):
        client.force_login(person)
        assert client.get(url).status_code == 200
    for person in (parties.stranger, parties.stranger_company_owner):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.post(url, {"text": "hi"}).status_code == 404
        assert (
            client.post(reverse("complaints:feedback", args=[complaint.pk]), {"resolved": "yes"}).status_code
            == 404
        )
        assert complaint.pk not in [
            c.pk for c in client.get(reverse("complaints:mine")).context["complaints"]
        ]


def test_other_party_answers_then_messages(client, parties):
    complaint = complaint_open_as(parties)
    mail.outbox.clear()
    client.force_login(parties.member)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Your answer" in page
    response = client.post(
        reverse("complaints:detail", args=[complaint.pk]),
        {"text": "Shipped on Monday, here is the tracking."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ANSWERED and complaint.answered_at is not None
    assert [message.to for message in mail.outbox] == [[parties.buyer.email]]
    # The buyer replies; it is a message both sides and the chamber read.
    client.force_login(parties.buyer)
    client.post(reverse("complaints:detail", args=[complaint.pk]), {"text": "Nothing arrived yet."})
    assert list(complaint.entries.values_list("kind", "author_side")) == [
        (EntryKind.OPENED, Side.BUYER),
        (EntryKind.ANSWER, Side.COMPANY),
        (EntryKind.MESSAGE, Side.BUYER),
    ]
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Shipped on Monday" in page and "Nothing arrived yet." in page


def test_my_complaints_lists_both_sides(client, parties):
    complaint = complaint_open_as(parties)
    for person in (parties.buyer, parties.owner):
        client.force_login(person)
        response = client.get(reverse("complaints:mine"))
        assert [c.pk for c in response.context["complaints"]] == [complaint.pk]


def test_my_complaints_query_count(client, parties, django_assert_num_queries):
    client.force_login(parties.buyer)
    complaint_open_as(parties)
    client.get(reverse("complaints:mine"))
    with django_assert_num_queries(4) as captured:
        client.get(reverse("complaints:mine"))
    count_one = len(captured.captured_queries)
    for _ in range(5):
        complaint_open_as(parties, subject=parties.meeting)
    with django_assert_num_queries(count_one):
        response = client.get(reverse("complaints:mine"))
    assert len(response.context["complaints"]) == 6


def test_report_links_on_subject_pages(client, parties):
    client.force_login(parties.buyer)
    page = client.get(reverse("meetings:detail", args=[parties.meeting.uuid])).content.decode()
    assert reverse("complaints:new_meeting", args=[parties.meeting.uuid]) in page
    page = client.get(reverse("chat:conversation", args=[parties.conversation.pk])).content.decode()
    assert reverse("complaints:new_conversation", args=[parties.conversation.pk]) in page
    page = client.get(reverse("payments:buyer_order", args=[parties.order.pk])).content.decode()
    assert reverse("complaints:new_order", args=[parties.order.pk]) in page


def test_ids_beyond_any_column_answer_404(client, parties, chamber):
    huge = 2**70
    client.force_login(parties.buyer)
    for url in (
        f"/en/complaints/new/order/{huge}/",
        f"/en/complaints/new/conversation/{huge}/",
        f"/en/complaints/{huge}/",
        f"/en/complaints/{huge}/evidence/{huge}/",
    ):
        assert client.get(url).status_code == 404
    # Under /admin/ the 404 becomes the locale middleware's redirect to a prefixed path; never a 500.
    client.force_login(chamber)
    for url in (f"/admin/complaints/{huge}/", f"/admin/complaints/{huge}/evidence/1/"):
        assert client.get(url).status_code in (302, 404)
