"""A small local stand-in for api.stripe.com, for the few endpoints we call.

Stripe's own Python client is pointed at it (settings.STRIPE_API_BASE), so the tests exercise the real
client: form encoding, idempotency keys, error parsing. stripe-mock cannot be built here (DESIGN.md).

    POST /v1/payment_intents              create (status requires_payment_method)
    GET  /v1/payment_intents/<id>         retrieve
    POST /v1/payment_intents/<id>/cancel  cancel (400 once succeeded, as Stripe does)
    POST /v1/refunds                      refund part or all of a succeeded PaymentIntent

`FakeStripe.succeed(pi_id)` plays the customer paying in the Payment Element. Requests are recorded
in `requests` (method, path, params, headers) for the tests to read. Idempotency keys replay the
first response, as Stripe does for 24 hours.
"""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def _unflatten(pairs: list[tuple[str, str]]) -> dict:
    """metadata[order]=1 -> {"metadata": {"order": "1"}} (Stripe's form encoding, one level is enough)."""
    result: dict = {}
    for key, value in pairs:
        if "[" in key:
            outer, inner = key.split("[", 1)
            result.setdefault(outer, {})[inner.rstrip("]")] = value
        else:
            result[key] = value
    return result


class FakeStripe:
    def __init__(self):
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.idempotent: dict[str, tuple[int, dict]] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # What the customer's browser would do at Stripe ------------------------------------------
    def succeed(self, intent_id: str) -> dict:
        with self.lock:
            intent = self.intents[intent_id]
            intent["status"] = "succeeded"
            intent["amount_received"] = intent["amount"]
            intent["latest_charge"] = f"ch_{intent_id[3:]}"
            return dict(intent)

    def fail(self, intent_id: str, message: str = "Your card was declined.") -> dict:
        with self.lock:
            intent = self.intents[intent_id]
            intent["status"] = "requires_payment_method"
            intent["last_payment_error"] = {"code": "card_declined", "message": message}
            return dict(intent)

    def requests_to(self, method: str, path_prefix: str) -> list[dict]:
        return [r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)]

    # HTTP ------------------------------------------------------------------------------------
    def _handle(self, method: str, path: str, params: dict, headers: dict) -> tuple[int, dict]:
        if not headers.get("authorization", "").startswith("Bearer sk_"):
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}}
        parts = path.strip("/").split("/")
        with self.lock:
            if method == "POST" and parts == ["v1", "payment_intents"]:
                intent_id = f"pi_{secrets.token_hex(8)}"
                intent = {
                    "id": intent_id,
                    "object": "payment_intent",
                    "amount": int(params["amount"]),
                    "amount_received": 0,
                    "currency": params["currency"],
                    "status": "requires_payment_method",
                    "client_secret": f"{intent_id}_secret_{secrets.token_hex(6)}",
                    "metadata": params.get("metadata", {}),
                    "description": params.get("description"),
                    "livemode": False,
                }
                self.intents[intent_id] = intent
                return 200, dict(intent)
            if len(parts) >= 3 and parts[:2] == ["v1", "payment_intents"]:
                intent = self.intents.get(parts[2])
                if intent is None:
                    return 404, {"error": {"type": "invalid_request_error", "message": "No such payment_intent"}}
                if method == "GET" and len(parts) == 3:
                    return 200, dict(intent)
                if method == "POST" and parts[3:] == ["cancel"]:
                    if intent["status"] == "succeeded":
                        return 400, {
                            "error": {
                                "type": "invalid_request_error",
                                "code": "payment_intent_unexpected_state",
                                "message": "You cannot cancel this PaymentIntent because it has a status of succeeded.",
                            }
                        }
                    intent["status"] = "canceled"
                    return 200, dict(intent)
            if method == "POST" and parts == ["v1", "refunds"]:
                intent = self.intents.get(params.get("payment_intent", ""))
                if intent is None or intent["status"] != "succeeded":
                    return 400, {"error": {"type": "invalid_request_error", "message": "Nothing to refund"}}
                amount = int(params.get("amount", intent["amount"]))
                refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent["id"])
                if amount > intent["amount"] - refunded:
                    return 400, {
                        "error": {
                            "type": "invalid_request_error",
                            "code": "amount_too_large",
                            "message": "Refund amount is greater than unrefunded amount",
                        }
                    }
                refund = {
                    "id": f"re_{secrets.token_hex(8)}",
                    "object": "refund",
                    "amount": amount,
                    "currency": intent["currency"],
                    "payment_intent": intent["id"],
                    "status": "succeeded",
                    "metadata": params.get("metadata", {}),
                }
                self.refunds[refund["id"]] = refund
                return 200, dict(refund)
        return 404, {"error": {"type": "invalid_request_error", "message": f"Unrecognized request URL ({path})"}}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _respond(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                path, _, query = self.path.partition("?")
                params = _unflatten(parse_qsl(body or query, keep_blank_values=True))
                headers = {k.lower(): v for k, v in self.headers.items()}
                key = headers.get("idempotency-key")
                fake.requests.append({"method": method, "path": path, "params": params, "headers": headers})
                if key and key in fake.idempotent:
                    status, payload = fake.idempotent[key]
                else:
                    status, payload = fake._handle(method, path, params, headers)
                    if key and method == "POST":
                        fake.idempotent[key] = (status, payload)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{secrets.token_hex(6)}")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._respond("GET")

            def do_POST(self):
                self._respond("POST")

            def log_message(self, format, *args):  # quiet test output
                pass

        return Handler
