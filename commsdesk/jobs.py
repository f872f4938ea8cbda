"""The worker's jobs and the embedded loop.

A job is a plain function that takes a row id, reloads the row and is safe to run twice:
it claims the row first, and a row that is not queued any more is left alone. Without
Redis one loop in this process finds due work and runs it (`run_forever`); with Redis the
clock in commsdesk.queue enqueues these same functions for RQ workers. The database is the
truth; a queue only distributes ids."""
import threading

from sqlalchemy import func, select

from . import mail, media, submissions
from .audience import bounce_mailbox, importing
from .extensions import db
from .models import Publication, utcnow
from .monitoring import digest, polling
from .newsletter import deliver, meetings
from .publishing import sender, withdrawals

# A send-out to many is sent in slices of this many seconds, so that a publication due
# meanwhile waits one slice at most, not the whole send-out.
MAILING_SLICE_SECONDS = 10
_app = None
_app_lock = threading.Lock()


def bind(app):
    """The app that job functions run in (the worker command binds its own)."""
    global _app
    _app = app


def _job_app():
    # An RQ worker started without the flask command (`rq worker`) builds the app once.
    global _app
    with _app_lock:
        if _app is None:
            from . import create_app

            _app = create_app()
    return _app


def send_publication(row_id):
    """Job: claim and send one publication; None if it was not queued any more."""
    with _job_app().app_context():
        return sender.send_one(row_id)


def take_down(row_id):
    """Job: claim and carry out one due withdrawal; None if it was not due any more."""
    with _job_app().app_context():
        return withdrawals.withdraw_one(row_id)


def send_email(row_id):
    """Job: claim and send one email; None if it was not queued any more."""
    with _job_app().app_context():
        return mail.send_one(row_id)


def render_images(_batch=0):
    """Job: claim and render the queued image renditions (rows are claimed one batch at a
    time, so several of these jobs share the work)."""
    with _job_app().app_context():
        return media.render_due()


def remind_submissions(_batch=0):
    """Job: remind the secretaries of newspaper offers past their reply deadline (each
    offer is claimed before its reminder, so two of these jobs never remind twice)."""
    with _job_app().app_context():
        return submissions.remind_due()


def remind_meetings(_batch=0):
    """Job: send the day-before reminders of meetings that are due."""
    with _job_app().app_context():
        return meetings.remind_due()


def poll_bounces(_batch=0):
    """Job: read the bounce mailbox once (new delivery reports are recorded, then marked
    seen, so two of these jobs never count one report twice)."""
    with _job_app().app_context():
        return bounce_mailbox.poll()


def send_digests(_batch=0):
    """Job: send the watch lists' daily digests that are due (each organisation's day is
    claimed before its emails are queued, so two of these jobs never send one twice)."""
    with _job_app().app_context():
        return digest.send_due()


def send_mailing(mailing_id):
    """Job: send a mailing's due rows for one slice (the next tick goes on)."""
    with _job_app().app_context():
        result = deliver.send_mailing(mailing_id, max_seconds=MAILING_SLICE_SECONDS)
        return result["handled"] if result else None


def poll_source(source_id):
    """Job: claim and poll one monitored source; None if it was not due or is claimed."""
    with _job_app().app_context():
        check = polling.poll_one(source_id)
        return check.outcome if check is not None else None


def due_work(now=None, limit=500):
    """Reconcile what dead workers left behind, then the ids of due work by kind (for
    renditions one job id, 0, while any wait)."""
    sender.reconcile_stuck()
    mail.reconcile_stuck()
    deliver.reconcile_stuck()
    importing.fail_stalled(now)
    return {"mailing": deliver.due_ids(limit, now),
            "publication": sender.due_ids(limit, now), "email": mail.due_ids(limit),
            "withdrawal": withdrawals.due_ids(limit, now),
            "renditions": [0] if media.renditions_waiting() else [],
            "submission_reminders": [0] if submissions.reminders_waiting(now) else [],
            "meeting_reminders": [0] if meetings.reminders_waiting(now) else [],
            "bounces": [0] if bounce_mailbox.due() else [],
            "monitor_digests": [0] if digest.digests_waiting(now) else [],
            "monitor_polls": polling.due_ids(limit, now)}


def run_once(now=None):
    """One pass over everything that is due (by `now`, default the clock)."""
    importing.fail_stalled(now)
    digests = digest.send_due(now)  # before the emails, so they leave in this pass
    return {"publications": sender.send_due(now=now), "emails": mail.send_due(),
            "mailings": deliver.send_due(now=now, max_seconds=MAILING_SLICE_SECONDS),
            "withdrawals": withdrawals.withdraw_due(now=now),
            "renditions": media.render_due(now=now),
            "submission_reminders": submissions.remind_due(now),
            "meeting_reminders": meetings.remind_due(now),
            "bounces": bounce_mailbox.poll() if bounce_mailbox.due() else 0,
            "monitor_digests": digests,
            "monitor_polls": polling.poll_due(now=now)}


def pause(poll_seconds, now=None):
    """How long the clock may sleep: until the next publication is due, at most
    `poll_seconds` (so a scheduled post goes out at its time, not at the next tick; work
    queued for now is found within `poll_seconds`)."""
    now = now or utcnow()
    soonest = db.session.execute(
        select(func.min(Publication.due_at)).where(Publication.state == "queued",
                                                   Publication.due_at > now)).scalar()
    if soonest is None:
        return poll_seconds
    return min(poll_seconds, max((soonest - now).total_seconds(), 0.005))


def run_forever(app, poll_seconds, stop=None):
    """Poll until `stop` is set (or forever); each pass in its own app context."""
    stop = stop or threading.Event()
    while not stop.is_set():
        wait = poll_seconds
        with app.app_context():
            try:
                done = run_once()
                # A send-out goes on in slices: the next slice at once, after what else is due.
                wait = 0 if done["mailings"] else pause(poll_seconds)
            except Exception:
                app.logger.exception("worker pass failed")
        stop.wait(wait)
