"""The newsroom's fast path: a WSGI layer in front of the app that answers a repeated
newsroom request from memory, without entering Flask or the database, for at most
NEWSROOM_FRESH_SECONDS after the page's generation was last confirmed (and never past the
next embargo lift).

The newsroom view marks a response it may keep with the header X-Newsroom-Fresh-Until (a
Unix time); this layer removes that header, keeps the finished response (with the headers
every hook added) and serves it until then. So a change made by another process (the
worker sends a text, an editor withdraws one) shows at the latest that many seconds later;
after that the view checks the generation in the database again. A conditional GET whose
ETag matches is answered 304 here too."""
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

MARK = "X-Newsroom-Fresh-Until"
MAX_ENTRIES = 512
PREFIX = "/n/"


@dataclass(frozen=True)
class Kept:
    status: str
    headers: tuple
    body: bytes
    etag: str | None
    until: float


class FastPath:
    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self._kept = OrderedDict()
        self._lock = threading.Lock()

    def clear(self):
        with self._lock:
            self._kept.clear()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PREFIX) or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        key = (path, environ.get("QUERY_STRING", ""))
        kept = self._fresh(key)
        if kept is not None:
            return self._answer(kept, environ, start_response)
        return self._keep(key, environ, start_response)

    def _fresh(self, key):
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if kept.until <= time.time():
                del self._kept[key]
                return None
            self._kept.move_to_end(key)
            return kept

    def _answer(self, kept, environ, start_response):
        match = environ.get("HTTP_IF_NONE_MATCH")
        if kept.etag and match and kept.etag in {t.strip() for t in match.split(",")}:
            headers = [(k, v) for k, v in kept.headers
                       if k.lower() in ("etag", "cache-control", "last-modified", "vary")]
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        start_response(kept.status, list(kept.headers))
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [kept.body]

    def _keep(self, key, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            until = next((v for k, v in headers if k == MARK), None)
            headers = [(k, v) for k, v in headers if k != MARK]
            captured.update(status=status, headers=headers, until=until)
            return start_response(status, headers, exc_info)

        result = self.wsgi_app(environ, capture)
        until = captured.get("until")
        if until is None or environ["REQUEST_METHOD"] != "GET" or any(
                k.lower() == "set-cookie" for k, _v in captured["headers"]):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        if captured["status"].startswith(("200", "404", "410")):
            etag = next((v for k, v in captured["headers"] if k.lower() == "etag"), None)
            self._store(key, Kept(captured["status"], tuple(captured["headers"]), body, etag,
                                  float(until)))
        return [body]

    def _store(self, key, kept):
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > MAX_ENTRIES:
                self._kept.popitem(last=False)
