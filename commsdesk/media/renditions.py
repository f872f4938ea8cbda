"""Making renditions in the worker. Rows are claimed atomically (queued -> rendering in one
statement; on PostgreSQL the batch is selected FOR UPDATE SKIP LOCKED), so two workers never
render one row. Rendering is safe to repeat: a row left 'rendering' by a worker that died is
queued again after a while."""
from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import undefer

from ..extensions import db
from ..models import Media, Rendition, utcnow
from . import images

STUCK_AFTER = timedelta(minutes=10)
BATCH = 20


def _requeue_stuck(now):
    db.session.execute(
        update(Rendition).where(Rendition.state == "rendering",
                                Rendition.claimed_at < now - STUCK_AFTER)
        .values(state="queued"))


def claim_due(limit=BATCH, now=None):
    """Claim up to `limit` queued renditions; returns their ids."""
    now = now or utcnow()
    _requeue_stuck(now)
    ids = db.session.execute(
        select(Rendition.id).where(Rendition.state == "queued").order_by(Rendition.id)
        .limit(limit).with_for_update(skip_locked=True)).scalars().all()
    claimed = [row_id for row_id in ids if db.session.execute(
        update(Rendition).where(Rendition.id == row_id, Rendition.state == "queued")
        .values(state="rendering", claimed_at=now)).rowcount == 1]
    db.session.commit()
    return claimed


def render_claimed(ids):
    """Render claimed rows, decoding each image once for all its claimed sizes."""
    rows = db.session.execute(
        select(Rendition).where(Rendition.id.in_(ids), Rendition.state == "rendering")
    ).scalars().all()
    by_media = defaultdict(list)
    for row in rows:
        by_media[row.media_id].append(row)
    for media_id, claimed in by_media.items():
        _render_media(media_id, claimed)
        db.session.commit()
    return len(rows)


def _render_media(media_id, rows):
    media = db.session.execute(select(Media).options(undefer(Media.data))
                               .where(Media.id == media_id)).scalar_one()
    try:
        made = images.render(media.data, tuple(row.name for row in rows))
    except Exception as exc:  # checked at upload; a failure here is recorded, not retried
        for row in rows:
            row.state, row.error = "failed", str(exc)[:500]
        return
    now = utcnow()
    for row in rows:
        row.data, row.width, row.height = made[row.name]
        row.content_type, row.state, row.error, row.rendered_at = "image/jpeg", "done", None, now


def renditions_waiting():
    """Whether any rendition waits to be made (for the clock of the RQ workers)."""
    return db.session.execute(
        select(Rendition.id).where(Rendition.state == "queued").limit(1)).first() is not None


def render_due(now=None):
    """One worker pass: claim and render what is queued; returns how many were rendered."""
    total = 0
    while ids := claim_due(now=now):
        total += render_claimed(ids)
    return total
