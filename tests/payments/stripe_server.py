"""A local Stripe API for the tests: a ThreadingHTTPServer on 127.0.0.1 that our real Stripe calls (through
the official stripe library, STRIPE_API_BASE pointed here) reach.

Each route names the stripe library's own typed parameter definition (`stripe.params...CreateParams`, a
TypedDict). A request's form or query parameters are decoded the way Stripe decodes them (`a[b][0][c]=v`)
and checked against that definition, walking its annotations: an unknown key, a missing required key, a
value of the wrong type or outside a Literal is refused with a Stripe-shaped 400 `invalid_request_error`,
as Stripe does. Idempotency keys behave as Stripe's: the same key with the same parameters answers the
saved response again; with other parameters it is a 400 `idempotency_error`.

Every request is recorded (method, path, decoded params, Idempotency-Key, Stripe-Account) for exact
asserts. Faults: `fail_next(status)` answers the next matching request(s) with an error before anything
is done; `hang_next(seconds)` holds the answer longer than the client waits (a timeout). Routes other tests
need are added with `route(method, pattern, params_type, responder)`.
"""

import itertools
import json
import re
import sys
import threading
import time
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import typing_extensions
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from stripe.params import EventListParams, PaymentIntentRetrieveParams
from stripe.params.checkout import SessionCreateParams, SessionExpireParams, SessionRetrieveParams

OPTION_KEYS = frozenset(RequestOptions.__annotations__)


class ParamError(Exception):
    def __init__(self, param: str, message: str):
        super().__init__(message)
        self.param = param
        self.message = message


# --- Decoding Stripe's form encoding -------------------------------------------------------------------


def decode_params(pairs: list[tuple[str, str]]) -> dict:
    """`a[b][0][c]=v` pairs into nested dicts (list indices stay dict keys "0", "1"... until validation)."""
    root: dict = {}
    for raw_key, value in pairs:
        head, _, rest = raw_key.partition("[")
        parts = [head] + (re.findall(r"([^\[\]]*)\]", "[" + rest) if rest else [])
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise ParamError(raw_key, f"Invalid parameter shape: {raw_key}")
            node = child
        if parts[-1] in node:
            raise ParamError(raw_key, f"Repeated parameter: {raw_key}")
        node[parts[-1]] = value
    return root


# --- Validation against the stripe library's TypedDicts ------------------------------------------------


def _resolve(annotation: Any, module: str) -> Any:
    if isinstance(annotation, typing.ForwardRef):
        annotation = annotation.__forward_arg__
    if isinstance(annotation, str):
        namespace = vars(sys.modules[module])
        return eval(annotation, namespace)  # the library's own annotation text  # noqa: S307
    return annotation


def _typeddict_fields(cls) -> tuple[dict[str, Any], set[str]]:
    fields = {key: value for key, value in cls.__annotations__.items() if key not in OPTION_KEYS}
    required = set(getattr(cls, "__required_keys__", set())) - OPTION_KEYS
    return fields, required


def _is_typeddict(tp) -> bool:
    return isinstance(tp, type) and (typing.is_typeddict(tp) or typing_extensions.is_typeddict(tp))


def validate(value: Any, annotation: Any, param: str, module: str) -> Any:
    """Check one decoded value against its annotation; returns it converted to Python types."""
    tp = _resolve(annotation, module)
    origin = typing_extensions.get_origin(tp)
    args = typing_extensions.get_args(tp)
    if origin in (typing_extensions.NotRequired, typing_extensions.Required):
        return validate(value, args[0], param, module)
    if origin is typing.Union or origin is types.UnionType:
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return validate(value, arg, param, module)
            except ParamError as exc:
                errors.append(exc.message)
        raise ParamError(param, f"Invalid value for {param}: " + "; ".join(errors))
    if origin is typing_extensions.Literal or origin is typing.Literal:
        if not isinstance(value, str) or value not in [str(arg) for arg in args]:
            raise ParamError(param, f"Invalid {param}: must be one of {', '.join(map(str, args))}")
        return value
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, dict) or sorted(value, key=lambda k: int(k) if k.isdigit() else -1) != [
            str(i) for i in range(len(value))
        ]:
            raise ParamError(param, f"Invalid array: {param}")
        return [validate(value[str(i)], args[0], f"{param}[{i}]", module) for i in range(len(value))]
    if origin in (dict, typing.Dict) or origin is UntypedStripeObject or tp is UntypedStripeObject:  # noqa: UP006
        if not isinstance(value, dict):
            raise ParamError(param, f"Invalid object: {param}")
        value_type = args[1] if len(args) == 2 else (args[0] if args else str)
        return {key: validate(item, value_type, f"{param}[{key}]", module) for key, item in value.items()}
    if _is_typeddict(tp):
        if not isinstance(value, dict):
            raise ParamError(param, f"Invalid object: {param}")
        return validate_object(value, tp, prefix=param)
    if tp is str:
        if not isinstance(value, str):
            raise ParamError(param, f"Invalid string: {param}")
        return value
    if tp is bool:
        if value not in ("true", "false"):
            raise ParamError(param, f"Invalid boolean: {value!r} for {param}")
        return value == "true"
    if tp is int:
        if not isinstance(value, str) or not re.fullmatch(r"-?\d+", value):
            raise ParamError(param, f"Invalid integer: {value!r} for {param}")
        return int(value)
    if tp in (float, Decimal):
        try:
            return Decimal(value)
        except (InvalidOperation, TypeError) as exc:
            raise ParamError(param, f"Invalid decimal: {value!r} for {param}") from exc
    if tp is Any:
        return value
    raise ParamError(param, f"Unsupported parameter type {tp!r} for {param}")


def validate_object(params: dict, cls, prefix: str = "") -> dict:
    fields, required = _typeddict_fields(cls)
    result = {}
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else key
        if key not in fields:
            raise ParamError(name, f"Received unknown parameter: {name}")
        result[key] = validate(value, fields[key], name, cls.__module__)
    for key in sorted(required - params.keys()):
        name = f"{prefix}[{key}]" if prefix else key
        raise ParamError(name, f"Missing required param: {name}.")
    return result


# --- The server -----------------------------------------------------------------------------------------


@dataclass
class Recorded:
    method: str
    path: str
    params: dict
    idempotency_key: str | None
    stripe_account: str | None
    headers: dict[str, str]
    status: int = 0


@dataclass
class Route:
    method: str
    pattern: re.Pattern
    params_type: Any
    responder: Callable[["StripeServer", Recorded, re.Match], tuple[int, dict]]


@dataclass
class Fault:
    pattern: re.Pattern | None
    status: int = 500
    hang_seconds: float = 0.0
    remaining: int = 1


def stripe_error(status: int, message: str, *, kind="invalid_request_error", param=None, code=None):
    error = {"type": kind, "message": message}
    if param:
        error["param"] = param
    if code:
        error["code"] = code
    return status, {"error": error}


@dataclass
class StripeServer:
    requests: list[Recorded] = field(default_factory=list)
    sessions: dict[str, dict] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    objects: dict[str, dict] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._idempotent: dict[tuple[str | None, str], tuple[str, str, dict, int, dict]] = {}
        self._release = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._add_default_routes()

    # lifecycle
    def start(self) -> "StripeServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

            def do_DELETE(self):
                server._handle(self, "DELETE")

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._httpd:
            self._httpd.shutdown()
            self._httpd.server_close()

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    # configuration
    def new_id(self, prefix: str) -> str:
        return f"{prefix}_test_{next(self._ids):06d}"

    def route(self, method: str, pattern: str, params_type, responder) -> None:
        """Add (or, for the same method and pattern, replace) an endpoint."""
        compiled = re.compile(pattern + r"\Z")
        self.routes = [
            r for r in self.routes if not (r.method == method and r.pattern.pattern == compiled.pattern)
        ]
        self.routes.insert(0, Route(method, compiled, params_type, responder))

    def fail_next(self, status: int = 500, *, path: str | None = None, times: int = 1) -> None:
        """The next `times` requests (to paths matching `path`) get this error status, and nothing is done."""
        self.faults.append(Fault(re.compile(path) if path else None, status=status, remaining=times))

    def hang_next(self, seconds: float = 5.0, *, path: str | None = None, times: int = 1) -> None:
        """The next `times` requests wait `seconds` before an error answer (the client times out first)."""
        self.faults.append(
            Fault(re.compile(path) if path else None, status=500, hang_seconds=seconds, remaining=times)
        )

    def calls(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        return [
            r
            for r in self.requests
            if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))
        ]

    # test helpers for Checkout
    def stripe_fee(self, amount: int) -> int:
        """Stripe's processing fee on a charge of `amount` (Stripe units): 2.9 % + 30, rounded half up."""
        return (amount * 29 + 500) // 1000 + 30

    def complete_session(self, session_id: str, *, payment_status: str = "paid") -> dict:
        """What Stripe's hosted page does when the customer pays: the session completes; a paid one gets its
        PaymentIntent, charge and balance transaction (with Stripe's fee, `stripe_fee`)."""
        with self._lock:
            session = self.sessions[session_id]
            session["status"] = "complete"
            session["payment_status"] = payment_status
            session["payment_intent"] = session.get("payment_intent") or self.new_id("pi")
            if payment_status == "paid":
                self._charge(session)
            return json.loads(json.dumps(session))

    def _charge(self, session: dict) -> None:
        intent_id, amount, currency = session["payment_intent"], session["amount_total"], session["currency"]
        fee = self.stripe_fee(amount)
        balance_transaction = {
            "id": self.new_id("txn"),
            "object": "balance_transaction",
            "amount": amount,
            "currency": currency,
            "fee": fee,
            "fee_details": [{"amount": fee, "currency": currency, "type": "stripe_fee"}],
            "net": amount - fee,
            "type": "charge",
        }
        charge = {
            "id": self.new_id("ch"),
            "object": "charge",
            "amount": amount,
            "currency": currency,
            "payment_intent": intent_id,
            "balance_transaction": balance_transaction["id"],
        }
        self.objects[balance_transaction["id"]] = balance_transaction
        self.objects[charge["id"]] = charge
        self.objects[intent_id] = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "currency": currency,
            "status": "succeeded",
            "latest_charge": charge["id"],
            "metadata": session.get("metadata", {}),
        }

    def set_session(self, session_id: str, **changes) -> dict:
        with self._lock:
            self.sessions[session_id].update(changes)
            return json.loads(json.dumps(self.sessions[session_id]))

    def add_event(self, event: dict) -> None:
        """Make an event visible to GET /v1/events (for its account, if it has one)."""
        with self._lock:
            self.events.append(event)

    # request handling
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        pairs = parse_qsl(split.query if method == "GET" else body, keep_blank_values=True)
        recorded = Recorded(
            method=method,
            path=split.path,
            params={},
            idempotency_key=handler.headers.get("Idempotency-Key"),
            stripe_account=handler.headers.get("Stripe-Account"),
            headers={key: value for key, value in handler.headers.items()},
        )
        status, payload = self._answer(recorded, pairs)
        recorded.status = status
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{next(self._ids):06d}")
        if recorded.idempotency_key:
            handler.send_header("Idempotency-Key", recorded.idempotency_key)
        handler.end_headers()
        try:
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _answer(self, recorded: Recorded, pairs) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(recorded)
            if not recorded.headers.get("Authorization", "").startswith("Bearer sk_test_"):
                return stripe_error(401, "Invalid API Key provided.")
            fault = next(
                (
                    f
                    for f in self.faults
                    if f.remaining and (f.pattern is None or f.pattern.search(recorded.path))
                ),
                None,
            )
            if fault:
                fault.remaining -= 1
        if fault:
            if fault.hang_seconds:
                self._release.wait(fault.hang_seconds)
            return stripe_error(
                fault.status, "An error occurred with our connection to Stripe.", kind="api_error"
            )
        for route in self.routes:
            match = route.pattern.match(recorded.path)
            if route.method == recorded.method and match:
                break
        else:
            return stripe_error(404, f"Unrecognized request URL ({recorded.method}: {recorded.path}).")
        try:
            recorded.params = decode_params(pairs)
            if route.params_type is not None:
                recorded.params = validate_object(recorded.params, route.params_type)
        except ParamError as exc:
            return stripe_error(400, exc.message, param=exc.param, code="parameter_unknown")
        key = recorded.idempotency_key
        if key and recorded.method == "POST":
            with self._lock:
                saved = self._idempotent.get((recorded.stripe_account, key))
            if saved:
                method, path, params, status, payload = saved
                if (method, path, params) != (recorded.method, recorded.path, recorded.params):
                    return stripe_error(
                        400,
                        "Keys for idempotent requests can only be used with the same parameters they were "
                        "first used with.",
                        kind="idempotency_error",
                    )
                return status, payload
        with self._lock:
            status, payload = route.responder(self, recorded, match)
            if key and recorded.method == "POST":
                self._idempotent[(recorded.stripe_account, key)] = (
                    recorded.method,
                    recorded.path,
                    recorded.params,
                    status,
                    payload,
                )
        return status, payload

    # default routes: Checkout Sessions and the event list
    def _add_default_routes(self) -> None:
        self.route("POST", r"/v1/checkout/sessions", SessionCreateParams, _session_create)
        self.route("GET", r"/v1/checkout/sessions/(?P<id>[\w]+)", SessionRetrieveParams, _session_retrieve)
        self.route(
            "POST", r"/v1/checkout/sessions/(?P<id>[\w]+)/expire", SessionExpireParams, _session_expire
        )
        self.route("GET", r"/v1/events", EventListParams, _event_list)
        self.route(
            "GET", r"/v1/payment_intents/(?P<id>[\w]+)", PaymentIntentRetrieveParams, _payment_intent_retrieve
        )


def _session_create(server: StripeServer, request: Recorded, match) -> tuple[int, dict]:
    params = request.params
    if params.get("mode") != "payment":
        return stripe_error(400, "This test server only supports mode=payment.", param="mode")
    items = params.get("line_items") or []
    if not items:
        return stripe_error(400, "line_items is required in payment mode.", param="line_items")
    currencies = set()
    total = 0
    for index, item in enumerate(items):
        data = item.get("price_data")
        if not data or "unit_amount" not in data:
            return stripe_error(400, "price_data[unit_amount] is required.", param=f"line_items[{index}]")
        currencies.add(data["currency"])
        total += data["unit_amount"] * item.get("quantity", 1)
    if len(currencies) != 1:
        return stripe_error(400, "All line items must have the same currency.", param="line_items")
    session_id = server.new_id("cs")
    now = int(time.time())
    expires_at = params.get("expires_at", now + 24 * 3600)
    if not now + 30 * 60 <= expires_at <= now + 24 * 3600:
        return stripe_error(
            400, "expires_at must be between 30 minutes and 24 hours from now.", param="expires_at"
        )
    session = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "client_reference_id": params.get("client_reference_id"),
        "created": now,
        "currency": currencies.pop(),
        "customer_email": params.get("customer_email"),
        "expires_at": expires_at,
        "livemode": False,
        "locale": params.get("locale"),
        "metadata": params.get("metadata", {}),
        "mode": "payment",
        "payment_intent": None,
        "payment_status": "unpaid",
        "status": "open",
        "success_url": params.get("success_url"),
        "cancel_url": params.get("cancel_url"),
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        "payment_intent_data": params.get("payment_intent_data", {}),
    }
    server.sessions[session_id] = session
    return 200, session


def _session_retrieve(server: StripeServer, request: Recorded, match) -> tuple[int, dict]:
    session = server.sessions.get(match["id"])
    if session is None:
        return stripe_error(
            404, f"No such checkout.session: '{match['id']}'", param="session", code="resource_missing"
        )
    return 200, session


def _expanded(server: StripeServer, obj: dict, paths: list[str]) -> dict:
    """`obj` with the ids named by `expand` paths ("latest_charge.balance_transaction") as objects."""
    result = json.loads(json.dumps(obj))
    for path in paths:
        node = result
        for name in path.split("."):
            value = node.get(name)
            if isinstance(value, str) and value in server.objects:
                node[name] = json.loads(json.dumps(server.objects[value]))
            if not isinstance(node.get(name), dict):
                break
            node = node[name]
    return result


def _payment_intent_retrieve(server: StripeServer, request: Recorded, match) -> tuple[int, dict]:
    intent = server.objects.get(match["id"])
    if intent is None:
        return stripe_error(
            404, f"No such payment_intent: '{match['id']}'", param="intent", code="resource_missing"
        )
    return 200, _expanded(server, intent, request.params.get("expand", []))


def _session_expire(server: StripeServer, request: Recorded, match) -> tuple[int, dict]:
    session = server.sessions.get(match["id"])
    if session is None:
        return stripe_error(
            404, f"No such checkout.session: '{match['id']}'", param="session", code="resource_missing"
        )
    if session["status"] != "open":
        return stripe_error(
            400, "Only Checkout Sessions with a status of open can be expired.", param="session"
        )
    session["status"] = "expired"
    return 200, session


def _event_list(server: StripeServer, request: Recorded, match) -> tuple[int, dict]:
    params = request.params
    events = [e for e in server.events if (e.get("account") or None) == request.stripe_account]
    created = params.get("created")
    if isinstance(created, dict):
        for op, test in (("gt", int.__gt__), ("gte", int.__ge__), ("lt", int.__lt__), ("lte", int.__le__)):
            if op in created:
                events = [e for e in events if test(e["created"], created[op])]
    elif isinstance(created, int):
        events = [e for e in events if e["created"] == created]
    if "type" in params:
        events = [e for e in events if e["type"] == params["type"]]
    events.sort(key=lambda e: (e["created"], e["id"]), reverse=True)  # newest first, as Stripe lists them
    if "starting_after" in params:
        ids = [e["id"] for e in events]
        if params["starting_after"] not in ids:
            return stripe_error(400, "starting_after is not a known event.", param="starting_after")
        events = events[ids.index(params["starting_after"]) + 1 :]
    limit = params.get("limit", 10)
    page = events[:limit]
    return 200, {"object": "list", "url": "/v1/events", "has_more": len(events) > limit, "data": page}
