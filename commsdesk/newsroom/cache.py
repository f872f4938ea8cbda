"""The newsroom's page cache and its generation.

A page is cached per process under a key that includes the organisation's *generation*: the
newest change among its website publications (sent, withdrawn, the last embargo that lifted),
their count, and the next embargo to lift. Every process computes the same generation from
the database, so publishing, withdrawing and an embargo lifting make new keys everywhere
without anyone clearing anything; old entries simply age out of the LRU."""
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select

from ..extensions import db
from ..models import Publication, utcnow
from .texts import _website_rows

MAX_ENTRIES = 512


@dataclass(frozen=True)
class Generation:
    key: tuple
    last_modified: datetime | None
    next_lift: datetime | None = None  # the next embargo to lift: pages change then


def generation(org, now=None):
    """The organisation's newsroom generation, read from the database in one statement."""
    now = now or utcnow()
    lifted = case((Publication.embargo_until <= now, Publication.embargo_until))
    pending = case((Publication.embargo_until > now, Publication.embargo_until))
    row = db.session.execute(
        select(func.count(Publication.id), func.max(Publication.sent_at),
               func.max(Publication.withdrawn_at), func.max(lifted), func.min(pending))
        .where(*_website_rows(org))
    ).one()
    count, sent, withdrawn, lifted_at, next_lift = row
    changes = [_aware(v) for v in (sent, withdrawn, lifted_at) if v is not None]
    key = (org.id, count, *(_stamp(v) for v in (sent, withdrawn, lifted_at, next_lift)))
    return Generation(key=key, last_modified=max(changes) if changes else None,
                      next_lift=_aware(next_lift) if next_lift is not None else None)


def _aware(value):
    # Aggregates over a CASE lose the column type on some backends: read them as UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def _stamp(value):
    return _aware(value).isoformat() if value is not None else ""


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    mimetype: str


class PageCache:
    """A small thread-safe LRU of rendered pages, one per process."""

    def __init__(self, size=MAX_ENTRIES):
        self.size = size
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return entry

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


pages = PageCache()


def etag(key):
    """A strong validator for a cache key."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:32]
