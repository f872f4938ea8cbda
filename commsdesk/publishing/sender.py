"""Sending the outbox: claim due rows atomically, check the publish gate at the moment of
sending, send through the channel's adapter, record the outcome right after.

Several workers (threads, processes, machines) may run this at once: a row is claimed by
moving it from queued to sending in one conditional UPDATE just before it is sent (the
database decides which worker's statement wins; rows left behind by dead workers are picked
up `FOR UPDATE SKIP LOCKED` on PostgreSQL), so only one of them sends it. A row left in
'sending' by a worker that died is reconciled: looked up on the platform where that is
possible, otherwise 'uncertain' for a person to check. It is never sent again blindly.

Every attempt after the first starts with a lookup on platforms that can tell (the row's
idempotency key names its post there), so a retry after a timeout, a dropped connection or
a worker that died never publishes twice. Retries back off exponentially and honour the
platform's Retry-After; a permanent refusal fails at once with the reason in plain words.

With Redis (commsdesk.queue) the clock calls `due_ids` and enqueues one job per row, and
the job calls `send_one`: it claims the row first, so a row enqueued twice is sent once."""
import random
from datetime import timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select, update

from .. import audit, workflow
from .. import channels as channel_registry
from ..extensions import db
from ..models import Publication, utcnow
from . import health, manual

MAX_ATTEMPTS = 6
STUCK_AFTER = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts, retry_after=None):
    """How long to wait before the next attempt: the platform's Retry-After when it gave one,
    else exponential (30 s, 1 min, 2 min ...) with jitter, at most an hour."""
    if retry_after is not None:
        return min(timedelta(seconds=max(float(retry_after), 1)), MAX_BACKOFF)
    seconds = 30 * 2 ** max(attempts - 1, 0)
    return min(timedelta(seconds=seconds * random.uniform(0.9, 1.1)), MAX_BACKOFF)


def stuck_after():
    """How long a row may stay 'sending' before it counts as abandoned by a dead worker
    (COMMSDESK_PUBLISH_STUCK_SECONDS; longer than any request may take)."""
    seconds = current_app.config.get("PUBLISH_STUCK_SECONDS") if has_app_context() else None
    return timedelta(seconds=float(seconds)) if seconds else STUCK_AFTER


def due_ids(limit=500, now=None):
    """The ids of due queued rows, soonest first, without claiming them (for the clock)."""
    return db.session.execute(
        select(Publication.id).where(Publication.state == "queued",
                                     Publication.due_at <= (now or utcnow()))
        .order_by(Publication.due_at, Publication.id).limit(limit)
    ).scalars().all()


def _claim(row_id, due_by=None):
    # claimed_at is the real clock (never a test's `now`): reconcile measures from it.
    conditions = [Publication.id == row_id, Publication.state == "queued"]
    if due_by is not None:
        conditions.append(Publication.due_at <= due_by)
    result = db.session.execute(
        update(Publication).where(*conditions)
        .values(state="sending", claimed_at=utcnow(), attempts=Publication.attempts + 1))
    return result.rowcount == 1


def claim_one(row_id, now=None):
    """Claim one row if it is queued and due (an RQ job names its row; the row may have
    been rescheduled or retried later since); False otherwise."""
    claimed = _claim(row_id, due_by=now or utcnow())
    db.session.commit()
    return claimed


def _held(row):
    """The approval no longer holds: hold this row and every open row of the document, and
    hold the document (its editors are told)."""
    row.state = "held"
    row.last_error = _("The approval was no longer valid when it was time to publish.")
    for other in db.session.execute(
            select(Publication).where(Publication.document_id == row.document_id,
                                      Publication.state == "queued")).scalars():
        other.state = "held"
        other.last_error = row.last_error
    audit.record(None, "publication.held", row.document, publication=row.id,
                 channel=row.channel.name)
    workflow.hold(row.document)  # commits


def send_claimed(row_id):
    """Send one row this worker has claimed; returns its new state."""
    row = db.session.get(Publication, row_id)
    if row is None or row.state != "sending":
        return None
    try:
        workflow.publish_gate(row.document, revision_id=row.revision_id)
    except workflow.ApprovalExpired:
        _held(row)
        return row.state
    adapter = channel_registry.adapter_for(row.channel)
    if adapter.by_hand:
        manual.hand_over(row)
        return row.state
    try:
        result = _attempt(adapter, row)
    except channel_registry.RetryableError as exc:
        _retry_or_fail(row, adapter, exc.message, exc.retry_after)
    except channel_registry.AuthError as exc:
        health.report_problem(row.channel, exc.message, row.document)
        _finish(row, "failed", exc.message)
    except channel_registry.PermanentError as exc:
        _finish(row, "failed", exc.message)
    except channel_registry.UnknownOutcome as exc:
        # The next attempt asks the platform first, or the receiver drops a repeat itself.
        if adapter.can_look_up or adapter.retry_unknown:
            _retry_or_fail(row, adapter, exc.message)
        else:
            _finish(row, "uncertain", exc.message)
    except Exception as exc:  # a bug or an unexpected reply: the outcome is unknown
        current_app.logger.exception("publication %s: unexpected error", row_id)
        _finish(row, "uncertain", _("Unexpected error: %(error)s", error=str(exc)[:500]))
    else:
        _sent(row, result)
    return row.state


def _attempt(adapter, row):
    """Send the row; an attempt after an earlier one first asks the platform whether that
    one went out after all (a timeout, a dropped connection, a worker that died)."""
    if row.attempts > 1 and adapter.can_look_up:
        earlier = adapter.lookup(row.channel, row)
        if earlier is not None:
            return earlier
    return adapter.send(row.channel, row)


def _sent(row, result):
    row.state = "sent"
    row.sent_at = utcnow()
    row.external_id = result.external_id
    row.url = result.url
    row.last_error = None
    health.clear_problem(row.channel)
    audit.record(None, "publication.sent", row.document, publication=row.id,
                 channel=row.channel.name, url=result.url, content_hash=row.content_hash)
    workflow.follow_publications(row.document)
    db.session.commit()


def _retry_or_fail(row, adapter, message, retry_after=None):
    if row.attempts >= MAX_ATTEMPTS:
        _give_up(row, adapter, _("%(error)s (gave up after %(count)d attempts)",
                                 error=message, count=row.attempts))
        return
    row.state = "queued"
    row.last_error = message
    row.due_at = utcnow() + backoff(row.attempts, retry_after)
    db.session.commit()


def _give_up(row, adapter, message):
    """No more attempts: failed, unless the platform says an earlier one went out (or
    cannot say: then a person checks)."""
    if not adapter.can_look_up:
        _finish(row, "failed", message)
        return
    try:
        earlier = adapter.lookup(row.channel, row)
    except channel_registry.ChannelError as exc:
        _finish(row, "uncertain", f"{message}; {exc.message}")
        return
    if earlier is not None:
        _sent(row, earlier)
    else:
        _finish(row, "failed", message)


def _finish(row, state, message):
    row.state = state
    row.last_error = message
    audit.record(None, f"publication.{state}", row.document, publication=row.id,
                 channel=row.channel.name, error=message)
    if state == "failed":
        workflow.partner_row_failed(row)
    workflow.follow_publications(row.document)
    db.session.commit()


def send_one(row_id, now=None):
    """Claim one row (if due by `now`) and send it; safe to call twice or from two
    workers."""
    if not claim_one(row_id, now):
        return None
    return send_claimed(row_id)


def send_due(limit=50, now=None):
    """Reconcile stuck rows, then send what is due, claiming each row just before sending it
    (a batch claimed at once would age while it waits and look abandoned to other workers);
    returns how many were handled."""
    reconcile_stuck()
    handled = 0
    for row_id in due_ids(limit, now):
        if send_one(row_id, now) is not None:
            handled += 1
    return handled


def reconcile_stuck(older_than=None):
    """Rows left in 'sending' by a worker that stopped: queued again where the platform can
    be asked (the next attempt looks the row up before sending), else uncertain for a
    person to check."""
    cutoff = utcnow() - (older_than or stuck_after())
    stuck = db.session.execute(
        select(Publication).where(Publication.state == "sending",
                                  Publication.claimed_at < cutoff)
        .with_for_update(skip_locked=True)
    ).scalars().all()
    for row in stuck:
        _reconcile(row)
    db.session.commit()
    return len(stuck)


def _reconcile(row):
    adapter = channel_registry.adapter_for(row.channel)
    if not (adapter.can_look_up or adapter.retry_unknown):
        _finish(row, "uncertain", _("The worker stopped while sending; check whether it "
                                    "went out, then retry or mark it as sent."))
        return
    row.state = "queued"
    row.due_at = utcnow()
    row.last_error = _("The worker stopped while sending; it is looked up on the platform "
                       "before it is sent again.")
