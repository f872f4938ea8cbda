"""Polling sources: the worker claims a due source, fetches it (conditional GET), reads it
with the reader of its kind, stores the items, records the check and the source's health.

A source is claimed by one conditional UPDATE (claimed_at empty or stale), so two workers
never poll it at once. Everything that goes wrong inside one poll is caught and recorded
for that source in plain words: a broken, slow, huge or oddly encoded source never stops
the others. Repeated failures back off, up to a day between polls."""
import time
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from ..extensions import db
from ..models import Source, SourceCheck, utcnow
from . import feeds, fetching, items, meeting_documents

STUCK_AFTER = timedelta(minutes=5)   # a claim older than this was left by a dead worker
MAX_BACKOFF = timedelta(days=1)
KEEP_CHECKS = 50
POLLS_PER_PASS = 20                  # the embedded worker's share of one pass
ACCEPT = {
    "feed": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, */*;q=0.1",
    "documents_page": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1",
}


READERS = {"feed": feeds.read, "documents_page": meeting_documents.read}


def _stale():
    return utcnow() - STUCK_AFTER


def _due(now):
    return (Source.active.is_(True),
            or_(Source.next_poll_at.is_(None), Source.next_poll_at <= now),
            or_(Source.claimed_at.is_(None), Source.claimed_at < _stale()))


def due_ids(limit=500, now=None):
    """The ids of active sources due for a poll and not claimed, soonest first."""
    return db.session.execute(
        select(Source.id).where(*_due(now or utcnow()))
        .order_by(Source.next_poll_at, Source.id).limit(limit)).scalars().all()


def claim(source_id, now=None):
    """Claim a due source for this worker; the claim token, or None if another worker has
    it or it is not due. claimed_at is the real clock (stale claims are measured from it)."""
    token = uuid.uuid4().hex
    won = db.session.execute(
        update(Source).where(Source.id == source_id, *_due(now or utcnow()))
        .values(claimed_by=token, claimed_at=utcnow())).rowcount == 1
    db.session.commit()
    return token if won else None


def backoff(source):
    """How long until the next poll: the interval, doubled for each failure in a row
    after the first, at most a day."""
    interval = timedelta(minutes=source.interval_minutes or 30)
    if source.failures <= 1:
        return interval
    return min(interval * 2 ** min(source.failures - 1, 16), max(MAX_BACKOFF, interval))


def poll_one(source_id, now=None):
    """Claim and poll one source; the SourceCheck, or None if it was not ours to poll."""
    now = now or utcnow()
    token = claim(source_id, now)
    if token is None:
        return None
    source = db.session.get(Source, source_id)
    if source is None:
        return None
    started = time.monotonic()
    try:
        outcome = _poll(source, now)
    except Exception as exc:  # whatever it was, it is this source's problem only
        db.session.rollback()
        outcome = _failure(exc, source_id)
        source = db.session.get(Source, source_id)
        if source is None:
            return None
    return _record(source, token, now, outcome, started)


def _poll(source, now):
    """Fetch and read the source; (outcome, status, new items, error). A read that went
    well in part (a PDF of a documents page was damaged) is "ok" with the problem."""
    # A documents page is fetched in full: a PDF can change under a link on a page that
    # did not (each PDF has its own conditional GET).
    conditional = source.kind == "feed"
    fetched = fetching.fetch(
        source.url, etag=source.etag if conditional else None,
        last_modified=source.last_modified if conditional else None,
        max_bytes=current_app.config.get("MONITOR_MAX_BYTES", fetching.MAX_BYTES),
        organisation_id=source.organisation_id, accept=ACCEPT.get(source.kind, "*/*"))
    if fetched.not_modified:
        return "not_modified", 304, 0, None
    entries = READERS[source.kind](source, fetched, now)
    new, _changed = items.store(source, entries, now)
    source.etag, source.last_modified = fetched.etag, fetched.last_modified
    summary = getattr(entries, "problem_summary", None)
    return "ok", fetched.status, len(new), summary() if summary else None


def _failure(exc, source_id):
    if isinstance(exc, fetching.FetchError):
        return "error", exc.status, 0, str(exc)
    current_app.logger.exception("source %s: unexpected error while polling", source_id)
    return "error", None, 0, _("Something unexpected went wrong while reading the source "
                               "(%(error)s); it is tried again later.",
                               error=type(exc).__name__)


def _record(source, token, now, outcome, started):
    kind, status, new_items, error = outcome
    check = SourceCheck(source_id=source.id, at=now, outcome=kind, status=status,
                        new_items=new_items, error=error,
                        duration_ms=int((time.monotonic() - started) * 1000))
    db.session.add(check)
    source.last_polled_at = now
    if kind == "error":
        source.failures = (source.failures or 0) + 1
        source.last_error = error
    else:  # a success, perhaps with a problem in part (e.g. one damaged PDF) to show
        source.failures, source.last_error, source.last_success_at = 0, error, now
    source.next_poll_at = now + backoff(source)
    if source.claimed_by == token:
        source.claimed_by, source.claimed_at = None, None
    db.session.flush()
    _trim(source.id)
    db.session.commit()
    return check


def _trim(source_id):
    """Keep the latest KEEP_CHECKS checks of a source."""
    old = db.session.execute(
        select(SourceCheck.id).where(SourceCheck.source_id == source_id)
        .order_by(SourceCheck.at.desc(), SourceCheck.id.desc()).offset(KEEP_CHECKS)
    ).scalars().all()
    if old:
        db.session.execute(SourceCheck.__table__.delete().where(SourceCheck.id.in_(old)))


def poll_due(now=None, limit=POLLS_PER_PASS):
    """Poll up to `limit` due sources, one after the other; returns how many were polled."""
    polled = 0
    for source_id in due_ids(limit, now):
        if poll_one(source_id, now) is not None:
            polled += 1
    return polled
