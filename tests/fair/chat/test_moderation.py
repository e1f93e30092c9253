"""Moderation in the Wagtail admin: the chamber's staff see reports, read the reported message in context
(each look audit-logged), and hide, warn, block, unblock or dismiss; every decision is in the audit log."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import ModelLogEntry

from fair.chat.enums import ReportStatus, SanctionKind
from fair.chat.models import ChatSanction, MessageReport
from fair.chat.selectors.conversations import chat_blocked
from fair.chat.services.moderation import message_report
from tests.factories.exhibitors import UserFactory
from tests.factories.staff import ChamberStaffFactory
from tests.fair.chat.conftest import send_text

LIST_URL = "/admin/chat_reports/"


@pytest.fixture
def moderator(home_page):
    return ChamberStaffFactory(email="mod@chamber.example", first_name="Mona", last_name="Moderator")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


@pytest.fixture
def report(conversation, chat_buyer, chat_owner):
    """The buyer reports the owner's sixth message of eleven (five before it, five after)."""
    messages = [
        send_text(conversation, chat_owner if n % 2 == 0 else chat_buyer, f"message number {n:02d}")
        for n in range(13)
    ]
    reported = messages[6]
    reported.body = "You <b>idiot</b>, https://spam.example"
    reported.save(update_fields=["body"])
    return message_report(message=reported, reporter=chat_buyer, reason="Insulting and spam")


def detail_url(report):
    return f"{LIST_URL}{report.pk}/"


def decide(client, report, action, reason=""):
    return client.post(f"{detail_url(report)}decide/", {"action": action, "reason": reason})


def logged(action):
    return ModelLogEntry.objects.filter(action=action)


def test_chamber_staff_see_the_queue(moderator_client, report):
    menu = moderator_client.get("/admin/").content.decode()
    assert LIST_URL in menu and "Chat reports" in menu

    response = moderator_client.get(LIST_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Insulting and spam" in html
    assert "Olga Owner" in html
    assert detail_url(report) in html


def test_people_outside_chamber_staff_cannot_reach_the_queue(client, report, chat_owner):
    client.force_login(chat_owner)
    for url in (LIST_URL, detail_url(report)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/admin/login/"), url
    assert not logged("chat.report_viewed").exists()


def test_report_page_shows_five_messages_either_side_and_logs_each_look(moderator_client, moderator, report):
    response = moderator_client.get(detail_url(report))

    html = response.content.decode()
    assert response.status_code == 200
    for n in range(1, 12):
        if n != 6:
            assert f"message number {n:02d}" in html, n
    assert "message number 00" not in html and "message number 12" not in html
    assert "You &lt;b&gt;idiot&lt;/b&gt;" in html
    assert '<a href="https://spam.example" rel="noopener nofollow ugc">' in html
    entry = logged("chat.report_viewed").get()
    assert entry.user == moderator and entry.object_id == str(report.pk)
    assert entry.data["message"] == report.message_id

    moderator_client.get(detail_url(report))
    assert logged("chat.report_viewed").count() == 2


def test_hide_the_message(moderator_client, moderator, report, chat_buyer, client_for):
    response = decide(moderator_client, report, "hide", "Insults")

    assert response.status_code == 302
    report.refresh_from_db()
    report.message.refresh_from_db()
    assert report.message.hidden_by == moderator and report.message.hidden_at is not None
    assert (report.status, report.handled_by, report.resolution) == (
        ReportStatus.ACTIONED,
        moderator,
        "Insults",
    )
    assert logged("chat.message_hidden").get().user == moderator
    page = client_for(chat_buyer).get(f"/en/chat/conversations/{report.message.conversation_id}/")
    assert "hidden by a moderator" in page.content.decode()
    assert "idiot" not in page.content.decode()


def test_hiding_needs_a_reason(moderator_client, report):
    response = decide(moderator_client, report, "hide", "  ")

    assert response.status_code == 400
    assert "Give a reason" in response.content.decode()
    report.message.refresh_from_db()
    assert report.message.hidden_at is None


def test_warn_the_sender_emails_them_in_their_language(moderator_client, report, chat_owner):
    chat_owner.preferred_language = "es"
    chat_owner.save()

    decide(moderator_client, report, "warn", "Be polite")

    sanction = ChatSanction.objects.get()
    assert (sanction.user, sanction.kind, sanction.reason) == (chat_owner, SanctionKind.WARNING, "Be polite")
    assert not chat_blocked(chat_owner)
    assert logged("chat.user_warning").count() == 1
    assert [message.to for message in mail.outbox] == [[chat_owner.email]]
    assert mail.outbox[0].extra_headers["Content-Language"] == "es"
    assert "Be polite" in mail.outbox[0].body


def test_block_then_unblock_the_sender(moderator_client, report, chat_owner, client_for):
    conversation_url = f"/en/chat/conversations/{report.message.conversation_id}/"

    decide(moderator_client, report, "block", "Repeated insults")

    assert chat_blocked(chat_owner)
    owner = client_for(chat_owner)
    assert owner.get(conversation_url).status_code == 403
    assert owner.post(f"{conversation_url}send/", {"body": "sorry", "client_id": "s1"}).status_code == 403
    assert logged("chat.user_block").count() == 1
    assert "blocked from chat" in moderator_client.get(detail_url(report)).content.decode()

    decide(moderator_client, report, "unblock")

    assert not chat_blocked(chat_owner)
    assert owner.get(conversation_url).status_code == 200
    assert logged("chat.user_unblock").count() == 1


def test_dismiss_the_report(moderator_client, moderator, report):
    decide(moderator_client, report, "dismiss", "Heated, not abusive")

    report.refresh_from_db()
    assert (report.status, report.handled_by) == (ReportStatus.DISMISSED, moderator)
    entry = logged("chat.report_dismissed").get()
    assert entry.data["resolution"] == "Heated, not abusive"
    report.message.refresh_from_db()
    assert report.message.hidden_at is None


def test_decisions_read_in_the_audit_trail(moderator_client, report):
    decide(moderator_client, report, "hide", "Insults")
    decide(moderator_client, report, "warn", "Be polite")

    html = moderator_client.get(detail_url(report)).content.decode()
    assert "Chat message hidden by a moderator" in html
    assert "Person warned about their chat messages" in html
    history = moderator_client.get(f"{detail_url(report)}history/")
    assert history.status_code == 200
    assert "Chat report and its messages viewed" in history.content.decode()


def test_admin_links_to_a_report_open_its_page_and_nothing_edits_it(moderator_client, moderator, report):
    from wagtail.admin.admin_url_finder import AdminURLFinder

    assert moderator_client.get(detail_url(report)).status_code == 200
    for url in (f"{LIST_URL}new/", f"{detail_url(report)}edit/", f"{detail_url(report)}delete/"):
        assert moderator_client.get(url, follow=True).status_code == 404
    # There is no edit view: the audit log's links to a report open its page.
    assert AdminURLFinder(moderator).get_edit_url(report) == detail_url(report)


def test_a_view_only_user_cannot_decide(client, report, home_page):
    from django.contrib.auth.models import Permission

    viewer = UserFactory()
    viewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_messagereport")
    )
    client.force_login(viewer)
    assert client.get(detail_url(report)).status_code == 200

    response = decide(client, report, "dismiss")

    assert response.status_code in {302, 403}
    report.refresh_from_db()
    assert report.status == ReportStatus.OPEN


def test_chamber_staff_group_gets_the_chat_permissions_once(home_page):
    migration = importlib.import_module("fair.chat.migrations.0002_chamber_staff_chat_reports")
    group = Group.objects.get(name="Chamber staff")
    before = group.permissions.count()

    migration.grant_chat_reports(apps, None)

    assert group.permissions.count() == before
    assert set(
        group.permissions.filter(content_type__app_label="chat").values_list("codename", flat=True)
    ) == {
        "view_messagereport",
        "change_messagereport",
    }
    assert MessageReport.objects.count() == 0
