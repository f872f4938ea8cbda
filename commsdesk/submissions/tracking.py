"""What became of an offer: the desk accepted or refused it, it was published (on a date, at
an address), or the office withdrew it (the desk is told by email). One function per change,
each checking the current state, auditing and committing; and the reply-deadline reminder the
clock sends the secretary once when an offer goes unanswered."""
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from .. import audit, notifications
from ..access import get_or_404
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import OPEN_SUBMISSION_STATES, Submission, utcnow
from ..validation import text_field
from . import letters
from .offers import parse_reply_by, require_submit

# action: (states it may start from, the state it leads to)
TRANSITIONS = {
    "accept": (("offered",), "accepted"),
    "refuse": (OPEN_SUBMISSION_STATES, "refused"),
    "publish": (OPEN_SUBMISSION_STATES, "published"),
    "withdraw": (OPEN_SUBMISSION_STATES, "withdrawn"),
}
STATE_LABELS = {
    "offered": _l("Offered"), "accepted": _l("Accepted"), "refused": _l("Refused"),
    "published": _l("Published"), "withdrawn": _l("Withdrawn"),
}
MAX_URL = 1000


def for_document(doc):
    """The document's submissions, newest first."""
    return db.session.execute(
        select(Submission).where(Submission.document_id == doc.id)
        .options(selectinload(Submission.outlet), selectinload(Submission.revision),
                 selectinload(Submission.created_by))
        .order_by(Submission.offered_at.desc(), Submission.id.desc())).scalars().all()


def get_submission(doc, submission_id):
    """One of the document's submissions (the caller has checked the document is visible)."""
    return get_or_404(Submission, submission_id, Submission.document_id == doc.id,
                      message=_("No such submission."))


def newest_published(doc):
    """The submission the text was most recently published through, or None."""
    return db.session.execute(
        select(Submission).where(Submission.document_id == doc.id,
                                 Submission.state == "published")
        .order_by(Submission.published_on.desc(), Submission.decided_at.desc(),
                  Submission.id.desc()).limit(1)).scalar_one_or_none()


def is_overdue(submission, now=None):
    """An offer still unanswered after its reply deadline."""
    return submission.state == "offered" and submission.reply_by <= (now or utcnow())


def allowed_actions(user, doc, submission):
    """The state changes the user may make to this submission now."""
    from .offers import can_submit

    if not can_submit(user, doc):
        return []
    return [a for a, (sources, _target) in TRANSITIONS.items() if submission.state in sources]


def _move(user, doc, submission, action, **data):
    require_submit(user, doc)
    sources, target = TRANSITIONS[action]
    if submission.state not in sources:
        raise Conflict(_("This submission is %(state)s: it cannot be marked %(target)s now.",
                         state=str(STATE_LABELS[submission.state]).lower(),
                         target=str(STATE_LABELS[target]).lower()), state=submission.state)
    before = submission.state
    submission.state = target
    submission.decided_at = utcnow()
    audit.record(user, f"submission.{target}", submission, document_id=doc.id,
                 outlet=submission.outlet.name, before=before, after=target, **data)
    return submission


def accept(user, doc, submission):
    """The desk will publish it."""
    _move(user, doc, submission, "accept")
    db.session.commit()
    return submission


def refuse(user, doc, submission):
    """The desk said no: the text is free to be offered elsewhere."""
    _move(user, doc, submission, "refuse")
    db.session.commit()
    return submission


def _published_on(value):
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError(_("Give the date it was published, like 2026-12-01."),
                              field="published_on") from None


def _web_address(value):
    url = text_field(value, MAX_URL, _("Link"), "published_url", single_line=True)
    parts = urlsplit(url)
    if url and (parts.scheme.lower() not in ("http", "https") or not parts.hostname):
        raise ValidationError(_("The link must be a web address starting with https:// "
                                "or http://."), field="published_url")
    return url or None


def publish(user, doc, submission, published_on, published_url=""):
    """The outlet published it, on a date and (if online) at an address."""
    day, url = _published_on(published_on), _web_address(published_url)
    _move(user, doc, submission, "publish", published_on=day.isoformat(), published_url=url)
    submission.published_on, submission.published_url = day, url
    db.session.commit()
    return submission


def withdraw(user, doc, submission):
    """Take the offer back; the desk receives a short note saying so."""
    _move(user, doc, submission, "withdraw")
    letters.queue_withdrawal(user, submission)
    db.session.commit()
    return submission


def set_reply_by(user, doc, submission, reply_by):
    """Change an open offer's reply deadline (the reminder is sent again for a new one)."""
    require_submit(user, doc)
    if submission.state not in OPEN_SUBMISSION_STATES:
        raise Conflict(_("Only an open offer has a reply deadline to change."),
                       state=submission.state)
    due = parse_reply_by(doc, reply_by, submission.offered_at)
    before, submission.reply_by, submission.reminded_at = submission.reply_by, due, None
    audit.record(user, "submission.reply_by_changed", submission, document_id=doc.id,
                 outlet=submission.outlet.name, before=before.isoformat(),
                 after=due.isoformat())
    db.session.commit()
    return submission


# --- the reply-deadline reminder ---------------------------------------------------------

def _due(now):
    return (Submission.state == "offered", Submission.reply_by <= now,
            Submission.reminded_at.is_(None))


def reminders_waiting(now=None):
    """Whether any unanswered offer has passed its reply deadline without a reminder."""
    return db.session.execute(
        select(Submission.id).where(*_due(now or utcnow())).limit(1)).first() is not None


def remind_due(now=None, limit=200):
    """Tell each overdue offer's secretary once (the row is claimed first, so two clocks
    never remind twice); returns how many were reminded."""
    now = now or utcnow()
    ids = db.session.execute(select(Submission.id).where(*_due(now))
                             .order_by(Submission.reply_by).limit(limit)).scalars().all()
    count = 0
    for row_id in ids:
        claimed = db.session.execute(
            update(Submission).where(Submission.id == row_id, *_due(now))
            .values(reminded_at=now)).rowcount == 1
        if not claimed:
            db.session.rollback()
            continue
        row = db.session.get(Submission, row_id)
        notifications.notify("submission_reply_due", row.document, None,
                             [row.created_by or row.document.owner], outlet=row.outlet.name,
                             due_at=row.reply_by)
        db.session.commit()
        count += 1
    return count
