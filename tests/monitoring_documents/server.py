"""A municipality's web site for the tests: a page listing meeting documents and the PDFs
it links to, answering conditional GETs with 304, and recording every request."""
import hashlib
from http.server import BaseHTTPRequestHandler

from local_server import LocalServer


class DocumentsSite(LocalServer):
    """`files` maps a path to its bytes; `page` is the HTML of /handlingar."""

    def __init__(self):
        self.files, self.page, self.requests = {}, "", []

    def etag(self, path):
        return '"' + hashlib.sha256(self.files[path]).hexdigest()[:16] + '"'

    def seen(self, path):
        """The requests for `path`: [(headers, status, body length)]."""
        return [(h, s, n) for p, h, s, n in self.requests if p == path]

    def handler(self):
        return _Handler


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        site, path = self.state, self.path.split("?")[0]
        if path == "/handlingar":
            self._answer(path, 200, site.page.encode("utf-8"), "text/html; charset=utf-8")
        elif path not in site.files:
            self._answer(path, 404, b"not found", "text/plain")
        elif self.headers.get("If-None-Match") == site.etag(path):
            self._answer(path, 304, b"", None, etag=site.etag(path))
        else:
            self._answer(path, 200, site.files[path], "application/pdf", etag=site.etag(path))

    def _answer(self, path, status, body, content_type, etag=None):
        self.state.requests.append((path, dict(self.headers), status, len(body)))
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        if etag:
            self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
