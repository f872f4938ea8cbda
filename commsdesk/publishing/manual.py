"""Publications posted by hand (channels/manual.py): at its time the worker hands the row to
the person responsible instead of sending it. The row waits ('waiting', still open, so the
text stays scheduled), the person is told and sees it in their to-do, copies the text and
images from the copy page and marks it posted (with its address) or not posted (with the
reason). The document's state then follows its rows as for any channel."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, notifications, workflow
from ..access import ADMIN, EDITOR, get_or_404
from ..errors import Conflict, NotFound, ValidationError
from ..extensions import db
from ..models import Publication, User, utcnow
from ..validation import text_field

MANAGERS = (ADMIN, EDITOR)
MAX_URL = 1000
MAX_REASON = 1000


def _may_post(user, organisation_id):
    return user is not None and user.active and user.organisation_id == organisation_id \
        and user.role in MANAGERS


def responsible(channel):
    """Who posts on this channel: the chosen person, else the channel's owner, while they
    are one of the organisation's editors or admins; else None (all of them)."""
    chosen = (channel.settings or {}).get("responsible_id")
    for user in (db.session.get(User, int(chosen)) if str(chosen or "").isdigit() else None,
                 channel.owner):
        if _may_post(user, channel.organisation_id):
            return user
    return None


def told(channel):
    """The people told when a row of the channel is due."""
    person = responsible(channel)
    if person is not None:
        return [person]
    return notifications.recipients_in(channel.organisation_id, set(MANAGERS))


def hand_over(row):
    """The row is due on a channel posted by hand: it waits for its person, who is told."""
    person = responsible(row.channel)
    row.state = "waiting"
    row.last_error = None
    row.progress = {**(row.progress or {}), "responsible_id": person.id if person else None}
    audit.record(None, "publication.waiting", row.document, publication=row.id,
                 channel=row.channel.name, responsible=person.name if person else None)
    notifications.notify("manual_post_due", row.document, None, told(row.channel),
                         channels=row.channel.name, publication_id=row.id)
    db.session.commit()


def is_for(user, row):
    """Whether the waiting row is this user's to post (theirs, or nobody's in particular)."""
    assigned = (row.progress or {}).get("responsible_id")
    return _may_post(user, row.organisation_id) and assigned in (None, user.id)


def waiting_for(user):
    """The waiting rows the user is to post, soonest due first."""
    if user.organisation_id is None or user.role not in MANAGERS:
        return []
    rows = db.session.execute(
        select(Publication).where(Publication.organisation_id == user.organisation_id,
                                  Publication.state == "waiting")
        .options(selectinload(Publication.document), selectinload(Publication.channel))
        .order_by(Publication.due_at, Publication.id)).scalars().all()
    return [row for row in rows if is_for(user, row)]


def get_by_hand(user, publication_id):
    """A row of a by-hand channel that the user's organisation owns and the user (an editor
    or admin) may post; NotFound for anyone else."""
    from ..channels.manual import ManualAdapter

    row = get_or_404(Publication, publication_id,
                     Publication.organisation_id == user.organisation_id,
                     message=_("No such publication."))
    if row.channel.type != ManualAdapter.type or not _may_post(user, row.organisation_id):
        raise NotFound(_("No such publication."))
    return row


def _require_waiting(row):
    if row.state != "waiting":
        raise Conflict(_("This publication is no longer waiting to be posted."),
                       state=row.state)


def mark_posted(user, row, url=""):
    """The person posted it: sent, with the post's address when given (http or https)."""
    _require_waiting(row)
    url = text_field(url, MAX_URL, _("Address of the post"), "url", single_line=True)
    if url and not url.startswith(("https://", "http://")):
        raise ValidationError(_("Give the post's address starting with https://."), field="url")
    row.state = "sent"
    row.sent_at = utcnow()
    row.url = url or None
    row.last_error = None
    audit.record(user, "publication.posted_by_hand", row.document, publication=row.id,
                 channel=row.channel.name, url=row.url, content_hash=row.content_hash)
    workflow.follow_publications(row.document)
    db.session.commit()
    return row


def mark_not_posted(user, row, reason):
    """The person could not post it: failed, with their reason (it can be retried)."""
    _require_waiting(row)
    reason = text_field(reason, MAX_REASON, _("Reason"), "reason", required=True)
    row.state = "failed"
    row.last_error = reason
    audit.record(user, "publication.not_posted", row.document, publication=row.id,
                 channel=row.channel.name, error=reason)
    workflow.follow_publications(row.document)
    db.session.commit()
    return row
