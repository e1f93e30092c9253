"""E-mail alerts: staff get one e-mail per unanswered spell of a buyer's messages nobody read in time, buyers
one for answers they have not read; in each recipient's language; queued for the task worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from cms.periodic import JOBS
from fair.chat.models import Conversation, Message, ReadState
from fair.chat.services.conversations import conversation_block, conversation_mark_read
from fair.chat.services.moderation import message_hide
from fair.chat.tasks import chat_alerts_send
from tests.factories.exhibitors import UserFactory
from tests.fair.chat.conftest import send_text


def aged(message, minutes=11):
    """As if the message had been sent `minutes` ago."""
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=minutes))
    return message


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_staff_get_one_email_each_per_unanswered_spell(conversation, chat_buyer, chat_owner, chat_staff):
    first = aged(send_text(conversation, chat_buyer, "Do you ship to Hamburg?"))

    assert chat_alerts_send() == {"staff": 2, "buyers": 0}

    assert recipients() == sorted([chat_owner.email, chat_staff.email])
    assert all("Do you ship to Hamburg?" in message.body for message in mail.outbox)
    assert all(f"/en/chat/conversations/{conversation.pk}/" in message.body for message in mail.outbox)
    assert "Bea Buyer is waiting for an answer from Cafe Inca S.A.C." == mail.outbox[0].subject
    conversation.refresh_from_db()
    assert conversation.staff_alerted_message_id == first.pk

    # More messages in the same spell, however old, bring no second e-mail; nor does another run.
    aged(send_text(conversation, chat_buyer, "Hello?"), minutes=30)
    mail.outbox.clear()
    assert chat_alerts_send() == {"staff": 0, "buyers": 0}
    assert mail.outbox == []

    # Once a staff member has read them, a new unread question starts a new spell.
    conversation_mark_read(conversation=conversation, user=chat_staff)
    aged(send_text(conversation, chat_buyer, "And to Bremen?"))
    assert chat_alerts_send()["staff"] == 2
    assert "And to Bremen?" in mail.outbox[0].body and "Hello?" not in mail.outbox[0].body


def test_no_email_when_staff_read_in_time(conversation, chat_buyer, chat_staff):
    aged(send_text(conversation, chat_buyer, "Question"))
    conversation_mark_read(conversation=conversation, user=chat_staff)

    assert chat_alerts_send() == {"staff": 0, "buyers": 0}
    assert mail.outbox == []


def test_no_email_before_the_delay(conversation, chat_buyer):
    aged(send_text(conversation, chat_buyer, "Question"), minutes=9)

    assert chat_alerts_send() == {"staff": 0, "buyers": 0}


def test_the_delay_is_a_setting(conversation, chat_buyer, settings):
    settings.FERIA_CHAT_ALERT_MINUTES = 30
    message = aged(send_text(conversation, chat_buyer, "Question"), minutes=20)
    assert chat_alerts_send()["staff"] == 0

    aged(message, minutes=31)
    assert chat_alerts_send()["staff"] == 2


def test_an_answer_counts_as_read(conversation, chat_buyer, chat_owner):
    aged(send_text(conversation, chat_buyer, "Question"), minutes=20)
    send_text(conversation, chat_owner, "Answer")  # moves the owner's read mark past the question

    assert chat_alerts_send()["staff"] == 0


def test_buyer_gets_one_email_for_unread_answers(conversation, chat_buyer, chat_owner):
    send_text(conversation, chat_buyer, "Question")
    conversation_mark_read(conversation=conversation, user=chat_owner)
    answer = aged(send_text(conversation, chat_owner, "Yes, every week."))
    aged(send_text(conversation, chat_owner, "From Callao."))

    assert chat_alerts_send() == {"staff": 0, "buyers": 1}

    assert recipients() == [chat_buyer.email]
    assert mail.outbox[0].subject == "Cafe Inca S.A.C. answered your message"
    assert "Yes, every week." in mail.outbox[0].body and "From Callao." in mail.outbox[0].body
    state = ReadState.objects.get(conversation=conversation, user=chat_buyer)
    assert state.alerted_message_id > answer.pk
    assert chat_alerts_send()["buyers"] == 0

    # The buyer reads; a later unread answer is a new spell.
    conversation_mark_read(conversation=conversation, user=chat_buyer)
    aged(send_text(conversation, chat_owner, "Anything else?"))
    assert chat_alerts_send()["buyers"] == 1


def test_no_buyer_email_when_read_in_time(conversation, chat_buyer, chat_owner):
    aged(send_text(conversation, chat_owner, "Welcome!"))
    conversation_mark_read(conversation=conversation, user=chat_buyer)

    assert chat_alerts_send() == {"staff": 0, "buyers": 0}


def test_emails_come_in_each_recipients_language(conversation, chat_buyer, chat_owner, chat_staff):
    chat_owner.preferred_language = "es"
    chat_owner.save()
    chat_staff.preferred_language = "fr"
    chat_staff.save()
    chat_buyer.preferred_language = "pt"
    chat_buyer.save()
    aged(send_text(conversation, chat_buyer, "Question"))
    chat_alerts_send()
    conversation_mark_read(conversation=conversation, user=chat_owner)
    aged(send_text(conversation, chat_owner, "Respuesta"))
    mail.outbox.clear()
    chat_alerts_send()
    aged(send_text(conversation, chat_buyer, "Outra pergunta"))
    Message.objects.filter(sender=chat_buyer).update(created_at=timezone.now() - timedelta(minutes=15))

    chat_alerts_send()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[chat_buyer.email].extra_headers["Content-Language"] == "pt"
    assert f"/pt/chat/conversations/{conversation.pk}/" in by_address[chat_buyer.email].body
    assert by_address[chat_owner.email].extra_headers["Content-Language"] == "es"
    assert f"/es/chat/conversations/{conversation.pk}/" in by_address[chat_owner.email].body
    assert by_address[chat_staff.email].extra_headers["Content-Language"] == "fr"


def test_hidden_messages_and_blocked_conversations_raise_no_alert(conversation, chat_buyer, chat_owner):
    message = aged(send_text(conversation, chat_buyer, "spam"))
    message_hide(message=message, moderator=UserFactory(), reason="Spam")
    assert chat_alerts_send()["staff"] == 0

    aged(send_text(conversation, chat_buyer, "Question"))
    conversation_block(conversation=conversation, user=chat_owner)
    assert chat_alerts_send()["staff"] == 0


def test_the_alert_job_runs_every_minute():
    job = next(job for job in JOBS if job.name == "chat_alerts")
    assert job.every_seconds == 60


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_alerts_wait_for_the_task_worker(
    settings, chat_buyer, chat_company, chat_owner, chat_staff, home_page
):
    from fair.chat.services.conversations import conversation_start

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    conversation = conversation_start(buyer=chat_buyer, company=chat_company)
    aged(send_text(conversation, chat_buyer, "Question"))

    job = next(job for job in JOBS if job.name == "chat_alerts")
    job.run()

    assert mail.outbox == []
    assert Conversation.objects.get().staff_alerted_message_id > 0
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    assert recipients() == sorted([chat_owner.email, chat_staff.email])
