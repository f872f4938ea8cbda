"""Writing the outbox: deciding to publish writes one Publication per channel, with the
payload formatted now from the approved revision, in the caller's transaction."""
import uuid
from datetime import datetime

from sqlalchemy import select, update

from .. import channels as channel_registry
from ..extensions import db
from ..models import OPEN_STATES, Publication, utcnow


def _embargo(payload):
    value = payload.get("embargo_until")
    return datetime.fromisoformat(value) if value else None


def listing_fields(payload):
    """The columns a listing reads, copied from the payload (the link image is the card, else
    the first image's card)."""
    images = payload.get("images") or []
    card = payload.get("card_image")
    if not card and images:
        card = (images[0].get("renditions") or {}).get("card")
    return {"kind": payload.get("kind"), "title": payload.get("title"),
            "lead": payload.get("lead"), "path": payload.get("path"), "card_image": card}


def enqueue(user, doc, channels, due_at):
    """One queued row per channel for the document's current revision, due at `due_at`,
    each belonging to its channel's organisation (a partner's rows of a joint text are the
    partner's). The caller has passed the publish gate and commits."""
    revision = doc.current_revision
    rows = []
    for channel in channels:
        payload = channel_registry.adapter_for(channel).format(doc, revision, channel)
        row = Publication(
            organisation_id=channel.organisation_id, document_id=doc.id,
            revision_id=revision.id,
            channel_id=channel.id, state="queued", due_at=due_at,
            embargo_until=_embargo(payload), payload=payload,
            content_hash=revision.content_hash, idempotency_key=uuid.uuid4().hex,
            created_by_id=user.id if user else None, **listing_fields(payload),
        )
        db.session.add(row)
        rows.append(row)
    db.session.flush()
    return rows


def open_rows(doc):
    """The document's rows that have not gone out and may still go (queued, waiting for a
    person, held, failed): what withdraw, archive, unschedule and a new revision cancel."""
    return db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.state.in_(("queued", "waiting", "held", "failed")))
        .order_by(Publication.id)
    ).scalars().all()


def cancel_open(doc, reason):
    """Cancel what has not gone out; a row being sent right now is left to finish (its
    outcome is recorded and shown). Returns the cancelled rows."""
    rows = open_rows(doc)
    for row in rows:
        row.state = "cancelled"
        row.last_error = reason
    return rows


def reschedule_open(doc, due_at):
    """Move the queued rows of a scheduled document to a new time."""
    db.session.execute(
        update(Publication).where(Publication.document_id == doc.id,
                                  Publication.state == "queued").values(due_at=due_at))


def mark_withdrawn(doc):
    """Date the sent rows as withdrawn: the newsroom answers 410 for them from now on. A row
    on a platform that can take the post down is recorded as a pending withdrawal, which the
    worker carries out (publishing.withdrawals) with the same retries as sending."""
    now = utcnow()
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.state == "sent",
                                  Publication.withdrawn_at.is_(None))
    ).scalars().all()
    for row in rows:
        row.withdrawn_at = now
        if channel_registry.adapter_for(row.channel).can_withdraw:
            row.withdraw_state = "pending"
            row.withdraw_due_at = now
            row.withdraw_attempts = 0
            row.withdraw_error = None
    return rows


def hold_pending(doc, reason):
    """Hold every party's queued rows of the document (a joint release held, an approval
    taken back): they stay until released, cancelled or replaced. Returns them."""
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.state == "queued").order_by(Publication.id)
    ).scalars().all()
    for row in rows:
        row.state = "held"
        row.last_error = reason
    return rows


def latest_round(doc):
    """The rows of the newest decision to publish (the owning organisation's rows sharing
    the newest revision that were not cancelled), oldest first. A coalition partner's rows
    of a joint text are the partner's own and never decide the document's state."""
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.organisation_id == doc.organisation_id)
        .order_by(Publication.id)
    ).scalars().all()
    if not rows:
        return []
    newest = rows[-1].revision_id
    return [r for r in rows if r.revision_id == newest and r.state != "cancelled"]


def is_open(row):
    return row.state in OPEN_STATES
