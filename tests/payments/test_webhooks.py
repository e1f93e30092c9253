"""The webhook: Stripe's signature, the event store, the handler registry, and retries."""

import json
import logging
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from payments import webhooks
from payments.enums import EventStatus
from payments.models import StripeEvent
from tests.payments.conftest import CONNECT_SECRET, PLATFORM_SECRET, WEBHOOK_URL, make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(monkeypatch):
    """A handler for the test type "feria.test" that records what it saw (and can be told to fail)."""
    seen = []
    state = {"fail": False}

    def handler(event):
        if state["fail"]:
            raise RuntimeError("handler broke")
        seen.append(event["id"])

    monkeypatch.setitem(webhooks.HANDLERS, "feria.test", [handler])
    return seen, state


def test_signed_event_is_stored_and_handled_once(stripe_settings, post_event, recorded):
    seen, _ = recorded
    event = make_event("feria.test", {"id": "obj_1", "object": "thing"})
    first = post_event(event)
    again = post_event(event)
    assert first.status_code == again.status_code == 200
    assert seen == [event["id"]]
    stored = StripeEvent.objects.get()
    assert (stored.status, stored.attempts, stored.type, stored.source) == (
        "processed",
        1,
        "feria.test",
        "platform",
    )
    assert stored.payload == event


def test_unknown_types_are_stored_and_ignored(stripe_settings, post_event):
    response = post_event(make_event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200
    assert StripeEvent.objects.get().status == EventStatus.IGNORED


def test_connect_events_need_the_connect_secret(stripe_settings, post_event, recorded):
    event = make_event("feria.test", {"id": "obj_2"}, account="acct_123")
    assert post_event(event, secret=PLATFORM_SECRET).status_code == 400
    assert not StripeEvent.objects.exists()
    assert post_event(event, secret=CONNECT_SECRET).status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.account, stored.source) == ("acct_123", "connect")


@pytest.mark.parametrize("fault", ["bad_signature", "stale", "future", "tampered", "no_header", "not_json"])
def test_forgeries_are_refused_logged_and_change_nothing(
    stripe_settings, client, sign_event, recorded, caplog, fault
):
    seen, _ = recorded
    event = make_event("feria.test", {"id": "obj_3"})
    body, header = sign_event(event)
    if fault == "bad_signature":
        body, header = sign_event(event, secret="whsec_someone_else")
    elif fault == "stale":
        body, header = sign_event(event, timestamp=int(time.time()) - 301)
    elif fault == "future":
        body, header = sign_event(event, timestamp=int(time.time()) + 600)
    elif fault == "tampered":
        body = body.replace('"obj_3"', '"obj_4"')
    elif fault == "no_header":
        header = ""
    elif fault == "not_json":
        body, header = sign_event("not json")
    with caplog.at_level(logging.WARNING, logger="feria.payments"):
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert seen == []
    assert any("Stripe webhook refused" in record.getMessage() for record in caplog.records)


def test_within_tolerance_is_accepted(stripe_settings, post_event, recorded):
    assert (
        post_event(make_event("feria.test", {"id": "o"}), timestamp=int(time.time()) - 290).status_code == 200
    )


def test_webhook_is_unprefixed_and_post_only(stripe_settings, client):
    assert client.get(WEBHOOK_URL).status_code == 405
    assert client.post("/en" + WEBHOOK_URL, data="{}", content_type="application/json").status_code == 404


def test_a_failing_handler_leaves_the_event_failed_then_the_retry_job_processes_it(
    stripe_settings, post_event, recorded
):
    seen, state = recorded
    state["fail"] = True
    event = make_event("feria.test", {"id": "obj_5"})
    assert post_event(event).status_code == 500
    stored = StripeEvent.objects.get()
    assert (stored.status, stored.attempts) == ("failed", 1)
    assert "handler broke" in stored.error

    state["fail"] = False
    # Not due yet: the first retry waits a minute.
    assert webhooks.events_retry_failed() == 0
    assert webhooks.events_retry_failed(now=timezone.now() + timedelta(minutes=2)) == 1
    stored.refresh_from_db()
    assert (stored.status, stored.attempts, stored.error) == ("processed", 2, "")
    assert seen == [event["id"]]
    # A late duplicate delivery changes nothing.
    assert post_event(event).status_code == 200
    assert seen == [event["id"]]


def test_handles_registers_a_function_once(monkeypatch):
    monkeypatch.setattr(webhooks, "HANDLERS", {})

    @webhooks.handles("a.b", "c.d")
    def handler(event):
        pass

    webhooks.handles("a.b")(handler)
    assert webhooks.HANDLERS == {"a.b": [handler], "c.d": [handler]}


def test_retry_delay_grows_and_is_capped():
    assert [webhooks.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert webhooks.retry_delay(30) == timedelta(hours=6)


def test_event_payload_is_kept_as_sent(stripe_settings, post_event):
    event = make_event("customer.created", {"id": "cus_2", "object": "customer", "name": "Ñandú"})
    post_event(event)
    assert json.dumps(StripeEvent.objects.get().payload, sort_keys=True) == json.dumps(event, sort_keys=True)


# --- The envelope, giving up, oversized bodies --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("created", "abc"),
        ("created", 1e20),
        ("created", -1e15),
        ("created", 10**30),
        ("created", True),
        ("created", 1.5),
        ("type", 7),
        ("data", "x"),
        ("data", {"object": []}),
        ("account", 5),
        ("livemode", "yes"),
    ],
)
def test_signed_event_with_a_malformed_envelope_refused(stripe_settings, post_event, recorded, field, value):
    seen, _ = recorded
    event = make_event("feria.test", {"id": "obj_9"})
    event[field] = value

    response = post_event(event, secret=PLATFORM_SECRET)

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert seen == []


def test_event_failing_every_time_is_given_up_and_shown_to_staff(
    stripe_settings, settings, post_event, recorded, client
):
    from payments.webhooks import events_retry_failed
    from tests.factories.staff import ChamberStaffFactory

    settings.STRIPE_EVENT_MAX_ATTEMPTS = 3
    _seen, state = recorded
    state["fail"] = True
    event = make_event("feria.test", {"id": "obj_10"})

    assert post_event(event).status_code == 500
    later = timezone.now()
    for _round in range(5):
        later += timedelta(days=1)
        events_retry_failed(now=later)
    stored = StripeEvent.objects.get()
    assert (stored.status, stored.attempts) == ("gave_up", 3)
    assert "RuntimeError: handler broke" in stored.error
    # Stripe's next delivery is acknowledged and changes nothing.
    assert post_event(event).status_code == 200
    stored.refresh_from_db()
    assert stored.attempts == 3

    client.force_login(ChamberStaffFactory())
    listing = client.get("/admin/stripe_events/", {"status": "gave_up"})
    assert listing.status_code == 200
    assert "feria.test" in listing.content.decode()
    page = client.get(f"/admin/stripe_events/{stored.pk}/")
    assert "handler broke" in page.content.decode()


def test_webhook_body_over_the_limit_answers_413_with_one_log_line(stripe_settings, client, caplog):
    body = b"{" + b" " * (5 * 1024 * 1024) + b"}"

    with caplog.at_level(logging.WARNING), caplog.at_level(logging.WARNING, logger="feria.payments"):
        response = client.post(
            WEBHOOK_URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=x"
        )

    assert response.status_code == 413
    assert not StripeEvent.objects.exists()
    records = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(records) == 1
    assert "Request Entity Too Large" in records[0].getMessage()
    assert records[0].exc_info is None
