"""The local Stripe server checks our calls against the stripe library's typed parameters."""

import pytest
import stripe

from payments.stripe_client import request_options, stripe_client


def session_params(**overrides):
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {"currency": "usd", "unit_amount": 15000, "product_data": {"name": "Booth"}},
            }
        ],
        "success_url": "https://feria.example/ok",
        "cancel_url": "https://feria.example/cancel",
        "metadata": {"attempt_id": "7"},
    }
    params.update(overrides)
    return params


def test_a_valid_session_is_created_and_recorded(stripe_server):
    session = stripe_client().v1.checkout.sessions.create(
        params=session_params(), options=request_options(idempotency_key="checkout-7")
    )
    assert session.id.startswith("cs_test_")
    assert session.amount_total == 15000
    (call,) = stripe_server.calls("POST", "/v1/checkout/sessions")
    assert call.idempotency_key == "checkout-7"
    assert call.stripe_account is None
    assert call.params["line_items"] == [
        {
            "quantity": 1,
            "price_data": {"currency": "usd", "unit_amount": 15000, "product_data": {"name": "Booth"}},
        }
    ]
    assert call.params["metadata"] == {"attempt_id": "7"}


def test_unknown_parameter_is_refused(stripe_server):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        stripe_client().v1.checkout.sessions.create(
            params=session_params(amount=15000), options=request_options(idempotency_key="checkout-8")
        )
    assert refused.value.http_status == 400
    assert "unknown parameter: amount" in refused.value.user_message
    assert stripe_server.sessions == {}


def test_nested_unknown_and_mistyped_parameters_are_refused(stripe_server):
    bad_nested = session_params()
    bad_nested["line_items"][0]["price_data"]["amount"] = 1
    with pytest.raises(stripe.InvalidRequestError, match=r"line_items\[0\]\[price_data\]\[amount\]"):
        stripe_client().v1.checkout.sessions.create(
            params=bad_nested, options=request_options(idempotency_key="a")
        )
    mistyped = session_params()
    mistyped["line_items"][0]["price_data"]["unit_amount"] = "150.00"
    with pytest.raises(stripe.InvalidRequestError, match="Invalid integer"):
        stripe_client().v1.checkout.sessions.create(
            params=mistyped, options=request_options(idempotency_key="b")
        )
    with pytest.raises(stripe.InvalidRequestError, match="Invalid boolean"):
        stripe_client().v1.checkout.sessions.create(
            params=session_params(allow_promotion_codes="yes"), options=request_options(idempotency_key="c")
        )
    with pytest.raises(stripe.InvalidRequestError, match="Missing required param"):
        stripe_client().v1.checkout.sessions.create(
            params=session_params(line_items=[{"quantity": 1, "price_data": {"unit_amount": 5}}]),
            options=request_options(idempotency_key="d"),
        )
    assert stripe_server.sessions == {}


def test_idempotency_replays_and_refuses_other_parameters(stripe_server):
    first = stripe_client().v1.checkout.sessions.create(
        params=session_params(), options=request_options(idempotency_key="checkout-9")
    )
    again = stripe_client().v1.checkout.sessions.create(
        params=session_params(), options=request_options(idempotency_key="checkout-9")
    )
    assert again.id == first.id
    assert len(stripe_server.sessions) == 1
    with pytest.raises(stripe.IdempotencyError):
        stripe_client().v1.checkout.sessions.create(
            params=session_params(metadata={"attempt_id": "10"}),
            options=request_options(idempotency_key="checkout-9"),
        )


def test_faults_500_and_timeout(stripe_server):
    stripe_server.fail_next(500)
    with pytest.raises(stripe.APIError):
        stripe_client().v1.checkout.sessions.create(
            params=session_params(), options=request_options(idempotency_key="x")
        )
    stripe_server.hang_next(5)
    with pytest.raises(stripe.APIConnectionError):
        stripe_client().v1.checkout.sessions.create(
            params=session_params(), options=request_options(idempotency_key="x")
        )
    assert stripe_server.sessions == {}
    # Nothing was saved under the key: the same call now goes through.
    session = stripe_client().v1.checkout.sessions.create(
        params=session_params(), options=request_options(idempotency_key="x")
    )
    assert list(stripe_server.sessions) == [session.id]


def test_event_list_filters_and_pages(stripe_server):
    for number in range(5):
        stripe_server.add_event(
            {"id": f"evt_{number}", "object": "event", "type": "x", "created": 100 + number}
        )
    stripe_server.add_event(
        {"id": "evt_acct", "object": "event", "type": "x", "created": 200, "account": "acct_1"}
    )
    events = stripe_client().v1.events.list(params={"created": {"gte": 102}, "limit": 2})
    assert [e.id for e in events.auto_paging_iter()] == ["evt_4", "evt_3", "evt_2"]
    connected = stripe_client().v1.events.list(options={"stripe_account": "acct_1"})
    assert [e.id for e in connected.data] == ["evt_acct"]


def test_wrong_api_key_is_refused(stripe_server, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_nope"
    with pytest.raises(stripe.AuthenticationError):
        stripe_client().v1.checkout.sessions.retrieve("cs_test_1")
