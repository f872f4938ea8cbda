"""A local HTTP server that speaks the part of the WordPress REST API the channel uses
(developer.wordpress.org/rest-api/reference/posts and users): create a post, list posts by
slug and status, update a post's status, /users/me, all behind HTTP Basic auth with an
application password. Tests script failures: a status (with Retry-After) for the next
requests, or a connection dropped after the post was stored."""
import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

USER = "redaktion"
PASSWORD = "abcd EFGH ijkl MNOP qrst UVWX"


class WordPress(LocalServer):
    """The server's state and the scripted failures; thread-safe."""

    def __init__(self, delay=0.0):
        self.posts = {}  # id -> post dict
        self.creates = []  # the slug of every create request that stored a post
        self.requests = []  # (method, path) of every request
        self.failures = []  # (status, headers) for the next create requests, in order
        self.update_failures = []  # the same for the next updates of a post
        self.drop_after_store = 0  # this many creates store the post, then drop the line
        self.delay = delay  # seconds each create takes
        self.lock = threading.Lock()
        self.next_id = 100
        self.server = None

    # --- running -------------------------------------------------------------------------
    STATE = "wp"

    def handler(self):
        return _Handler

    # --- what tests look at --------------------------------------------------------------
    def slugs(self):
        with self.lock:
            return list(self.creates)

    def fail_next(self, status, retry_after=None, times=1):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.failures.extend([(status, headers)] * times)

    def fail_next_update(self, status, retry_after=None, times=1):
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        with self.lock:
            self.update_failures.extend([(status, headers)] * times)

    def update_failure(self):
        with self.lock:
            return self.update_failures.pop(0) if self.update_failures else None

    # --- behaviour -----------------------------------------------------------------------
    def create(self, body):
        """Store a post; returns (post, drop) where drop says to cut the line after."""
        if self.delay:
            time.sleep(self.delay)
        with self.lock:
            if self.failures:
                return self.failures.pop(0), False
            post_id = self.next_id
            self.next_id += 1
            slug = body.get("slug") or f"post-{post_id}"
            post = {"id": post_id, "slug": slug, "status": body.get("status", "draft"),
                    "link": f"{self.url}/{slug}/", "title": {"rendered": body.get("title", "")},
                    "content": {"rendered": body.get("content", "")},
                    "excerpt": {"rendered": body.get("excerpt", "")},
                    "date_gmt": body.get("date_gmt")}
            self.posts[post_id] = post
            self.creates.append(slug)
            drop = self.drop_after_store > 0
            if drop:
                self.drop_after_store -= 1
            return post, drop

    def find(self, slugs, statuses):
        with self.lock:
            return [p for p in self.posts.values()
                    if p["slug"] in slugs and p["status"] in statuses]




class _Handler(BaseHTTPRequestHandler):
    wp = None
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet
        pass

    def _authorised(self):
        expected = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        return self.headers.get("Authorization") == f"Basic {expected}"

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self):
        self._send(401, {"code": "incorrect_password", "data": {"status": 401},
                         "message": "The provided password is an invalid application password."})

    def _body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"{}")

    def do_GET(self):
        self.wp.requests.append(("GET", self.path))
        parts = urlsplit(self.path)
        if not self._authorised():
            return self._refuse()
        if parts.path == "/wp-json/wp/v2/users/me":
            return self._send(200, {"id": 1, "name": "Redaktionen", "slug": USER})
        if parts.path == "/wp-json/wp/v2/posts":
            query = parse_qs(parts.query)
            slugs = ",".join(query.get("slug", [])).split(",")
            statuses = ",".join(query.get("status", ["publish"])).split(",")
            return self._send(200, self.wp.find(slugs, statuses))
        return self._send(404, {"code": "rest_no_route", "message": "No route was found."})

    def do_POST(self):
        self.wp.requests.append(("POST", self.path))
        parts = urlsplit(self.path)
        body = self._body()
        if not self._authorised():
            return self._refuse()
        if parts.path == "/wp-json/wp/v2/posts":
            result, drop = self.wp.create(body)
            if drop:
                self.close_connection = True  # stored, but the answer never comes
                return None
            if isinstance(result, tuple):
                status, headers = result
                return self._send(status, {"code": "error", "message": "Scripted failure"},
                                  headers)
            return self._send(201, result)
        if parts.path.startswith("/wp-json/wp/v2/posts/"):
            failure = self.wp.update_failure()
            if failure is not None:
                status, headers = failure
                return self._send(status, {"code": "error", "message": "Scripted failure"},
                                  headers)
            post = self.wp.posts.get(int(parts.path.rsplit("/", 1)[1]))
            if post is None:
                return self._send(404, {"code": "rest_post_invalid_id",
                                        "message": "Invalid post ID."})
            post.update({k: v for k, v in body.items() if k == "status"})
            return self._send(200, post)
        return self._send(404, {"code": "rest_no_route", "message": "No route was found."})
