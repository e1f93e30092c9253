"""Account e-mails (verification, password reset) are sent by the task worker, not inside the request."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from tests.exhibitors.test_accounts import signup_data

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@committed
def test_signup_verification_email_waits_for_the_worker(client, database_tasks, home_page):
    response = client.post(reverse("account_signup"), signup_data(preferred_language="es"))

    assert response.status_code == 302
    assert mail.outbox == []

    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert [message.to for message in mail.outbox] == [["rosa@cafe-andino.example"]]
    assert "/es/accounts/confirm-email/" in mail.outbox[0].body


@committed
def test_password_reset_email_is_queued_in_the_recipients_language(client, database_tasks, home_page):
    client.post(reverse("account_signup"), signup_data(preferred_language="fr"))
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
    mail.outbox.clear()
    client.logout()

    client.post(reverse("account_reset_password"), {"email": "rosa@cafe-andino.example"})
    assert mail.outbox == []
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    assert len(mail.outbox) == 1
    assert "/fr/accounts/password/reset/key/" in mail.outbox[0].body
