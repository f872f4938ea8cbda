"""Fetching a source's URL. The contract (kept by the full version): `fetch` returns a
Fetched or raises FetchError with a message in plain words; nothing else escapes."""
from dataclasses import dataclass, field

import requests

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = (5, 15)


class FetchError(Exception):
    """The fetch failed; str() is a message for the secretary, in plain words."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


@dataclass
class Fetched:
    url: str                  # after redirects
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self):
        return self.status == 304


def fetch(url, etag=None, last_modified=None, max_bytes=MAX_BYTES, organisation_id=None,
          accept="*/*"):
    """GET `url` (conditional when etag/last_modified are given) within the size limit."""
    headers = {"Accept": accept, "User-Agent": "commsdesk monitor"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with requests.get(url, headers=headers, timeout=TIMEOUT, stream=True) as response:
            body = response.raw.read(max_bytes + 1, decode_content=True)
    except requests.RequestException as exc:
        raise FetchError(f"could not fetch {url}: {exc}") from exc
    if len(body) > max_bytes:
        raise FetchError("too large")
    return Fetched(url=response.url, status=response.status_code, body=body,
                   headers=dict(response.headers), etag=response.headers.get("ETag"),
                   last_modified=response.headers.get("Last-Modified"))
