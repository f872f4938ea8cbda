"""A local HTTP server speaking the parts of Meta's Graph API and Threads API the channels
use, as documented on developers.facebook.com:
- Pages API: POST /{page-id}/feed (message, link), POST /{page-id}/photos (source, caption),
  GET /{page-id}/feed (fields, since, limit), GET /{page-id}?fields=name;
- Instagram content publishing: POST /{ig-user-id}/media (image_url, caption of at most
  2,200 characters, alt_text) makes a container IN_PROGRESS that is FINISHED after a status
  check; GET /{container-id}?fields=status_code; POST /{ig-user-id}/media_publish
  (creation_id); GET /{ig-user-id}/media; GET /{ig-user-id}?fields=username;
- Threads API: POST /{threads-user-id}/threads (media_type TEXT or IMAGE, text of at most 500
  characters, image_url, reply_to_id), GET /{container-id}?fields=status,
  POST /{threads-user-id}/threads_publish, GET /{threads-user-id}/threads and /replies,
  GET /me?fields=username.
Every path starts with a version (/v21.0/, /v1.0/); the token comes as a Bearer header or an
access_token parameter. Errors are Meta's error object ({"error": {"message", "type", "code",
"error_subcode", "fbtrace_id"}}), code 190 for a revoked token. An image_url is really
fetched (through `fetch`, the app under test) and must be a JPEG.

Tests script failures for the next creating requests (a status and an error object, Meta's
rate-limit codes, a connection dropped after the post was stored, a delay)."""
import json
import re
import threading
import time
from datetime import UTC, datetime, timedelta
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

from commsdesk.kinds import PLATFORMS, platform_length

PAGE_ID = "104000000000001"
IG_USER = "17841400000000001"
THREADS_USER = "26000000000001"
TOKENS = {"page-token": PAGE_ID, "ig-token": IG_USER, "threads-token": THREADS_USER}
VERSION_RE = re.compile(r"^/v\d+\.\d+(/.*)$")
CREATING = ("feed", "photos", "media", "media_publish", "threads", "threads_publish")


def error(message, code, kind="OAuthException", subcode=None, status=400):
    body = {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf123"}
    if subcode is not None:
        body["error_subcode"] = subcode
    return status, {"error": body}


def stamp(when):
    return when.strftime("%Y-%m-%dT%H:%M:%S+0000")


class Meta(LocalServer):
    """The server's state and the scripted failures; thread-safe."""

    def __init__(self, fetch=None):
        self.fetch = fetch  # url -> (status, content type, bytes)
        self.lock = threading.Lock()
        self.revoked = set()
        self.objects = {}  # id -> dict with "kind": post | photo | ig_container | ig_media...
        self.creates = []  # (edge, id) of every stored creation, in order
        self.fetched = []
        self.failures = []  # (edge or None, status, body, headers)
        self.drop_after_store = {}  # edge -> how many store, then cut the line
        self.drop_nth = {}  # edge -> the ordinals (1-based) of creations whose line is cut
        self.delay = {}  # edge -> seconds a creating request takes
        self.in_progress_checks = 1  # status checks a container answers IN_PROGRESS
        self.next_id = 900000
        self.server = None

    # --- running ---------------------------------------------------------------------------
    STATE = "state"

    def handler(self):
        return _Handler

    # --- what tests look at and script -----------------------------------------------------
    def of(self, kind):
        with self.lock:
            return [o for o in self.objects.values() if o["kind"] == kind]

    def fail_next(self, status=500, body=None, headers=None, on=None, times=1):
        body = body or {"error": {"message": "An unknown error has occurred.",
                                  "type": "OAuthException", "code": 1}}
        with self.lock:
            self.failures.extend([(on, status, body, headers or {})] * times)

    def rate_limit_next(self, on=None, code=4):
        self.fail_next(400, error("(#4) Application request limit reached", code)[1],
                       {"X-App-Usage": json.dumps({"call_count": 100})}, on)

    # --- behaviour -------------------------------------------------------------------------
    def new_id(self):
        self.next_id += 1
        return str(self.next_id)

    def scripted(self, edge):
        with self.lock:
            for index, (on, status, body, headers) in enumerate(self.failures):
                if on in (None, edge):
                    del self.failures[index]
                    return status, body, headers
        return None

    def store(self, edge, obj):
        """Store a created object; returns (object, drop) where drop cuts the line after."""
        with self.lock:
            obj.setdefault("id", self.new_id())
            obj["created"] = datetime.now(UTC)
            obj["permalink"] = permalink(obj)
            self.objects[obj["id"]] = obj
            self.creates.append((edge, obj["id"]))
            drop = self.drop_after_store.get(edge, 0) > 0
            if drop:
                self.drop_after_store[edge] -= 1
            made = sum(1 for e, _id in self.creates if e == edge)
            drop = drop or made in self.drop_nth.get(edge, ())
            return obj, drop

    def image_problem(self, url):
        """Fetch an image_url as Meta does; None if it is a JPEG, else the error."""
        status, content_type, data = self.fetch(url) if self.fetch else (404, "", b"")
        self.fetched.append((url, status))
        if status != 200 or content_type != "image/jpeg" or not data.startswith(b"\xff\xd8"):
            return error("The media could not be fetched from this URI: " + url, 9004,
                         subcode=2207052)
        return None

    def status_of(self, container):
        """A container's status: IN_PROGRESS for its first checks, then FINISHED."""
        with self.lock:
            if container["status"] == "IN_PROGRESS":
                container["checks"] += 1
                if container["checks"] > self.in_progress_checks:
                    container["status"] = "FINISHED"
            return container["status"]

    def listing(self, kind, owner, since, text_field, edge_filter=None):
        since_at = datetime.fromtimestamp(int(since), UTC) if since else None
        rows = [o for o in self.of(kind) if o["owner"] == owner
                and (since_at is None or o["created"] >= since_at - timedelta(seconds=1))
                and (edge_filter is None or edge_filter(o))]
        rows.sort(key=lambda o: o["created"], reverse=True)
        return [{"id": o["id"], text_field: o.get(text_field), "permalink": o["permalink"],
                 "permalink_url": o["permalink"], "created_time": stamp(o["created"]),
                 "timestamp": stamp(o["created"])} for o in rows]




class _Handler(BaseHTTPRequestHandler):
    state = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _params(self):
        """Query and form parameters (urlencoded or multipart, files as bytes)."""
        parts = urlsplit(self.path)
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            message = BytesParser().parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
            for part in message.get_payload():
                name = part.get_param("name", header="content-disposition")
                value = part.get_payload(decode=True)
                params[name] = value if part.get_filename() else value.decode()
        elif body:
            params.update({k: v[0] for k, v in parse_qs(body.decode()).items()})
        return parts.path, params

    def _account(self, params):
        """The account the request's token belongs to, or an error (code 190)."""
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else params.get("access_token")
        if token in self.state.revoked:
            return None, error("Error validating access token: The session has been "
                               "invalidated because the user changed their password or "
                               "Facebook has changed the session for security reasons.",
                               190, subcode=460)
        if token not in TOKENS:
            return None, error("Invalid OAuth access token - Cannot parse access token", 190)
        return TOKENS[token], None

    def _route(self, method):
        path, params = self._params()
        versioned = VERSION_RE.match(path)
        if not versioned:
            return error("Unknown path components: " + path, 2500, subcode=None)
        account, refused = self._account(params)
        if refused:
            return refused
        segments = [s for s in versioned.group(1).split("/") if s]
        if method == "POST":
            return _post(self.state, account, segments, params)
        return _get(self.state, account, segments, params)

    def _handle(self, method):
        result = self._route(method)
        if result is None:  # stored, but the answer never comes
            self.close_connection = True
            return
        status, body, *headers = result
        self._send(status, body, headers[0] if headers else None)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")


def _owner_check(account, owner):
    if account != owner:
        return error("(#200) The user hasn't authorized the application to perform this "
                     "action", 200, kind="OAuthException", status=403)
    return None


def _post(state, account, segments, params):
    if len(segments) != 2 or segments[1] not in CREATING:
        return error("Unsupported post request.", 100, kind="GraphMethodException")
    owner, edge = segments
    refused = _owner_check(account, owner)
    if refused:
        return refused
    if edge in state.delay:
        time.sleep(state.delay[edge])
    scripted = state.scripted(edge)
    if scripted:
        return scripted
    made = CREATE[edge](state, owner, params)
    if made[0] != 200:
        return made
    obj, answer = made[1], made[2]
    stored, drop = state.store(edge, obj)
    return None if drop else (200, answer(stored))


def _feed(state, owner, params):
    if not params.get("message") and not params.get("link"):
        return error("(#100) Missing message or attachment", 100)
    return (200, {"kind": "post", "owner": owner, "message": params.get("message"),
                  "link": params.get("link"), "id": f"{owner}_{state.new_id()}"},
            lambda o: {"id": o["id"]})


def _photos(state, owner, params):
    source = params.get("source")
    if not isinstance(source, bytes) and not params.get("url"):
        return error("(#324) Requires upload file", 324)
    if isinstance(source, bytes) and not source.startswith(b"\xff\xd8"):
        return error("(#324) Missing or invalid image file", 324)
    caption = params.get("caption") or params.get("message")
    return (200, {"kind": "post", "owner": owner, "message": caption, "photo": True,
                  "id": f"{owner}_{state.new_id()}", "photo_id": state.new_id()},
            lambda o: {"id": o["photo_id"], "post_id": o["id"]})


def _ig_media(state, owner, params):
    if not params.get("image_url"):
        return error("The parameter image_url is required.", 100)
    if len(params.get("caption", "")) > 2200:
        return error("The caption is too long (2200 characters at most).", 100,
                     subcode=2207010)
    problem = state.image_problem(params["image_url"])
    if problem:
        return problem
    return (200, {"kind": "ig_container", "owner": owner, "caption": params.get("caption"),
                  "alt_text": params.get("alt_text"), "image_url": params["image_url"],
                  "status": "IN_PROGRESS", "checks": 0}, lambda o: {"id": o["id"]})


def _publish(kind, made_kind):
    def publish(state, owner, params):
        container = state.objects.get(params.get("creation_id") or "")
        if not container or container["kind"] != kind or container["owner"] != owner:
            return error("(#100) Param creation_id is not a valid container", 100)
        if container["status"] != "FINISHED":
            return error("Media ID is not available", 9007, subcode=2207027)
        container["status"] = "PUBLISHED"
        obj = {key: container.get(key) for key in ("owner", "caption", "text", "reply_to_id",
                                                   "image_url", "alt_text")}
        return 200, {"kind": made_kind, **obj}, lambda o: {"id": o["id"]}
    return publish


def _threads(state, owner, params):
    media_type = params.get("media_type")
    if media_type not in ("TEXT", "IMAGE"):
        return error("(#100) Param media_type must be one of {TEXT, IMAGE, VIDEO}", 100)
    text = params.get("text", "")
    if media_type == "TEXT" and not text:
        return error("(#100) Param text is required for TEXT posts", 100)
    if platform_length(PLATFORMS["threads"], text) > 500:
        return error("(#100) Param text must be at most 500 characters long.", 100)
    reply_to = params.get("reply_to_id")
    if reply_to and reply_to not in {o["id"] for o in state.of("thread")}:
        return error("(#100) Param reply_to_id is not a valid post", 100)
    if media_type == "IMAGE":
        problem = state.image_problem(params.get("image_url") or "")
        if problem:
            return problem
    return (200, {"kind": "th_container", "owner": owner, "text": text, "reply_to_id": reply_to,
                  "image_url": params.get("image_url"), "alt_text": params.get("alt_text"),
                  "status": "IN_PROGRESS", "checks": 0}, lambda o: {"id": o["id"]})


CREATE = {"feed": _feed, "photos": _photos, "media": _ig_media,
          "media_publish": _publish("ig_container", "ig_media"), "threads": _threads,
          "threads_publish": _publish("th_container", "thread")}


def _get(state, account, segments, params):
    since = params.get("since")
    if segments == ["me"]:
        return 200, {"id": account, "username": "mittenpartiet"}
    if len(segments) == 2:
        owner, edge = segments
        refused = _owner_check(account, owner)
        if refused:
            return refused
        if edge == "feed":
            return 200, {"data": state.listing("post", owner, since, "message")}
        if edge == "media":
            return 200, {"data": state.listing("ig_media", owner, since, "caption")}
        if edge in ("threads", "replies"):
            replies = edge == "replies"
            return 200, {"data": state.listing(
                "thread", owner, since, "text", lambda o: bool(o["reply_to_id"]) == replies)}
        return error("Unknown edge " + edge, 100)
    if len(segments) == 1:
        return _node(state, account, segments[0])
    return error("Unsupported get request.", 100, kind="GraphMethodException")


def _node(state, account, node):
    if node == PAGE_ID == account:
        return 200, {"id": PAGE_ID, "name": "Mittenpartiet Älvstad"}
    if node == IG_USER == account:
        return 200, {"id": IG_USER, "username": "mittenpartiet"}
    obj = state.objects.get(node)
    if obj is None or obj["owner"] != account:
        return error(f"(#100) Object with ID '{node}' does not exist", 100,
                     kind="GraphMethodException")
    if obj["kind"] == "ig_container":
        return 200, {"id": node, "status_code": state.status_of(obj)}
    if obj["kind"] == "th_container":
        return 200, {"id": node, "status": state.status_of(obj)}
    return 200, {"id": node, "permalink": obj["permalink"], "permalink_url": obj["permalink"]}


def permalink(obj):
    return {"post": f"https://www.facebook.com/{obj['id']}",
            "ig_media": f"https://www.instagram.com/p/{obj['id']}/",
            "thread": f"https://www.threads.net/@mittenpartiet/post/{obj['id']}"}.get(obj["kind"])
