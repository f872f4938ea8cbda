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
import html
import json
import re
import secrets
import threading
import time
from email import message_from_bytes
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

LIMIT = 500
URL_LENGTH = 23
MAX_MEDIA = 4
MAX_DESCRIPTION = 1500
VISIBILITIES = ("public", "unlisted", "private", "direct")
URL_RE = re.compile(r"https?://[^\s<>\"']+")
MENTION_RE = re.compile(r"(?<![\w@])@([\w.]+)@[\w.-]+\.\w+")
SCOPE_PARENTS = {"read:accounts": "read", "read:statuses": "read",
                 "write:statuses": "write", "write:media": "write"}
INVALID_TOKEN = "The access token is invalid"


def status_length(text):
    """The length Mastodon counts: a URL as 23, a remote mention without its domain."""
    text = URL_RE.sub("x" * URL_LENGTH, text)
    return len(MENTION_RE.sub(lambda m: "@" + m.group(1), text))


def render(text):
    """Status HTML roughly as Mastodon formats it: paragraphs, line breaks, links with
    hidden parts, remote mentions shown by username."""
    def link(match):
        url = match.group(0)
        scheme, rest = url.split("://", 1)
        return (f'<a href="{html.escape(url)}" rel="nofollow noopener" target="_blank">'
                f'<span class="invisible">{scheme}://</span><span class="ellipsis">'
                f'{html.escape(rest[:30])}</span><span class="invisible">'
                f'{html.escape(rest[30:])}</span></a>')

    def paragraph(block):
        escaped = URL_RE.sub(link, html.escape(block, quote=False))
        escaped = MENTION_RE.sub(lambda m: f'<span class="h-card"><a href="#">@<span>'
                                           f'{m.group(1)}</span></a></span>', escaped)
        return "<p>" + escaped.replace("\n", "<br />") + "</p>"

    return "".join(paragraph(b) for b in re.split(r"\n{2,}", text.strip()) if b)


class Mastodon:
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
    def start(self):
        instance = self

        class Handler(_Handler):
            mastodon = instance

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

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


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that went away (a timeout, a killed worker) is part of the test


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


def one(fields, name, default=None):
    values = fields.get(name) or [default]
    return values[0]


# --- apps and OAuth ------------------------------------------------------------------------
def register_app(handler, fields):
    uris = fields.get("redirect_uris") or fields.get("redirect_uris[]") or []
    uris = [u for value in uris for u in str(value).split()]
    if not one(fields, "client_name"):
        return handler.error(422, "Validation failed: Application name can't be blank")
    if not uris or any(not urlsplit(u).scheme or not urlsplit(u).netloc for u in uris):
        return handler.error(422, "Validation failed: Redirect URI must be an absolute URI.")
    app = {"id": handler.mastodon.new_id(), "name": one(fields, "client_name"),
           "website": one(fields, "website"), "redirect_uris": uris,
           "scopes": (one(fields, "scopes") or "read").split(),
           "client_id": secrets.token_urlsafe(24), "client_secret": secrets.token_urlsafe(24)}
    with handler.mastodon.lock:
        handler.mastodon.apps[app["client_id"]] = app
    return handler.send_json(200, {**app, "redirect_uri": "\n".join(uris),
                                   "client_secret_expires_at": 0})


def authorize(handler, query):
    """The sign-in page: here it allows (or denies) at once and redirects back."""
    app = handler.mastodon.apps.get(one(query, "client_id"))
    redirect_uri = one(query, "redirect_uri")
    scopes = (one(query, "scope") or "read").split()
    if app is None or one(query, "response_type") != "code":
        return handler.error(400, "invalid_client")
    if redirect_uri not in app["redirect_uris"] or not set(scopes) <= set(app["scopes"]):
        return handler.error(400, "invalid_request")
    back = {"state": one(query, "state")} if one(query, "state") else {}
    if handler.mastodon.deny_next:
        handler.mastodon.deny_next = False
        back.update(error="access_denied", error_description="The resource owner or "
                    "authorization server denied the request.")
    else:
        code = secrets.token_urlsafe(24)
        account = handler.mastodon.account(handler.mastodon.login_as)
        with handler.mastodon.lock:
            handler.mastodon.codes[code] = {"client_id": app["client_id"],
                                            "redirect_uri": redirect_uri,
                                            "scopes": scopes, "account": account}
        back["code"] = code
    return handler.redirect(f"{redirect_uri}?{urlencode(back)}")


def token(handler, fields):
    app = handler.mastodon.apps.get(one(fields, "client_id"))
    if app is None or app["client_secret"] != one(fields, "client_secret"):
        return handler.error(401, "invalid_client", error_description=(
            "Client authentication failed due to unknown client, no client authentication "
            "included, or unsupported authentication method."))
    with handler.mastodon.lock:
        grant = handler.mastodon.codes.pop(one(fields, "code"), None)
    if one(fields, "grant_type") != "authorization_code" or grant is None \
            or grant["client_id"] != app["client_id"] \
            or grant["redirect_uri"] != one(fields, "redirect_uri"):
        return handler.error(400, "invalid_grant", error_description=(
            "The provided authorization grant is invalid, expired, revoked, does not match "
            "the redirection URI used in the authorization request, or was issued to "
            "another client."))
    value = secrets.token_urlsafe(32)
    with handler.mastodon.lock:
        handler.mastodon.tokens[value] = {"account": grant["account"],
                                          "scopes": grant["scopes"], "revoked": False}
    return handler.send_json(200, {"access_token": value, "token_type": "Bearer",
                                   "scope": " ".join(grant["scopes"]),
                                   "created_at": int(time.time())})


# --- accounts and media --------------------------------------------------------------------
def account_statuses(handler, account_id, query):
    grant = handler.grant("read:statuses")
    if grant is None:
        return None
    limit = min(int(one(query, "limit", "20")), 40)
    rows = [s for s in reversed(handler.mastodon.posted())
            if s["account"]["id"] == account_id]
    return handler.send_json(200, [public_status(s) for s in rows[:limit]])


def upload_media(handler, fields):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    upload = one(fields, "file")
    if not isinstance(upload, dict) or not upload["type"].startswith("image/") \
            or not upload["data"]:
        return handler.error(422, "Validation failed: File content type is invalid, "
                                  "File is invalid")
    description = one(fields, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        return handler.error(422, "Validation failed: Description is too long (maximum is "
                                  f"{MAX_DESCRIPTION} characters)")
    media = {"id": handler.mastodon.new_id(), "type": "image", "url": None,
             "preview_url": f"{handler.mastodon.url}/media/small.jpg",
             "description": description, "account_id": grant["account"]["id"],
             "polls_left": handler.mastodon.processing_polls, "bytes": len(upload["data"]),
             "status_id": None}
    with handler.mastodon.lock:
        handler.mastodon.media[media["id"]] = media
    return handler.send_json(202, public_media(media))


def public_status(status):
    """A status as the API shows it (its source text is kept here for the tests only)."""
    return {k: v for k, v in status.items() if k != "text"}


def public_media(media):
    return {k: v for k, v in media.items()
            if k in ("id", "type", "url", "preview_url", "description")}


def owned_media(handler, media_id, grant):
    media = handler.mastodon.media.get(media_id)
    return media if media and media["account_id"] == grant["account"]["id"] else None


def get_media(handler, media_id):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    media = owned_media(handler, media_id, grant)
    if media is None:
        return handler.error(404, "Record not found")
    with handler.mastodon.lock:
        if media["polls_left"] > 0:
            media["polls_left"] -= 1
            return handler.send_json(206, public_media(media))
        media["url"] = f"{handler.mastodon.url}/media/{media_id}.jpg"
    return handler.send_json(200, public_media(media))


def update_media(handler, media_id, fields):
    grant = handler.grant("write:media")
    if grant is None:
        return None
    media = owned_media(handler, media_id, grant)
    if media is None:
        return handler.error(404, "Record not found")
    description = one(fields, "description") or ""
    if len(description) > MAX_DESCRIPTION:
        return handler.error(422, "Validation failed: Description is too long")
    media["description"] = description
    return handler.send_json(200, public_media(media))


# --- statuses ------------------------------------------------------------------------------
def check_status(handler, fields, grant):
    """The refusal (status, message) of a new status, or None when Mastodon takes it."""
    text = one(fields, "status") or ""
    media_ids = fields.get("media_ids[]") or fields.get("media_ids") or []
    if not text.strip() and not media_ids:
        return 422, "Validation failed: Text can't be blank"
    if status_length(text) > handler.mastodon.limit:
        return 422, ("Validation failed: Text character limit of "
                     f"{handler.mastodon.limit} exceeded")
    if len(media_ids) > MAX_MEDIA:
        return 422, f"Cannot attach more than {MAX_MEDIA} files"
    for media_id in media_ids:
        media = owned_media(handler, str(media_id), grant)
        if media is None or media["status_id"] is not None:
            return 422, "Validation failed: Media attachments are invalid"
        if media["url"] is None:
            return 422, ("Cannot attach files that have not finished processing. Try again "
                         "in a moment!")
    reply_to = one(fields, "in_reply_to_id")
    if reply_to and reply_to not in handler.mastodon.statuses:
        return 404, "Record not found"
    if (one(fields, "visibility") or "public") not in VISIBILITIES:
        return 422, "Validation failed: Visibility is not included in the list"
    return None


def post_status(handler, fields, after):
    grant = handler.grant("write:statuses")
    if grant is None:
        return None
    account = grant["account"]
    key = handler.headers.get("Idempotency-Key")
    with handler.mastodon.lock:
        known = handler.mastodon.idempotency.get((account["id"], key)) if key else None
    if known is not None:
        return handler.finish_with(after, 200, handler.mastodon.statuses[known])
    refusal = check_status(handler, fields, grant)
    if refusal is not None:
        return handler.error(*refusal)
    time.sleep(handler.mastodon.delay / 2)
    status_id = handler.mastodon.new_id()
    text = one(fields, "status") or ""
    media_ids = [str(m) for m in fields.get("media_ids[]") or fields.get("media_ids") or []]
    status = {
        "id": status_id, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
        "in_reply_to_id": one(fields, "in_reply_to_id"), "account": account,
        "sensitive": one(fields, "sensitive") in ("true", "1", True),
        "spoiler_text": one(fields, "spoiler_text") or "",
        "visibility": one(fields, "visibility") or "public",
        "language": one(fields, "language"), "content": render(text),
        "url": f"{account['url']}/{status_id}",
        "media_attachments": [public_media(handler.mastodon.media[m]) for m in media_ids],
        "text": text,
    }
    with handler.mastodon.lock:
        for media_id in media_ids:
            handler.mastodon.media[media_id]["status_id"] = status_id
        handler.mastodon.statuses[status_id] = status
        handler.mastodon.creates.append((account["id"], key))
        if key:
            handler.mastodon.idempotency[(account["id"], key)] = status_id
    time.sleep(handler.mastodon.delay / 2)
    return handler.finish_with(after, 200, status)
