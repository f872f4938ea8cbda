"""A local HTTP server that speaks XRPC as an AT Protocol PDS does, for the parts the
Bluesky channel uses (lexicons from bluesky-social/atproto; errors as packages/pds answers
them): com.atproto.server.createSession and refreshSession (JWT access tokens that can be
forced to expire, rotating refresh tokens), com.atproto.identity.resolveHandle,
com.atproto.repo.uploadBlob (refuses more than 1,000,000 bytes), createRecord (validates
app.bsky.feed.post as its lexicon says; an rkey that exists is a 500, as the PDS's MST
throws "There is already a value at key") and getRecord (400 RecordNotFound).

Tests script failures: a status for the next calls of a method (429 with Retry-After and
RateLimit headers, 5xx), a reply delayed past the client's read timeout, and "created but
the reply was lost" (the record is stored, the connection is cut)."""
import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

from . import lexicon

HANDLE = "partiet.bsky.social"
DID = "did:plc:partiet2026commsdesk"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"
KNOWN = {HANDLE: DID, "anna.bsky.social": "did:plc:anna4example", "kommun.se": "did:web:kommun.se"}
MAX_BLOB = 1_000_000


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Pds(LocalServer):
    """The server's state and the scripted failures; thread-safe."""

    def __init__(self, opaque_tokens=False, access_seconds=7200):
        self.opaque_tokens = opaque_tokens
        self.access_seconds = access_seconds
        self.password = APP_PASSWORD
        self.tokens = {}  # token -> {"kind": access|refresh, "exp": epoch, "valid": bool}
        self.records = {}  # rkey -> {"uri", "cid", "value"}
        self.creates = []  # rkey of every createRecord that stored a record
        self.blobs = {}  # cid -> bytes
        self.calls = []  # nsid of every request
        self.failures = {}  # nsid -> [(status, headers)]
        self.reply_delay = 0.0  # seconds a create waits after storing, before answering
        self.drop_after_store = 0  # this many creates store the record, then cut the line
        self.create_delay = 0.0  # seconds each create takes (crash tests)
        self.lock = threading.Lock()
        self.server = None

    # --- running -------------------------------------------------------------------------
    STATE = "server_state"

    def handler(self):
        return _Handler

    # --- what tests use ------------------------------------------------------------------
    def fail_next(self, nsid, status, retry_after=None, times=1, error=None):
        headers = {}
        if retry_after is not None:
            headers = {"Retry-After": str(retry_after), "RateLimit-Limit": "5000",
                       "RateLimit-Remaining": "0",
                       "RateLimit-Reset": str(int(time.time()) + int(retry_after)),
                       "RateLimit-Policy": "5000;w=3600"}
        with self.lock:
            self.failures.setdefault(nsid, []).extend([(status, headers, error)] * times)

    def expire_access_tokens(self):
        """Every access token handed out so far has expired."""
        with self.lock:
            for token in self.tokens.values():
                if token["kind"] == "access":
                    token["exp"] = time.time() - 1

    def revoke_app_password(self):
        """The account holder deleted the app password: it and its sessions stop working."""
        with self.lock:
            self.password = secrets.token_hex(8)
            for token in self.tokens.values():
                token["valid"] = False

    def posts(self):
        """The stored posts' records in the order they were created."""
        with self.lock:
            return [self.records[rkey]["value"] for rkey in self.creates]

    def count(self, nsid):
        with self.lock:
            return self.calls.count(nsid)

    # --- behaviour -----------------------------------------------------------------------
    def scripted(self, nsid):
        with self.lock:
            queue = self.failures.get(nsid)
            return queue.pop(0) if queue else None

    def session(self):
        with self.lock:
            access, refresh = self._token("access", self.access_seconds), \
                self._token("refresh", 90 * 86400)
        return {"accessJwt": access, "refreshJwt": refresh, "handle": HANDLE, "did": DID,
                "active": True}

    def _token(self, kind, seconds):
        exp = time.time() + seconds
        if self.opaque_tokens:
            token = secrets.token_urlsafe(24)
        else:
            header = _b64(json.dumps({"typ": "at+jwt" if kind == "access" else "refresh+jwt",
                                      "alg": "ES256K"}).encode())
            scope = "com.atproto.access" if kind == "access" else "com.atproto.refresh"
            payload = _b64(json.dumps({"scope": scope, "sub": DID, "aud": "did:web:pds",
                                       "iat": int(time.time()), "exp": int(exp),
                                       "jti": secrets.token_hex(8)}).encode())
            token = f"{header}.{payload}.{_b64(secrets.token_bytes(32))}"
        self.tokens[token] = {"kind": kind, "exp": exp, "valid": True}
        return token

    def check_token(self, header, kind):
        """None if the Authorization header carries a valid token of that kind, else the
        (status, error, message) the PDS answers."""
        if not header or not header.startswith("Bearer "):
            return 401, "AuthMissing", "Authentication Required"
        with self.lock:
            token = self.tokens.get(header[len("Bearer "):])
            if token is None or token["kind"] != kind:
                return 400, "InvalidToken", "Token could not be verified"
            if kind == "refresh" and not token["valid"]:
                return 400, "ExpiredToken", "Token has been revoked"
            if token["exp"] < time.time():
                return 400, "ExpiredToken", "Token has expired"
            if not token["valid"]:
                return 400, "InvalidToken", "Token could not be verified"
        return None

    def rotate(self, header):
        with self.lock:
            self.tokens[header[len("Bearer "):]]["valid"] = False
        return self.session()

    def upload(self, data, content_type):
        cid = "bafkrei" + hashlib.sha256(data).hexdigest()[:52]
        with self.lock:
            self.blobs[cid] = data
        return {"$type": "blob", "ref": {"$link": cid}, "mimeType": content_type,
                "size": len(data)}

    def create(self, body):
        """Validate and store a record: (status, reply, drop)."""
        if self.create_delay:
            time.sleep(self.create_delay)
        with self.lock:
            problem = lexicon.check_create(body, DID, self.records, self.blobs)
            if problem:
                return 400, {"error": "InvalidRequest", "message": problem}, False
            rkey = body["rkey"]
            if rkey in self.records:
                # The MST refuses a second value at a key; the PDS answers it as a 500.
                return 500, {"error": "InternalServerError",
                             "message": "Internal Server Error"}, False
            uri = f"at://{DID}/app.bsky.feed.post/{rkey}"
            cid = "bafyrei" + hashlib.sha256(
                json.dumps(body["record"], sort_keys=True).encode()).hexdigest()[:52]
            self.records[rkey] = {"uri": uri, "cid": cid, "value": body["record"]}
            self.creates.append(rkey)
            drop = self.drop_after_store > 0
            if drop:
                self.drop_after_store -= 1
        return 200, {"uri": uri, "cid": cid, "commit": {"cid": "bafyreicommit", "rev": rkey},
                     "validationStatus": "valid"}, drop




class _Handler(BaseHTTPRequestHandler):
    server_state = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status, error, message, headers=None):
        return self._send(status, {"error": error, "message": message}, headers)

    def _raw(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _route(self, method):
        pds = self.server_state
        parts = urlsplit(self.path)
        nsid = parts.path.removeprefix("/xrpc/")
        pds.calls.append(nsid)
        raw = self._raw() if method == "POST" else b""
        scripted = pds.scripted(nsid)
        if scripted:
            status, headers, error = scripted
            return self._error(status, error or ("RateLimitExceeded" if status == 429
                                                 else "InternalServerError"),
                               "Scripted failure", headers)
        handler = ROUTES.get((method, nsid))
        if handler is None:
            return self._error(501, "MethodNotImplemented", "Method Not Implemented")
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        return handler(self, pds, raw, query)

    def do_GET(self):
        self._route("GET")

    def do_POST(self):
        self._route("POST")

    def _authorised(self, kind="access"):
        refused = self.server_state.check_token(self.headers.get("Authorization"), kind)
        if refused:
            self._error(*refused)
            return False
        return True


def _create_session(handler, pds, raw, query):
    body = json.loads(raw or b"{}")
    if body.get("identifier", "").lower() not in (HANDLE, DID) \
            or body.get("password") != pds.password:
        return handler._error(401, "AuthenticationRequired", "Invalid identifier or password")
    return handler._send(200, pds.session())


def _refresh_session(handler, pds, raw, query):
    if handler._authorised("refresh"):
        return handler._send(200, pds.rotate(handler.headers["Authorization"]))
    return None


def _resolve_handle(handler, pds, raw, query):
    did = KNOWN.get(query.get("handle", "").lower())
    if did is None:
        return handler._error(400, "HandleNotFound", "Unable to resolve handle")
    return handler._send(200, {"did": did})


def _upload_blob(handler, pds, raw, query):
    if not handler._authorised():
        return None
    if len(raw) > MAX_BLOB:
        return handler._error(413, "PayloadTooLarge", "request entity too large")
    content_type = handler.headers.get("Content-Type", "")
    if not content_type.startswith("image/"):
        return handler._error(400, "InvalidRequest", f"Wrong type of file: {content_type}")
    return handler._send(200, {"blob": pds.upload(raw, content_type)})


def _create_record(handler, pds, raw, query):
    if not handler._authorised():
        return None
    status, reply, drop = pds.create(json.loads(raw or b"{}"))
    if pds.reply_delay:
        time.sleep(pds.reply_delay)  # done, but the answer comes after the client gave up
    if drop:
        handler.close_connection = True  # stored, but the answer never comes
        handler.connection.shutdown(2)
        return None
    return handler._send(status, reply)


def _get_record(handler, pds, raw, query):
    uri = f"at://{query.get('repo')}/{query.get('collection')}/{query.get('rkey')}"
    with pds.lock:
        found = pds.records.get(query.get("rkey")) if query.get("repo") in (DID, HANDLE) \
            and query.get("collection") == "app.bsky.feed.post" else None
    if found is None:
        return handler._error(400, "RecordNotFound", f"Could not locate record: {uri}")
    return handler._send(200, found)


ROUTES = {
    ("POST", "com.atproto.server.createSession"): _create_session,
    ("POST", "com.atproto.server.refreshSession"): _refresh_session,
    ("GET", "com.atproto.identity.resolveHandle"): _resolve_handle,
    ("POST", "com.atproto.repo.uploadBlob"): _upload_blob,
    ("POST", "com.atproto.repo.createRecord"): _create_record,
    ("GET", "com.atproto.repo.getRecord"): _get_record,
}
