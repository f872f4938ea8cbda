"""What a person does with one publication: retry it, cancel it, or confirm that an
uncertain attempt did go out. Each checks permission, changes, audits; the caller's request
ends with the commit done here. `user` None is the system acting (an operator at the command
line): no permission check, and the audit entry has no actor."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import audit, workflow
from ..access import can_act_on_publication, get_or_404
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..models import Publication, utcnow
from ..validation import text_field
from .labels import PUBLICATION_STATE_LABELS

RETRYABLE = ("failed", "uncertain")
CANCELLABLE = ("queued", "waiting", "failed", "uncertain", "held")


def for_document(doc):
    """Every publication of a document, newest first, with its channel."""
    return db.session.execute(
        select(Publication).where(Publication.document_id == doc.id)
        .options(selectinload(Publication.channel))
        .order_by(Publication.id.desc())
    ).scalars().all()


def find(state=None, organisation_id=None, limit=200):
    """Publications of every organisation (or one), in one state or all, newest first:
    for operators, who see across organisations."""
    query = select(Publication).options(selectinload(Publication.channel),
                                        selectinload(Publication.document))
    if state:
        query = query.where(Publication.state == state)
    if organisation_id is not None:
        query = query.where(Publication.organisation_id == organisation_id)
    return db.session.execute(query.order_by(Publication.id.desc()).limit(limit)).scalars().all()


def get_any(publication_id):
    """A publication by id, for operators (no visibility check), else NotFound."""
    return get_or_404(Publication, publication_id, message=_("No such publication."))


def _require(user, row, states, action):
    if user is not None and not can_act_on_publication(user, row):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if row.state not in states:
        raise Conflict(_("This publication is “%(state)s”; it cannot be %(action)s.",
                         state=state_label(row.state), action=action), state=row.state)


def retry(user, row):
    """Queue a failed or uncertain row again, due now. For an uncertain row the person has
    checked that it did not go out."""
    _require(user, row, RETRYABLE, _("retried"))
    before = row.state
    row.state = "queued"
    row.due_at = utcnow()
    audit.record(user, "publication.retried", row.document, publication=row.id,
                 channel=row.channel.name, before=before)
    _reopen_document(user, row.document, row.organisation_id)
    db.session.commit()
    return row


def cancel(user, row):
    """Cancel a row that has not gone out."""
    _require(user, row, CANCELLABLE, _("cancelled"))
    before = row.state
    row.state = "cancelled"
    row.last_error = "cancelled by a person"
    audit.record(user, "publication.cancelled", row.document, publication=row.id,
                 channel=row.channel.name, before=before)
    workflow.follow_publications(row.document)
    db.session.commit()
    return row


def confirm_sent(user, row, url=""):
    """A person checked that an uncertain attempt did go out (optionally where)."""
    _require(user, row, ("uncertain",), _("confirmed"))
    row.state = "sent"
    row.sent_at = utcnow()
    row.url = text_field(url, 1000, _("Address"), "url") or row.url
    audit.record(user, "publication.confirmed", row.document, publication=row.id,
                 channel=row.channel.name, url=row.url)
    workflow.follow_publications(row.document)
    db.session.commit()
    return row


def _reopen_document(user, doc, row_org):
    """A retried row of the owning organisation puts a partly published or failed document
    back to waiting (a partner's row of a joint text does not decide the document's state)."""
    if row_org != doc.organisation_id:
        return
    if doc.state in (workflow.PARTLY_PUBLISHED, workflow.PUBLISH_FAILED):
        workflow.publications_retried(user, doc)


def state_label(state):
    return PUBLICATION_STATE_LABELS.get(state, state)
