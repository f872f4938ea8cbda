"""Taking a withdrawn text down on the platforms it went out on (a WordPress post back to
draft), through the worker with the same care as sending.

Withdrawing records the work on each sent row before anything is done (outbox.mark_withdrawn
sets withdraw_state 'pending', due now, in the withdrawal's own transaction), so it is never
lost: the worker claims a due row, asks the adapter to take the post down, and records
'done', or waits and tries again (timeouts, 5xx, 429 with Retry-After), or 'failed' with the
reason in plain words (a refusal such as a 401, or too many attempts). A person retries a
failed withdrawal from the document's publishing panel or the outbox page.

A claim is a lease: the due time moves on by the "stuck" time in one conditional UPDATE, so
of two workers only one takes the row, and a worker that dies mid-attempt is followed by
another attempt when the lease runs out. Taking a post down twice is harmless (it is set to
draft), so no lookup is needed first. The newsroom's own withdrawal needs none of this: its
pages answer 410 from the moment the text is withdrawn."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import audit
from .. import channels as channel_registry
from ..access import can_publish
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..models import Publication, utcnow
from .sender import MAX_ATTEMPTS, backoff, stuck_after


def due_ids(limit=500, now=None):
    """The ids of rows whose withdrawal is due, soonest first (for the clock)."""
    return db.session.execute(
        select(Publication.id).where(Publication.withdraw_state == "pending",
                                     Publication.withdraw_due_at <= (now or utcnow()))
        .order_by(Publication.withdraw_due_at, Publication.id).limit(limit)
    ).scalars().all()


def _claim(row_id, now):
    result = db.session.execute(
        update(Publication).where(Publication.id == row_id,
                                  Publication.withdraw_state == "pending",
                                  Publication.withdraw_due_at <= now)
        .values(withdraw_due_at=utcnow() + stuck_after(),
                withdraw_attempts=Publication.withdraw_attempts + 1))
    db.session.commit()
    return result.rowcount == 1


def withdraw_one(row_id, now=None):
    """Claim one due withdrawal and carry it out; its new withdraw_state, or None when it was
    not due (or another worker has it). Safe to call twice or from two workers."""
    if not _claim(row_id, now or utcnow()):
        return None
    row = db.session.get(Publication, row_id)
    try:
        channel_registry.adapter_for(row.channel).withdraw(row.channel, row)
    except channel_registry.PermanentError as exc:
        _failed(row, exc.message)
    except channel_registry.ChannelError as exc:  # retryable, or an unknown outcome
        _again_or_fail(row, exc.message, getattr(exc, "retry_after", None))
    except Exception as exc:  # a bug or an unexpected reply: try again, then fail
        current_app.logger.exception("withdrawal of publication %s: unexpected error", row_id)
        _again_or_fail(row, _("Unexpected error: %(error)s", error=str(exc)[:500]))
    else:
        row.withdraw_state = "done"
        row.withdraw_error = None
        audit.record(None, "publication.taken_down", row.document, publication=row.id,
                     channel=row.channel.name, url=row.url)
    db.session.commit()
    return row.withdraw_state


def _again_or_fail(row, message, retry_after=None):
    if row.withdraw_attempts >= MAX_ATTEMPTS:
        _failed(row, _("%(error)s (gave up after %(count)d attempts)",
                       error=message, count=row.withdraw_attempts))
        return
    row.withdraw_error = message
    row.withdraw_due_at = utcnow() + backoff(row.withdraw_attempts, retry_after)


def _failed(row, message):
    row.withdraw_state = "failed"
    row.withdraw_error = message
    audit.record(None, "publication.take_down_failed", row.document, publication=row.id,
                 channel=row.channel.name, error=message)


def withdraw_due(limit=50, now=None):
    """Carry out the withdrawals that are due; returns how many were handled."""
    return sum(withdraw_one(row_id, now) is not None for row_id in due_ids(limit, now))


def retry(user, row):
    """A person asks for a failed withdrawal to be made again, due now; commits."""
    if user is not None and not can_publish(user, row.document):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if row.withdraw_state != "failed":
        raise Conflict(_("Only a failed withdrawal can be retried."))
    row.withdraw_state = "pending"
    row.withdraw_due_at = utcnow()
    row.withdraw_attempts = 0
    audit.record(user, "publication.take_down_retried", row.document, publication=row.id,
                 channel=row.channel.name)
    db.session.commit()
    return row
