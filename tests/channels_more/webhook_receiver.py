"""A local webhook receiver that checks requests exactly as the Standard Webhooks reference
library does (standard-webhooks/standard-webhooks, libraries/python/standardwebhooks/
webhooks.py, Webhook.verify): the three headers must be there, the timestamp within five
minutes, and one of the space-separated `v1,` signatures must equal the HMAC-SHA256 of
`{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64-decoded `whsec_` secret,
compared in constant time. Deliveries are processed once per webhook-id, as the
specification asks of receivers. Faults: a status for the next requests (410, 429 with
Retry-After, 5xx), or a delivery processed whose answer is lost."""
import base64
import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from math import floor

from local_server import LocalServer


class VerificationError(Exception):
    pass


def verify(secret, body, headers, now=None):
    """The reference verification; returns the parsed body or raises VerificationError."""
    key = base64.b64decode(secret.removeprefix("whsec_") + "==")
    headers = {k.lower(): v for k, v in headers.items()}
    msg_id, signatures, stamp = (headers.get("webhook-id"), headers.get("webhook-signature"),
                                 headers.get("webhook-timestamp"))
    if not (msg_id and signatures and stamp):
        raise VerificationError("Missing required headers")
    try:
        when = datetime.fromtimestamp(float(stamp), tz=UTC)
    except ValueError:
        raise VerificationError("Invalid Signature Headers") from None
    now = now or datetime.now(UTC)
    if not now - timedelta(minutes=5) <= when <= now + timedelta(minutes=5):
        raise VerificationError("Message timestamp too old or too new")
    to_sign = f"{msg_id}.{floor(when.timestamp())}.{body.decode()}".encode()
    expected = hmac.new(key, to_sign, hashlib.sha256).digest()
    for versioned in signatures.split(" "):
        version, signature = versioned.split(",")
        if version == "v1" and hmac.compare_digest(expected, base64.b64decode(signature)):
            return json.loads(body)
    raise VerificationError("No matching signature found")


class Receiver(LocalServer):
    def __init__(self):
        self.secret = None  # set by the test from the page that shows it once
        self.lock = threading.Lock()
        self.requests = []  # (headers, body) of every request
        self.processed = {}  # webhook-id -> event, once each
        self.rejected = []
        self.failures = []  # (status, headers) for the next requests
        self.drop_after_processing = 0
        self.delay = 0.0  # seconds each delivery takes after it was processed
        self.server = None

    STATE = "rx"

    def handler(self):
        return _Handler

    @property
    def url(self):
        return super().url + "/hooks/commsdesk"

    def fail_next(self, status, retry_after=None):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.append((status, headers))

    def ids(self):
        return [h.get("webhook-id") for h, _body in self.requests]


class _Handler(BaseHTTPRequestHandler):
    rx = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k.lower(): v for k, v in self.headers.items()}
        rx = self.rx
        with rx.lock:
            rx.requests.append((headers, body))
            failure = rx.failures.pop(0) if rx.failures else None
        if failure:
            status, extra = failure
            return self._send(status, {"message": f"failing with {status}"}, extra)
        try:
            event = verify(rx.secret or "whsec_", body, headers)
        except VerificationError as exc:
            rx.rejected.append(str(exc))
            return self._send(401, {"message": str(exc)})
        msg_id = headers["webhook-id"]
        with rx.lock:
            rx.processed.setdefault(msg_id, event)
            drop = rx.drop_after_processing > 0
            rx.drop_after_processing -= 1 if drop else 0
        if rx.delay:
            time.sleep(rx.delay)
        if drop:
            self.close_connection = True  # processed, and the answer is lost
            return None
        return self._send(200, {"id": f"evt_{msg_id[:8]}",
                                "url": f"https://intranet.example/news/{msg_id[:8]}"})
