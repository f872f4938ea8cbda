"""A local Mastodon instance for tests: a threaded HTTP server that checks requests as
Mastodon does (docs.joinmastodon.org: methods/apps, methods/oauth, methods/accounts,
methods/media, methods/statuses, methods/instance, api/rate-limits).

- `POST /api/v1/apps` registers an app (redirect URIs must be absolute).
- `GET /oauth/authorize` stands for the page where the person signs in and allows the app:
  it redirects back to the registered redirect URI with a code and the state (or with
  `error=access_denied` when `deny_next` is set); `POST /oauth/token` exchanges the code
  (once, for the right client, secret and redirect URI) for a Bearer token.
- Every API call needs a token that is not revoked (401 {"error": "The access token is
  invalid"}) and has the scope (403 {"error": "This action is outside the authorized
  scopes"}).
- `POST /api/v2/media` takes a multipart `file` and a `description` of at most 1,500
  characters, answers 202 and is processed after `processing_polls` polls of
  `GET /api/v1/media/:id` (206 until then); `PUT /api/v1/media/:id` changes a description.
- `POST /api/v1/statuses`: at most 500 characters, every URL counted as 23 and a remote
  mention by its username only; at most 4 processed media of the account;
  `in_reply_to_id` must exist; a known visibility; the same Idempotency-Key from the same
  account answers the status it created before instead of a new one.
- Faults for the next requests to a path: a status (5xx, 429 with Retry-After or
  X-RateLimit-Reset), a delay longer than the client waits (the status is created, the
  answer comes late), or "created but the reply was lost" (stored, then the connection is
  dropped)."""
import json
import re
import threading
import time
from email import message_from_bytes
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

from .mastodon_routes import (
    INVALID_TOKEN,
    LIMIT,
    MAX_MEDIA,
    SCOPE_PARENTS,
    URL_LENGTH,
    account_statuses,
    authorize,
    get_media,
    post_status,
    public_status,
    register_app,
    token,
    update_media,
    upload_media,
)


class Mastodon(LocalServer):
    """The instance's state and the scripted faults; thread-safe."""

    def __init__(self, domain_name="social.example"):
        self.lock = threading.Lock()
        self.server = None
        self.apps = {}  # client_id -> app
        self.codes = {}  # code -> grant
        self.tokens = {}  # token -> {"account", "scopes", "revoked"}
        self.accounts = {}  # username -> account
        self.media = {}  # id -> media
        self.statuses = {}  # id -> status
        self.idempotency = {}  # (account id, key) -> status id
        self.creates = []  # (account id, Idempotency-Key) of every status created
        self.requests = []  # (method, path)
        self.faults = []  # (path, kind, value, headers)
        self.login_as = "partiet"  # who signs in on the authorize page
        self.deny_next = False
        self.processing_polls = 1
        self.limit = LIMIT
        self.delay = 0.0  # seconds a status takes: half before it is stored, half after
        self.next_id = 110000000000000000
        self.domain_name = domain_name

    # --- running -------------------------------------------------------------------------
    STATE = "mastodon"

    def handler(self):
        return _Handler

    # --- what tests set and look at ------------------------------------------------------
    def fail_next(self, status, path="/api/v1/statuses", times=1, headers=None):
        with self.lock:
            self.faults.extend([(path, "status", status, headers or {})] * times)

    def delay_next(self, seconds, path="/api/v1/statuses"):
        """The next request is done, but answered only after `seconds`."""
        with self.lock:
            self.faults.append((path, "delay", seconds, {}))

    def drop_next(self, path="/api/v1/statuses", times=1):
        """The next requests are done, then the connection is closed without an answer."""
        with self.lock:
            self.faults.extend([(path, "drop", None, {})] * times)

    def pass_next(self, path="/api/v1/statuses", times=1):
        """The next requests go through as usual (to script a fault on a later one)."""
        with self.lock:
            self.faults.extend([(path, "pass", None, {})] * times)

    def revoke(self, token=None):
        """Revoke one token, or every token."""
        with self.lock:
            for value, grant in self.tokens.items():
                if token in (None, value):
                    grant["revoked"] = True

    def posted(self, username=None):
        """The statuses created, oldest first."""
        with self.lock:
            rows = sorted(self.statuses.values(), key=lambda s: int(s["id"]))
        return [s for s in rows if username in (None, s["account"]["username"])]

    def account(self, username):
        with self.lock:
            if username not in self.accounts:
                self.next_id += 1
                self.accounts[username] = {
                    "id": str(self.next_id), "username": username, "acct": username,
                    "display_name": username.capitalize(), "url": f"{self.url}/@{username}"}
            return self.accounts[username]

    def take_fault(self, path):
        with self.lock:
            for index, fault in enumerate(self.faults):
                if path.startswith(fault[0]):
                    return self.faults.pop(index)
        return None

    def new_id(self):
        with self.lock:
            self.next_id += 1
            return str(self.next_id)




class _Handler(BaseHTTPRequestHandler):
    mastodon = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    # --- plumbing ------------------------------------------------------------------------
    def send_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def error(self, status, message, **extra):
        self.send_json(status, {"error": message, **extra})

    def redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def form(self):
        """The request's parameters as {name: [values]}: urlencoded, multipart or JSON."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            body = json.loads(raw or b"{}")
            return {k: v if isinstance(v, list) else [v] for k, v in body.items()}
        if kind.startswith("multipart/form-data"):
            message = message_from_bytes(
                f"Content-Type: {kind}\r\n\r\n".encode() + raw, policy=HTTP)
            fields = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if part.get_filename() is not None:
                    value = {"filename": part.get_filename(),
                             "type": part.get_content_type(),
                             "data": part.get_payload(decode=True)}
                else:
                    value = part.get_payload(decode=True).decode()
                fields.setdefault(name, []).append(value)
            return fields
        return parse_qs(raw.decode(), keep_blank_values=True)

    def grant(self, scope):
        """The token's grant, or None after answering 401/403."""
        header = self.headers.get("Authorization", "")
        grant = self.mastodon.tokens.get(header.removeprefix("Bearer ").strip())
        if not header.startswith("Bearer ") or grant is None or grant["revoked"]:
            self.error(401, INVALID_TOKEN)
            return None
        if scope not in grant["scopes"] and SCOPE_PARENTS.get(scope) not in grant["scopes"]:
            self.error(403, "This action is outside the authorized scopes")
            return None
        return grant

    def faulted(self, path):
        """Answer a scripted status fault; returns (handled, after) where `after` is a
        delay or drop to apply once the request has been done."""
        fault = self.mastodon.take_fault(path)
        if fault is None:
            return False, None
        _path, kind, value, headers = fault
        if kind == "pass":
            return False, None
        if kind == "status":
            self.send_json(value, {"error": "Scripted failure"}, headers)
            return True, None
        return False, (kind, value)

    def finish_with(self, after, status, body):
        body = public_status(body)
        if after is not None and after[0] == "drop":
            self.close_connection = True  # done, but the answer never comes
            return
        if after is not None and after[0] == "delay":
            time.sleep(after[1])
        self.send_json(status, body)

    # --- routes --------------------------------------------------------------------------
    def do_GET(self):
        parts = urlsplit(self.path)
        self.mastodon.requests.append(("GET", parts.path))
        query = parse_qs(parts.query)
        path = parts.path
        if path == "/oauth/authorize":
            return authorize(self, query)
        if path in ("/api/v1/instance", "/api/v2/instance"):
            return self.send_json(200, {
                "uri": self.mastodon.domain_name, "domain": self.mastodon.domain_name,
                "configuration": {"statuses": {"max_characters": LIMIT,
                                               "max_media_attachments": MAX_MEDIA,
                                               "characters_reserved_per_url": URL_LENGTH}}})
        handled, _after = self.faulted(path)
        if handled:
            return None
        if path == "/api/v1/accounts/verify_credentials":
            grant = self.grant("read:accounts")
            return grant and self.send_json(200, grant["account"])
        match = re.fullmatch(r"/api/v1/accounts/(\d+)/statuses", path)
        if match:
            return account_statuses(self, match.group(1), query)
        match = re.fullmatch(r"/api/v1/media/(\d+)", path)
        if match:
            return get_media(self, match.group(1))
        return self.error(404, "Record not found")

    def do_POST(self):
        path = urlsplit(self.path).path
        self.mastodon.requests.append(("POST", path))
        fields = self.form()
        if path == "/api/v1/apps":
            return register_app(self, fields)
        if path == "/oauth/token":
            return token(self, fields)
        handled, after = self.faulted(path)
        if handled:
            return None
        if path == "/api/v2/media":
            return upload_media(self, fields)
        if path == "/api/v1/statuses":
            return post_status(self, fields, after)
        return self.error(404, "Record not found")

    def do_PUT(self):
        path = urlsplit(self.path).path
        self.mastodon.requests.append(("PUT", path))
        fields = self.form()
        match = re.fullmatch(r"/api/v1/media/(\d+)", path)
        if not match:
            return self.error(404, "Record not found")
        return update_media(self, match.group(1), fields)
