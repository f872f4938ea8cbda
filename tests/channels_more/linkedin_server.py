"""A local server speaking the part of LinkedIn's versioned REST API the channel uses, checked
the way the documentation describes it (learn.microsoft.com/linkedin/marketing/
community-management/shares/posts-api, images-api, little-text-format; shared/
authentication/programmatic-refresh-tokens; shared/api-guide/concepts/error-handling):

- every /rest/ request needs `Authorization: Bearer`, `LinkedIn-Version: YYYYMM` and
  `X-Restli-Protocol-Version: 2.0.0`; a bad token is 401 {"serviceErrorCode": 65600,
  "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token", "status": 401};
- POST /rest/posts checks author, commentary (at most 3000 characters once the little
  format's escapes are read), visibility, distribution, lifecycleState,
  isReshareDisabledByAuthor, and that a media image was uploaded; 201 with x-restli-id;
- POST /rest/images?action=initializeUpload, then PUT of the bytes to the upload URL;
- GET /rest/posts?author=…&q=author, newest first, paged by start and count (shared/
  api-guide/concepts/pagination), GET /rest/organizations/{id};
- POST /oauth/v2/accessToken with grant_type=refresh_token.
Faults for the next create: a status (with Retry-After), a slow answer (a timeout), and a
post stored whose answer is lost (the connection dropped)."""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

ORGANISATION = "2414183"
ACCESS_TOKEN = "AQV-access-1"
REFRESH_TOKEN = "AQX-refresh-1"
CLIENT_ID = "86abcdef"
CLIENT_SECRET = "client-secret-1"
LIMIT = 3000
INVALID_TOKEN = {"serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN",
                 "message": "Invalid access token", "status": 401}
UNESCAPE = re.compile(r"\\(.)", re.S)


def unescape(commentary):
    """The text a reader sees of little-format commentary."""
    return UNESCAPE.sub(r"\1", commentary)


class LinkedIn(LocalServer):
    """State and scripted faults; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {ACCESS_TOKEN}
        self.refresh_tokens = {REFRESH_TOKEN}
        self.send_refresh_token = True  # whether a refresh answer repeats the refresh token
        self.posts = []
        self.images = {}  # urn -> bytes (None until PUT)
        self.uploads = {}  # upload path -> urn
        self.requests = []  # (method, path, headers)
        self.refreshes = 0
        self.failures = []  # (status, headers, body) for the next creates
        self.drop_after_store = 0
        self.slow_after_store = 0.0  # seconds the next create waits after storing
        self.delay = 0.0  # seconds every create takes after storing (a crash test's worker
        # is killed while it waits: the post exists, its answer never arrives)
        self.server = None

    STATE = "li"

    def handler(self):
        return _Handler

    def fail_next(self, status, retry_after=None, body=None):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.append((status, headers, body or {"message": "Internal error",
                                                            "status": status}))

    def revoke(self):
        with self.lock:
            self.tokens.clear()
            self.refresh_tokens.clear()

    def expire_access_token(self):
        with self.lock:
            self.tokens.clear()

    def create(self, body):
        """Check and store a post: (status, headers, body, drop)."""
        problem = _check_post(body, self.images)
        if problem:
            return 422, {}, {"message": problem, "status": 422}, False
        with self.lock:
            if self.failures:
                status, headers, answer = self.failures.pop(0)
                return status, headers, answer, False
            urn = f"urn:li:share:{7000 + len(self.posts)}"
            self.posts.append({"id": urn, "author": body["author"],
                               "commentary": body["commentary"], "content": body.get("content"),
                               "createdAt": int(time.time() * 1000),
                               "lifecycleState": "PUBLISHED", "visibility": "PUBLIC"})
            drop = self.drop_after_store > 0
            self.drop_after_store -= 1 if drop else 0
            slow, self.slow_after_store = self.slow_after_store + self.delay, 0.0
        if slow:
            time.sleep(slow)
        return 201, {"x-restli-id": urn}, None, drop


def _check_post(body, images):
    """What the Posts API would refuse in this body, or None."""
    if body.get("author") != f"urn:li:organization:{ORGANISATION}":
        return "author must be the organization URN"
    commentary = body.get("commentary")
    if not isinstance(commentary, str):
        return "commentary is required"
    if len(unescape(commentary)) > LIMIT:
        return f"commentary is longer than {LIMIT} characters"
    if body.get("visibility") != "PUBLIC" or body.get("lifecycleState") != "PUBLISHED":
        return "visibility PUBLIC and lifecycleState PUBLISHED are required"
    if (body.get("distribution") or {}).get("feedDistribution") != "MAIN_FEED":
        return "distribution.feedDistribution must be MAIN_FEED"
    if not isinstance(body.get("isReshareDisabledByAuthor"), bool):
        return "isReshareDisabledByAuthor must be a boolean"
    content = body.get("content") or {}
    named = [content["media"]["id"]] if "media" in content else \
        [i["id"] for i in (content.get("multiImage") or {}).get("images", [])]
    if "article" in content:
        if not content["article"].get("source") or not content["article"].get("title"):
            return "article needs source and title"
        named += [content["article"]["thumbnail"]] if content["article"].get("thumbnail") else []
    for urn in named:
        if images.get(urn) is None:
            return f"{urn} was not uploaded"
    return None


class _Handler(BaseHTTPRequestHandler):
    li = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _raw(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _refusal(self):
        """Why a /rest/ request is refused (versioned headers, token), or None."""
        if not re.fullmatch(r"\d{6}", self.headers.get("LinkedIn-Version") or ""):
            return 400, {"message": "A version must be present. Please specify a version by "
                                    "adding the LinkedIn-Version header.", "status": 400}
        if self.headers.get("X-Restli-Protocol-Version") != "2.0.0":
            return 400, {"message": "X-Restli-Protocol-Version 2.0.0 is required", "status": 400}
        token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
        if token not in self.li.tokens:
            return 401, INVALID_TOKEN
        return None

    def _record(self):
        self.li.requests.append((self.command, self.path, dict(self.headers)))

    def do_GET(self):
        self._record()
        refused = self._refusal()
        if refused:
            return self._send(*refused)
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        if parts.path == "/rest/posts" and query.get("q") == ["author"]:
            author = query.get("author", [""])[0]
            posts = [p for p in reversed(self.li.posts) if p["author"] == author]
            start, count = int(query.get("start", ["0"])[0]), int(query.get("count", ["10"])[0])
            if count > 100:
                return self._send(400, {"message": "count must be at most 100", "status": 400})
            return self._send(200, {"elements": posts[start:start + count],
                                    "paging": {"start": start, "count": count}})
        if parts.path == f"/rest/organizations/{ORGANISATION}":
            return self._send(200, {"id": int(ORGANISATION), "localizedName": "Mittenpartiet"})
        return self._send(404, {"message": "Not found", "status": 404})

    def do_PUT(self):
        self._record()
        data = self._raw()
        urn = self.li.uploads.get(urlsplit(self.path).path)
        if urn is None:
            return self._send(404, {"message": "No such upload", "status": 404})
        if (self.headers.get("Authorization") or "").removeprefix("Bearer ") not in self.li.tokens:
            return self._send(401, INVALID_TOKEN)
        self.li.images[urn] = data
        return self._send(201)

    def do_POST(self):
        self._record()
        raw = self._raw()
        parts = urlsplit(self.path)
        if parts.path == "/oauth/v2/accessToken":
            return self._token(parse_qs(raw.decode()))
        refused = self._refusal()
        if refused:
            return self._send(*refused)
        body = json.loads(raw or b"{}")
        if parts.path == "/rest/images" and parse_qs(parts.query).get("action") == \
                ["initializeUpload"]:
            return self._initialize(body)
        if parts.path == "/rest/posts":
            status, headers, answer, drop = self.li.create(body)
            if drop:
                self.close_connection = True  # stored, and the answer is lost
                return None
            return self._send(status, answer, headers)
        return self._send(404, {"message": "Not found", "status": 404})

    def _initialize(self, body):
        owner = (body.get("initializeUploadRequest") or {}).get("owner")
        if owner != f"urn:li:organization:{ORGANISATION}":
            return self._send(422, {"message": "owner must be the organization", "status": 422})
        with self.li.lock:
            number = len(self.li.uploads) + 1
            urn, path = f"urn:li:image:C4E{number:05d}", f"/upload/{number}"
            self.li.uploads[path] = urn
            self.li.images[urn] = None
        return self._send(200, {"value": {"uploadUrlExpiresAt": int(time.time() * 1000) + 86400,
                                          "uploadUrl": self.li.url + path, "image": urn}})

    def _token(self, form):
        def one(name):
            return (form.get(name) or [""])[0]

        if one("grant_type") != "refresh_token" or one("client_id") != CLIENT_ID \
                or one("client_secret") != CLIENT_SECRET \
                or one("refresh_token") not in self.li.refresh_tokens:
            return self._send(400, {"error": "invalid_request", "error_description":
                                    "The provided authorization grant or refresh token is "
                                    "invalid, expired or revoked"})
        with self.li.lock:
            self.li.refreshes += 1
            token = f"AQV-access-{self.li.refreshes + 1}"
            self.li.tokens = {token}
        answer = {"access_token": token, "expires_in": 5184000}
        if self.li.send_refresh_token:
            answer.update(refresh_token=one("refresh_token"), refresh_token_expires_in=31536000)
        return self._send(200, answer)
