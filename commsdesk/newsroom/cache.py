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
from functools import cache

from sqlalchemy import and_, bindparam, case, func, select

from .. import branding
from ..channels.website import WebsiteAdapter
from ..errors import NotFound
from ..extensions import db
from ..models import Channel, Organisation, OrganisationSetting, Publication, utcnow
from .texts import _website_rows

MAX_ENTRIES = 512
SIGNUP_OPEN = "mail.signup_open"  # as in audience.settings: "1" when the form is open


@dataclass(frozen=True)
class Generation:
    key: tuple
    last_modified: datetime | None
    next_lift: datetime | None = None  # the next embargo to lift: pages change then


@dataclass(frozen=True)
class Site:
    """The organisation as its newsroom pages need it (plain values, safe to keep)."""

    id: int
    slug: str
    name: str
    timezone: str
    created_at: datetime
    signup_open: bool = False  # the pages link to the public signup form


def _aggregates(now):
    lifted = case((Publication.embargo_until <= now, Publication.embargo_until))
    pending = case((Publication.embargo_until > now, Publication.embargo_until))
    return (func.count(Publication.id), func.max(Publication.sent_at),
            func.max(Publication.withdrawn_at), func.max(lifted), func.min(pending))


def generation(org, now=None):
    """The organisation's newsroom generation, read from the database in one statement."""
    row = db.session.execute(
        select(*_aggregates(now or utcnow())).where(*_website_rows(org.id))).one()
    return _generation(org.id, *row)


@cache
def _site_statement():
    # Built once (building costs more than running it): parameters slug and now.
    website = select(Channel.id).where(Channel.organisation_id == Organisation.id,
                                       Channel.type == WebsiteAdapter.type)
    settings = [select(OrganisationSetting.value)
                .where(OrganisationSetting.organisation_id == Organisation.id,
                       OrganisationSetting.name == name).scalar_subquery()
                for name in (*branding.DEFAULTS, SIGNUP_OPEN)]
    return select(Organisation.id, Organisation.slug, Organisation.name, Organisation.timezone,
                  Organisation.created_at, *_aggregates(bindparam("now")), *settings) \
        .outerjoin(Publication, and_(Publication.organisation_id == Organisation.id,
                                     Publication.state == "sent",
                                     Publication.channel_id.in_(website))) \
        .where(Organisation.slug == bindparam("slug")).group_by(Organisation.id)


def site(slug, now=None):
    """(Site, Brand, Generation) of the newsroom at /n/<slug>/, read in one statement: the
    organisation, its brand settings, whether its signup form is open and its generation;
    NotFound for no such organisation."""
    row = db.session.execute(_site_statement(),
                             {"slug": slug, "now": now or utcnow()}).first()
    if row is None:
        raise NotFound("No such newsroom.")
    org = Site(*row[:5], signup_open=row[-1] == "1")
    brand = branding.brand_from(org.name, dict(zip(branding.DEFAULTS, row[10:-1])))
    return org, brand, _generation(org.id, *row[5:10])


def _generation(org_id, count, sent, withdrawn, lifted_at, next_lift):
    changes = [_aware(v) for v in (sent, withdrawn, lifted_at) if v is not None]
    key = (org_id, count, *(_stamp(v) for v in (sent, withdrawn, lifted_at, next_lift)))
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
