"""The worker of send-outs to many: claims batches of queued deliveries with a token, sends
them over several persistent SMTP connections (newsletter.connection) with the message built
once per send-out, and records outcomes in group commits.

Crash-safety: before a connection transmits a row, one commit records that connection's
previous outcome and marks the row 'sending' (the commit is shared by every connection
waiting at that moment, so it costs one commit per round, not per message). A worker killed
at any moment therefore leaves at most one 'sending' row per open connection: after
MAIL_STUCK_SECONDS these become 'uncertain' for a person to decide, and rows that were only
claimed go back to the queue. Nothing recorded as sent is sent again; two workers never send
one row (claims are conditional UPDATEs, FOR UPDATE SKIP LOCKED on PostgreSQL, and the
'sending' mark checks the claim)."""
import queue
import threading
import time
import uuid
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, update

from .. import audit, workflow
from ..audience import unsubscribe
from ..extensions import db
from ..models import Delivery, Mailing, Organisation, utcnow
from . import compose, mailings
from .connection import Connection, RateLimit
from .message import MessageTemplate
from .outcomes import MARK, write_outcomes

OVERDUE_AFTER = timedelta(minutes=15)
CLAIM = 25            # rows claimed per connection at a time
FIRST_WINDOW, FIRST_LIMIT = 100, 50   # ≥ 50 refusals among the first 100: pause
WINDOW, WINDOW_LIMIT = 100, 80        # > 80 refusals among any later 100: pause
WATCH_SECONDS = 0.5   # how often a run looks whether a person paused or cancelled
GATHER_SECONDS = 0.005  # the longest a commit waits for more connections to join it


def stuck_after():
    """How long a claimed or 'sending' row may wait before it counts as abandoned."""
    return timedelta(seconds=float(current_app.config.get("MAIL_STUCK_SECONDS") or 120))


# --- finding work ----------------------------------------------------------------------------

def reconcile_stuck():
    """Rows a dead worker left: 'sending' ones become uncertain (the server may have taken
    them), merely claimed ones are free again. Returns how many rows changed."""
    cutoff = utcnow() - stuck_after()
    changed = db.session.execute(
        update(Delivery).where(Delivery.state == "sending", Delivery.claimed_at < cutoff)
        .values(state="uncertain", claimed_by=None,
                last_error=_("The worker stopped while sending; it may have gone out."))
    ).rowcount
    changed += db.session.execute(
        update(Delivery).where(Delivery.state == "queued", Delivery.claimed_by.is_not(None),
                               Delivery.claimed_at < cutoff)
        .values(claimed_by=None, claimed_at=None)).rowcount
    db.session.commit()
    return changed


def _due_rows(now, stale):
    return and_(Delivery.state == "queued",
                or_(Delivery.claimed_by.is_(None), Delivery.claimed_at < stale),
                or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))


def due_ids(limit=500, now=None):
    """Mailings that are due to start, or sending with rows due (without claiming)."""
    now = now or utcnow()
    starting = select(Mailing.id).where(Mailing.state == "scheduled", Mailing.due_at <= now)
    waiting = (select(Delivery.mailing_id).join(Mailing, Mailing.id == Delivery.mailing_id)
               .where(Mailing.state == "sending", _due_rows(now, utcnow() - stuck_after())))
    ids = set(db.session.execute(starting.limit(limit)).scalars())
    ids |= set(db.session.execute(waiting.distinct().limit(limit)).scalars())
    return sorted(ids)[:limit]


def send_due(now=None, max_seconds=60):
    """Reconcile, then send what is due; returns how many rows were handled."""
    reconcile_stuck()
    handled = 0
    for mailing_id in due_ids(now=now):
        result = send_mailing(mailing_id, now=now, max_seconds=max_seconds)
        handled += result["handled"] if result else 0
    return handled


# --- starting --------------------------------------------------------------------------------

def _start(mailing, now):
    """Whether this run may send: a due scheduled send-out starts (or, long past its time,
    becomes overdue and waits for a person); a sending one goes on if its approval holds."""
    if mailing.state == "scheduled":
        if mailing.due_at > now:
            return False
        late = now - mailing.due_at > OVERDUE_AFTER
        target = "overdue" if late else "sending"
        won = db.session.execute(
            update(Mailing).where(Mailing.id == mailing.id, Mailing.state == "scheduled")
            .values(state=target, started_at=None if late else utcnow())).rowcount
        db.session.commit()
        db.session.refresh(mailing)
        if not won:
            return mailing.state == "sending"
        if late:
            audit.record(None, "mailing.overdue", mailing.document or mailing,
                         organisation_id=mailing.organisation_id, mailing=mailing.id)
            mailings.overdue_notice(mailing)
            db.session.commit()
            return False
    if mailing.state != "sending":
        return False
    try:
        workflow.publish_gate(mailing.document, revision_id=mailing.revision_id)
    except workflow.ApprovalExpired:
        _self_pause(mailing, _("The approval was no longer valid when it was time to send."))
        return False
    return True


def _self_pause(mailing, reason):
    mailing.state, mailing.paused_reason = "paused", reason
    audit.record(None, "mailing.self_paused", mailing.document or mailing,
                 organisation_id=mailing.organisation_id, mailing=mailing.id, reason=reason)
    mailings.self_paused_notice(mailing)
    db.session.commit()


def send_mailing(mailing_id, now=None, max_seconds=None, on_progress=None):
    """Send a mailing's due rows (for at most `max_seconds`, then the next pass goes on);
    None when it was not to be sent now, else {"handled", "sent", "failed", ...}."""
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or not _start(mailing, now or utcnow()):
        return None
    return Run(mailing, now, max_seconds, on_progress).go()


# --- a run ------------------------------------------------------------------------------------

class _Request:
    __slots__ = ("done", "go", "outcome", "row")

    def __init__(self, outcome, row):
        self.outcome, self.row, self.done, self.go = outcome, row, threading.Event(), False


class Run:
    """One worker's pass over a mailing: this thread claims and writes, the connections
    send."""

    def __init__(self, mailing, now, max_seconds, on_progress):
        cfg = current_app.config
        self.app = current_app._get_current_object()
        self.mailing, self.now, self.on_progress = mailing, now, on_progress
        self.deadline = time.monotonic() + max_seconds if max_seconds else None
        self.token = uuid.uuid4().hex
        self.claims = 0
        self.connections = max(1, int(cfg.get("MAIL_CONNECTIONS") or 4))
        self.limit = RateLimit(float(cfg.get("MAIL_RATE") or 0))
        self.smtp = {"host": cfg["SMTP_HOST"], "port": cfg["SMTP_PORT"],
                     "starttls": cfg["SMTP_STARTTLS"], "user": cfg["SMTP_USER"],
                     "password": cfg["SMTP_PASSWORD"]}
        self.envelope_from = _address(cfg["MAIL_FROM"])
        self.template = _template(mailing, cfg["MAIL_FROM"])
        self.work, self.requests = queue.Queue(), queue.Queue()
        self.stop, self.exhausted = threading.Event(), False
        self.pause_reason, self.failure = None, None
        self.tally = {"sent": 0, "failed": 0, "retry": 0, "uncertain": 0, "release": 0}
        self.window = [0, 0]  # outcomes, refusals in the current window
        self.windows = 0
        self._tls = threading.local()
        self.lock, self.failed_connections = threading.Lock(), 0
        self.active = self.connections

    # called from connection threads
    def next_row(self):
        if self.stop.is_set():
            return None
        row = self.work.get()
        return None if self.stop.is_set() else row

    def record(self, outcome, row):
        """Have the outcome and the next row's mark written; True if the row may be sent."""
        if outcome is None and row is None:
            return False
        request = _Request(outcome, row)
        self.requests.put(request)
        request.done.wait()
        return request.go

    def connection_failed(self, exc):
        """A connection gave up; the run stops when none is left."""
        with self.lock:
            self.failure = f"{type(exc).__name__}: {exc}"[:500]
            self.failed_connections += 1
            if self.failed_connections >= self.connections:
                self.stop.set()

    def render(self, row):
        if getattr(self._tls, "context", None) is None:
            self._tls.context = self.app.app_context()
            self._tls.context.push()
        # Every placeholder (greeting, links, a meeting's answer links) as compose fills
        # them, from a snapshot of the mailing (the ORM object belongs to the main thread).
        links = unsubscribe.links(self.snapshot.organisation_id, row[1])
        values = compose.recipient_values(self.snapshot, row[1], row[2] or "", row[6], links)
        return self.template.render(row[1], row[2], row[3], values,
                                    unsubscribe.headers(self.snapshot.organisation_id, row[1],
                                                        links))

    # this thread
    def go(self):
        self.snapshot = SimpleNamespace(organisation_id=self.mailing.organisation_id,
                                        kind=self.mailing.kind,
                                        document_id=self.mailing.document_id)
        if not self.smtp["host"]:
            current_app.logger.warning("mailing %s: no COMMSDESK_SMTP_HOST", self.mailing.id)
            return {"handled": 0, **self.tally}
        threads = [threading.Thread(target=Connection(self, self.smtp).loop, daemon=True,
                                    name=f"mailing-{self.mailing.id}-{n}")
                   for n in range(self.connections)]
        self._refill()
        for thread in threads:
            thread.start()
        watched = time.monotonic()
        while any(t.is_alive() for t in threads) or not self.requests.empty():
            self._write(self._gather())
            self._refill()
            if time.monotonic() - watched > WATCH_SECONDS:
                watched = time.monotonic()
                self._watch()
        for thread in threads:
            thread.join()
        return self._end()

    def _gather(self):
        """The requests for the next commit: after the first, wait a moment for the other
        connections (a commit costs about the same for one row as for all of them)."""
        try:
            batch = [self.requests.get(timeout=0.05)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + GATHER_SECONDS
        while len(batch) < self.active:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self.requests.get(timeout=remaining) if remaining > 0
                             else self.requests.get_nowait())
            except queue.Empty:
                break
        return batch

    def connection_done(self):
        with self.lock:
            self.active -= 1

    def _refill(self):
        if self.exhausted:
            return
        if self.stop.is_set():
            self._finish_work()
            return
        if self.deadline and time.monotonic() > self.deadline:
            self._finish_work()
            return
        if self.work.qsize() >= self.connections * 5:
            return
        rows = self._claim(self.connections * CLAIM)
        if not rows:
            self._finish_work()
        for row in rows:
            self.work.put(row)

    def _finish_work(self):
        self.exhausted = True
        for _n in range(self.connections):
            self.work.put(None)

    def _claim(self, size):
        """Claim up to `size` due rows with a fresh claim token; the claimed rows."""
        self.claims += 1
        claim = f"{self.token}:{self.claims}"
        now, stamp = self.now or utcnow(), utcnow()
        due = _due_rows(now, stamp - stuck_after())
        pick = select(Delivery.id).where(Delivery.mailing_id == self.mailing.id, due) \
            .order_by(Delivery.id).limit(size)
        if db.engine.dialect.name == "postgresql":
            pick = pick.with_for_update(skip_locked=True)
        # The ids first, then the UPDATE (a LIMIT ... SKIP LOCKED subquery inside the UPDATE
        # may be run more than once by PostgreSQL and claim more than `size`); the UPDATE
        # checks again that each row is free, so on SQLite too only one claim wins a row.
        ids = db.session.execute(pick).scalars().all()
        if not ids:
            db.session.commit()
            return []
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids), due)
                           .values(claimed_by=claim, claimed_at=stamp)
                           .execution_options(synchronize_session=False))
        rows = db.session.execute(
            select(Delivery.id, Delivery.email, Delivery.name, Delivery.message_id,
                   Delivery.attempts, Delivery.member_id).where(Delivery.claimed_by == claim,
                                                                Delivery.state == "queued")
            .order_by(Delivery.id)).all()
        db.session.commit()
        # (id, email, name, message_id, attempts, claim, member_id)
        return [(*r[:5], claim, r[5]) for r in rows]

    def _write(self, batch):
        """One commit: the outcomes of these requests, and their next rows marked sending."""
        if not batch:
            return
        stamp = utcnow()
        write_outcomes([r.outcome for r in batch if r.outcome is not None], stamp)
        for request in batch:
            if request.outcome is not None:
                self._count(request.outcome)
            if request.row is not None and not self.stop.is_set():
                request.go = db.session.execute(MARK, {
                    "id": request.row[0], "claim": request.row[5], "at": stamp}).rowcount == 1
        db.session.commit()
        for request in batch:
            request.done.set()
        if self.on_progress is not None:
            self.on_progress(sum(1 for r in batch if r.outcome is not None))

    def _count(self, outcome):
        self.tally[outcome.state] += 1
        self.window[0] += 1
        if outcome.state in ("failed", "retry"):
            self.window[1] += 1
            self.last_refusal = outcome.error
        size, limit = (FIRST_WINDOW, FIRST_LIMIT) if not self.windows else (WINDOW, WINDOW_LIMIT)
        over = self.window[1] >= limit if not self.windows else self.window[1] > limit
        if over and self.pause_reason is None:
            self.pause_reason = _("The server refused most messages: %(error)s",
                                  error=self.last_refusal)
            self.stop.set()
        if self.window[0] >= size:
            self.window, self.windows = [0, 0], self.windows + 1

    def _watch(self):
        state = db.session.execute(select(Mailing.state).where(Mailing.id == self.mailing.id)
                                   ).scalar()
        db.session.commit()
        if state != "sending":
            self.stop.set()

    def _end(self):
        """Free what was claimed but not sent, pause if the server refused most, finish when
        every row is settled."""
        db.session.execute(
            update(Delivery).where(Delivery.mailing_id == self.mailing.id,
                                   Delivery.state == "queued",
                                   Delivery.claimed_by.like(f"{self.token}:%"))
            .values(claimed_by=None, claimed_at=None)
            .execution_options(synchronize_session=False))
        db.session.commit()
        db.session.refresh(self.mailing)
        if self.pause_reason and self.mailing.state == "sending":
            _self_pause(self.mailing, self.pause_reason)
        elif self.failure:
            current_app.logger.warning("mailing %s: %s", self.mailing.id, self.failure)
        if mailings.maybe_finish(self.mailing):
            db.session.commit()
        return {"handled": sum(self.tally.values()), **self.tally}


def _address(mail_from):
    from email.utils import parseaddr

    return parseaddr(mail_from)[1] or mail_from


def _template(mailing, mail_from):
    """The message built once for the whole send-out."""
    from email.utils import formataddr, parseaddr

    from ..audience import settings

    mail = settings.get(db.session.get(Organisation, mailing.organisation_id))
    sender = formataddr((mail.from_name, parseaddr(mail_from)[1] or mail_from))
    return MessageTemplate(mailing.subject, mailing.text_template, mailing.html_template,
                           sender, mail.reply_to or None, mailing.attachments or ())
