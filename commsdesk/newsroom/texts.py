"""What an organisation's newsroom shows: the public texts of its website channel.

A text is public when its newest *sent* website publication has not been withdrawn and its
embargo (if any) has passed. A newer version still queued leaves the sent one in place; a
newer version under embargo hides the text until it lifts. Drafts, queued, embargoed and
withdrawn texts never leave this module."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from ..channels.website import WebsiteAdapter
from ..errors import NotFound
from ..extensions import db
from ..models import Channel, Organisation, Publication, utcnow
from ..times import organisation_zone

# The kind groups the newsroom lists apart.
GROUPS = {"news": ("press_release", "web_article"), "opinion": ("op_ed", "letter")}
PER_PAGE = 20
MAX_QUERY = 200
SAFE_SCHEMES = ("https://", "http://")
# The widths of the media library's renditions that keep the image's shape (for srcset).
# The renditions that keep the image's shape, by how media.images.SIZES bounds them:
# thumb 320 wide, large at most 2048 on its longer side (never enlarged).
THUMB_WIDTH, LARGE_SIDE = 320, 2048


@dataclass(frozen=True)
class PublicText:
    """One public text: what a listing shows (columns of its publication, copied from the
    frozen payload at enqueue) and, for its page and the feeds, the payload itself."""

    publication_id: int
    document_id: int
    kind: str
    public_at: datetime
    title: str
    lead: str
    path: str
    card_image: str | None
    payload: dict | None = None

    def __getattr__(self, name):
        # Template access to the rest (text.html, text.tags ...) reads the payload.
        payload = self.__dict__.get("payload") or {}
        if name in payload:
            return payload[name]
        raise AttributeError(name)

    @property
    def url(self):
        """The absolute address of the text's page."""
        return absolute(self.path)

    @property
    def published_link(self):
        """The address where it was first published, if it is a web address."""
        url = ((self.payload or {}).get("published_url") or "").strip()
        return url if url.lower().startswith(SAFE_SCHEMES) else None

    @property
    def card_url(self):
        """The absolute address of its link image (card image, else the first image's card)."""
        return absolute(self.card_image) if self.card_image else None


def srcset(image):
    """A srcset of an image's renditions that keep its shape ("" when there are none)."""
    renditions = image.get("renditions") or {}
    width, height = image.get("width") or 0, image.get("height") or 0
    widths = {"thumb": min(THUMB_WIDTH, width),
              "large": round(width * min(1, LARGE_SIDE / max(width, height, 1)))}
    return ", ".join(f"{renditions[name]} {w}w" for name, w in widths.items()
                     if renditions.get(name) and w)


def absolute(path):
    """An absolute URL on this installation for a path."""
    return current_app.config["BASE_URL"].rstrip("/") + path


def organisation(slug):
    """The organisation whose newsroom lives at /n/<slug>/; NotFound otherwise."""
    org = db.session.execute(
        select(Organisation).where(Organisation.slug == slug)).scalar_one_or_none()
    if org is None:
        raise NotFound("No such newsroom.")
    return org


def _website_rows(org_id):
    """The sent rows of the organisation's website channel (org_id: a value or a bindparam)."""
    return (Publication.organisation_id == org_id, Publication.state == "sent",
            Publication.channel_id.in_(
                select(Channel.id).where(Channel.organisation_id == org_id,
                                         Channel.type == WebsiteAdapter.type)))


def _newest_sent(org_id):
    """The id of each document's newest sent website publication."""
    return select(func.max(Publication.id)).where(*_website_rows(org_id)) \
        .group_by(Publication.document_id)


PUBLIC_AT = case((and_(Publication.embargo_until.is_not(None),
                       Publication.embargo_until > Publication.sent_at),
                  Publication.embargo_until), else_=Publication.sent_at)


def _visible(now):
    """A sent row the public may see now: not withdrawn, and any embargo has lifted."""
    return (Publication.withdrawn_at.is_(None),
            or_(Publication.embargo_until.is_(None), Publication.embargo_until <= now))


def _public(org_id, now):
    return (Publication.id.in_(_newest_sent(org_id)), *_visible(now))


def shown_document(document_id, now=None):
    """A condition: the newsroom shows this document (a column or an id) now, by the same
    rule as its pages (its newest sent website publication is visible). The media library
    asks it before serving a text's images to the public."""
    newest = aliased(Publication)
    newest_sent = (select(func.max(newest.id)).join(Channel, Channel.id == newest.channel_id)
                   .where(Channel.type == WebsiteAdapter.type, newest.state == "sent",
                          newest.document_id == document_id)
                   .scalar_subquery())
    return exists().where(Publication.id == newest_sent, *_visible(now or utcnow()))


LISTED = (Publication.id, Publication.document_id, Publication.kind, PUBLIC_AT,
          Publication.title, Publication.lead, Publication.path, Publication.card_image)


@cache
def _statement(kinds=None, full=True, paged=False):
    """A listing's statement, built once with parameters org_id and now (and limit and
    offset when paged): building it costs more than running it."""
    query = select(*LISTED, *((Publication.payload,) if full else ())) \
        .where(*_public(bindparam("org_id"), bindparam("now")))
    if kinds:
        query = query.where(Publication.kind.in_(kinds))
    query = query.order_by(PUBLIC_AT.desc(), Publication.id.desc())
    return query.limit(bindparam("limit")).offset(bindparam("offset")) if paged else query


def _run(statement, org, now, **params):
    return _texts(db.session.execute(statement, {"org_id": org.id, "now": now, **params}))


def _texts(rows):
    return [PublicText(*row) for row in rows]


def latest(org, group=None, page=1, per_page=PER_PAGE, now=None, full=False):
    """The newest public texts (of one kind group), one page of them, and whether more follow;
    `full` loads their payloads too (the feeds show the whole text)."""
    texts = _run(_statement(GROUPS.get(group), full, paged=True), org, now or utcnow(),
                 limit=per_page + 1, offset=(page - 1) * per_page)
    return texts[:per_page], len(texts) > per_page


def everything(org, now=None):
    """Every public text of the organisation, newest first (for the sitemap)."""
    return _run(_statement(full=False), org, now or utcnow())


def _all(org, now):
    return _run(_statement().execution_options(yield_per=200), org, now)


def _page(texts, page, per_page):
    start = (page - 1) * per_page
    return texts[start:start + per_page], len(texts) > start + per_page


def tagged(org, tag, page=1, per_page=PER_PAGE, now=None):
    """Public texts carrying the tag (as published), one page, and whether more follow."""
    wanted = tag.casefold()
    texts = [t for t in _all(org, now or utcnow())
             if wanted in (name.casefold() for name in t.payload.get("tags") or [])]
    return _page(texts, page, per_page)


def tag_name(org, tag, now=None):
    """The tag as the newsroom spells it, or None when no public text carries it."""
    wanted = tag.casefold()
    for text in _all(org, now or utcnow()):
        for name in text.payload.get("tags") or []:
            if name.casefold() == wanted:
                return name
    return None


def search(org, query, page=1, per_page=PER_PAGE, now=None):
    """Public texts whose title, lead or body holds every word of the query."""
    words = [w.casefold() for w in (query or "")[:MAX_QUERY].split()]
    if not words:
        return [], False
    found = []
    for text in _all(org, now or utcnow()):
        haystack = " ".join(str(text.payload.get(k) or "") for k in ("title", "lead", "body"))
        haystack = haystack.casefold()
        if all(word in haystack for word in words):
            found.append(text)
    return _page(found, page, per_page)


def months(org, now=None):
    """[(year, month, count)] of public texts, newest month first, in the organisation's zone."""
    now = now or utcnow()
    zone = organisation_zone(org)
    counts = {}
    for (public_at,) in db.session.execute(
            select(PUBLIC_AT).where(*_public(org.id, now), *_website_rows(org.id))):
        local = public_at.astimezone(zone)
        counts[(local.year, local.month)] = counts.get((local.year, local.month), 0) + 1
    return [(year, month, counts[(year, month)]) for year, month in sorted(counts, reverse=True)]


def month(org, year, month_number, now=None):
    """The public texts that became public in one month (the organisation's zone), newest first."""
    zone = organisation_zone(org)
    start = datetime(year, month_number, 1, tzinfo=zone)
    end = (start + timedelta(days=32)).replace(day=1)
    query = _statement(full=False).where(PUBLIC_AT >= start, PUBLIC_AT < end)
    return _run(query, org, now or utcnow())


@cache
def _text_statement():
    return select(*LISTED, Publication.payload, Publication.withdrawn_at,
                  Publication.embargo_until) \
        .where(Publication.id.in_(_newest_sent(bindparam("org_id"))),
               Publication.document_id == bindparam("document_id"))


def text(org, document_id, now=None):
    """(PublicText, None) for a public text, (None, withdrawn_at) for a withdrawn one;
    NotFound for anything else (unknown, another organisation's, not yet out, embargoed)."""
    now = now or utcnow()
    row = db.session.execute(_text_statement(),
                             {"org_id": org.id, "document_id": document_id}).first()
    if row is None or (row.embargo_until is not None and row.embargo_until > now):
        raise NotFound("No such text.")
    if row.withdrawn_at is not None:
        return None, row.withdrawn_at
    return PublicText(*row[:9]), None


def published_slugs():
    """The organisations whose newsroom has had a text go out (for robots.txt)."""
    return db.session.execute(
        select(Organisation.slug).where(Organisation.id.in_(
            select(Publication.organisation_id).join(Channel)
            .where(Publication.state == "sent", Channel.type == WebsiteAdapter.type)))
        .order_by(Organisation.slug)).scalars().all()
