"""The bounce mailbox: the worker reads new (unseen) messages over IMAP every
BOUNCE_POLL_SECONDS when COMMSDESK_BOUNCE_IMAP_HOST is set, records each delivery status
notification (audience.bounces) and marks the message seen, so each is read once."""
import imaplib
import threading
import time

from flask import current_app

from . import bounces

_lock = threading.Lock()
_last_poll = None  # monotonic time this process last polled (or let a job poll)


def configured():
    """Whether a bounce mailbox is configured."""
    return bool(current_app.config.get("BOUNCE_IMAP_HOST"))


def due(claim=True):
    """Whether a poll is due now; with `claim` the slot is taken (the clock enqueues one
    job per interval, the embedded worker polls once)."""
    global _last_poll
    if not configured():
        return False
    interval = current_app.config.get("BOUNCE_POLL_SECONDS", 300)
    with _lock:
        now = time.monotonic()
        if _last_poll is not None and now - _last_poll < interval:
            return False
        if claim:
            _last_poll = now
        return True


def forget():
    """Forget the last poll (tests; a changed configuration)."""
    global _last_poll
    with _lock:
        _last_poll = None


def _connect(config):
    host, port = config["BOUNCE_IMAP_HOST"], config["BOUNCE_IMAP_PORT"]
    timeout = config.get("BOUNCE_IMAP_TIMEOUT", 30)
    if config.get("BOUNCE_IMAP_SSL", True):
        return imaplib.IMAP4_SSL(host, port, timeout=timeout)
    return imaplib.IMAP4(host, port, timeout=timeout)


def poll():
    """Read every unseen message of the mailbox once: record its bounces, mark it seen.
    Returns how many recipients' bounces were recorded (an unreachable mailbox is logged
    and tried again at the next interval; it never stops the worker's other work)."""
    if not configured():
        return 0
    try:
        return _poll(current_app.config)
    except (OSError, imaplib.IMAP4.error) as exc:
        current_app.logger.warning("bounce mailbox not read: %s", exc)
        return 0


def _poll(config):
    recorded = 0
    imap = _connect(config)
    try:
        imap.login(config["BOUNCE_IMAP_USER"] or "", config["BOUNCE_IMAP_PASSWORD"] or "")
        imap.select(config.get("BOUNCE_IMAP_FOLDER") or "INBOX")
        status, data = imap.uid("SEARCH", None, "UNSEEN")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids:
            recorded += _read_one(imap, uid)
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass
    return recorded


def _read_one(imap, uid):
    status, data = imap.uid("FETCH", uid, "(RFC822)")
    raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
    count = 0
    if status == "OK" and raw:
        for report in bounces.parse_dsn(raw):
            if bounces.record_report(report) not in (None, "repeat"):
                count += 1
    # Recorded (and committed) first, marked seen after: a crash in between reads the
    # message again, and a repeated report counts once.
    imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return count
