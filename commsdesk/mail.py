"""Email through the outbox: queue a row now, the worker sends it and records the outcome."""
import smtplib
import sys
import uuid
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select, update

from .extensions import db
from .models import OutgoingEmail, utcnow

MAX_ATTEMPTS = 5
STUCK_AFTER = timedelta(minutes=10)


def queue(to_address, subject, text_body, html_body=None, organisation_id=None):
    """Add an email to the outbox in the current transaction (the caller commits)."""
    domain = current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip(">") or "commsdesk.local"
    row = OutgoingEmail(
        to_address=to_address, subject=subject, text_body=text_body, html_body=html_body,
        organisation_id=organisation_id,
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
    )
    db.session.add(row)
    return row


def _claim(row_id):
    """Atomically move a queued row to 'sending'; False if another worker has it."""
    result = db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.id == row_id, OutgoingEmail.state == "queued")
        .values(state="sending", claimed_at=utcnow(), attempts=OutgoingEmail.attempts + 1)
    )
    db.session.commit()
    return result.rowcount == 1


def _message(row):
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = row.to_address
    msg["Subject"] = row.subject
    msg["Message-ID"] = row.message_id
    msg.set_content(row.text_body)
    if row.html_body:
        msg.add_alternative(row.html_body, subtype="html")
    return msg


def _transmit(msg):
    cfg = current_app.config
    if not cfg["SMTP_HOST"]:
        print(f"--- email (no COMMSDESK_SMTP_HOST set) ---\n{msg}\n--- end ---",
              file=sys.stdout, flush=True)
        return
    with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
        if cfg["SMTP_STARTTLS"]:
            smtp.starttls()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)


def _finish(row, state, error=None, retry=False):
    row.last_error = error
    if retry and row.attempts < MAX_ATTEMPTS:
        row.state = "queued"
        row.due_at = utcnow() + timedelta(seconds=30 * 2 ** row.attempts)
    else:
        row.state = state
        if state == "sent":
            row.sent_at = utcnow()
    db.session.commit()


def send_one(row_id):
    """Claim one email and send it; safe to call twice or from two workers."""
    if not _claim(row_id):
        return None
    row = db.session.get(OutgoingEmail, row_id)
    try:
        _transmit(_message(row))
    except smtplib.SMTPRecipientsRefused as exc:
        _finish(row, "failed", f"recipient refused: {exc.recipients!r}")
    except smtplib.SMTPResponseException as exc:
        permanent = 500 <= exc.smtp_code < 600
        _finish(row, "failed", f"{exc.smtp_code} {exc.smtp_error!r}", retry=not permanent)
    except (smtplib.SMTPConnectError, ConnectionRefusedError, smtplib.SMTPHeloError) as exc:
        _finish(row, "failed", str(exc), retry=True)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        # The server may or may not have taken the message: do not send it blindly again.
        _finish(row, "uncertain", str(exc))
    else:
        _finish(row, "sent")
    return row.state


def reconcile_stuck():
    """Rows left in 'sending' by a crashed worker become 'uncertain' for a person to check."""
    db.session.execute(
        update(OutgoingEmail)
        .where(OutgoingEmail.state == "sending", OutgoingEmail.claimed_at < utcnow() - STUCK_AFTER)
        .values(state="uncertain", last_error="worker stopped while sending")
    )
    db.session.commit()


def due_ids(limit=50):
    """The ids of queued emails that are due, oldest first (not claimed)."""
    return db.session.execute(
        select(OutgoingEmail.id)
        .where(OutgoingEmail.state == "queued", OutgoingEmail.due_at <= utcnow())
        .order_by(OutgoingEmail.id).limit(limit)
    ).scalars().all()


def send_due(limit=50):
    """Send every queued email that is due; returns how many were handled."""
    reconcile_stuck()
    return sum(1 for row_id in due_ids(limit) if send_one(row_id) is not None)
