"""Items: storing what a poll found (de-duplicated per organisation by guid, else by the
canonical link), so that the same news from two feeds is one item, and a meeting document
that changed under the same link is read again."""
import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import search
from ..extensions import db
from ..models import Item, utcnow
from ..rendering import sanitise_html
from . import watch

TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass
class Entry:
    """What a source found, before it is stored (summary_html is foreign and unsanitised)."""
    guid: str = ""
    link: str = ""
    title: str = ""
    author: str = ""
    summary_html: str = ""
    text: str = ""
    pages: list | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    published_at: datetime | None = None
    kind: str = "entry"


def canonical_link(url):
    """The link without fragment and tracking parameters, scheme and host lower-case."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING_PARAMS)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       urlencode(query), ""))


def dedup_key(entry):
    """sha256 of the guid, else of the canonical link, else of the title."""
    basis = (f"guid:{entry.guid.strip()}" if entry.guid.strip()
             else f"link:{canonical_link(entry.link)}" if entry.link
             else f"title:{entry.title.strip().lower()}")
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def store(source, entries, now=None):
    """Store a poll's entries for the source's organisation: (new items, changed items).
    An entry already stored is left as it is, unless its content_hash changed (a PDF read
    again). New and changed items are matched against the watch lists and indexed for
    search. Adds rows; the caller commits."""
    now = now or utcnow()
    by_key, links = {}, set()
    for entry in entries:
        link = canonical_link(entry.link)
        if _names_news(link):
            if link in links:
                continue
            links.add(link)
        by_key.setdefault(dedup_key(entry), entry)
    if not by_key:
        return [], []
    existing = {row.dedup_key: row for row in db.session.execute(
        select(Item).where(Item.organisation_id == source.organisation_id,
                           Item.dedup_key.in_(list(by_key)))).scalars()}
    existing.update(_same_link(source.organisation_id, by_key, existing))
    new, changed = [], []
    for key, entry in by_key.items():
        row = existing.get(key)
        if row is None:
            row = _insert(source, key, entry, now)
            if row is not None:
                new.append(row)
        elif entry.content_hash and entry.content_hash != row.content_hash:
            _fill(row, entry)
            row.fetched_at = now
            row.state = "new"
            changed.append(row)
    db.session.flush()
    watch.match_items(new + changed)
    search.index_items(new + changed)
    return new, changed


def _names_news(link):
    """Whether a canonical link can name one piece of news (a site's front page cannot)."""
    return bool(link) and urlsplit(link).path not in ("", "/")


def _same_link(organisation_id, by_key, existing):
    """{key: stored item} for entries not known by their key whose canonical link an item
    already has: the same news under another guid (another feed of the same paper)."""
    links = {}
    for key, entry in by_key.items():
        link = canonical_link(entry.link)
        if key not in existing and _names_news(link):
            links.setdefault(link, key)
    if not links:
        return {}
    rows = db.session.execute(select(Item).where(
        Item.organisation_id == organisation_id, Item.link.in_(list(links)))).scalars()
    return {links[row.link]: row for row in rows}


def _insert(source, key, entry, now):
    row = Item(organisation_id=source.organisation_id, source_id=source.id, dedup_key=key,
               kind=entry.kind, fetched_at=now, state="new")
    _fill(row, entry)
    try:
        # Two workers polling two feeds of one organisation may find the same news at once.
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def _fill(row, entry):
    row.guid = entry.guid[:2000]
    row.link = canonical_link(entry.link)[:2000]  # without tracking parameters
    row.title = entry.title[:500]
    row.author = entry.author[:300]
    row.summary_html = sanitise_html(entry.summary_html)
    row.text = entry.text
    row.pages = entry.pages
    row.content_hash = entry.content_hash
    row.etag = entry.etag
    row.last_modified = entry.last_modified
    row.published_at = entry.published_at
