"""What people see of the outbox: which publications a user may see, a document's
publications, the organisation's outbox page by page, and what a user may do with a row.

The owning organisation sees every row of its documents; a partner the document is shared
with sees only what went out (sent rows), read-only. Only the owning organisation's staff
act on rows (publishing.actions checks that again)."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from .. import channels as channel_registry
from ..access import (
    STAFF,
    can_act_on_publication,
    can_publish,
    get_or_404,
    shared_with,
)
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..models import PUBLICATION_STATES, Channel, Publication, utcnow
from .actions import CANCELLABLE, RETRYABLE, for_document

# What needs a person first on the outbox page, then what waits, then what went out.
NEEDS_PERSON = ("waiting", "failed", "uncertain", "held")
WAITING = ("queued", "sending")
# The outbox page shows sent rows this recent unless asked for sent ones.
RECENT = timedelta(days=30)
PER_PAGE = 25


def visible_publications(user):
    """A select of the publications this user may see: every row of their organisation's
    documents, and the sent rows of documents shared with their organisation."""
    return select(Publication).where(or_(
        Publication.organisation_id == user.organisation_id,
        and_(Publication.state == "sent",
             Publication.document_id.in_(shared_with(user.organisation_id)))))


def get_publication(user, publication_id):
    """A publication the user may see; NotFound otherwise (also for a partner asking for a
    row that has not gone out)."""
    visible = visible_publications(user).whereclause
    return get_or_404(Publication, publication_id, visible, message=_("No such publication."))


def document_publications(user, doc):
    """The document's publications this user may see, newest first (the caller has checked
    that the user sees the document): its own organisation's rows, and for a partner the
    owner's rows that went out. Every party's plan of a joint text is on its joint release."""
    return [row for row in for_document(doc)
            if row.organisation_id == user.organisation_id
            or (row.state == "sent" and row.organisation_id == doc.organisation_id)]


def can_act(user, doc):
    """Whether the user acts on the document's publications (the owning organisation's
    staff)."""
    return can_publish(user, doc)


def allowed_actions(user, row):
    """What this user may do with the row now: retry, cancel, confirm."""
    if not can_act_on_publication(user, row):
        return []
    allowed = []
    if row.state in RETRYABLE:
        allowed.append("retry")
    if row.state in CANCELLABLE:
        allowed.append("cancel")
    if row.state == "uncertain":
        allowed.append("confirm")
    if row.withdraw_state == "failed":
        allowed.append("retry_withdrawal")
    return allowed


def going_out_now(rows, now=None):
    """Whether a worker is about to send some of these rows (due now, or being sent)."""
    now = now or utcnow()
    return any(r.state == "sending" or (r.state == "queued" and r.due_at <= now) for r in rows)


def offered_channels(doc):
    """The channels a publish or schedule form offers. The newsroom channel is created on
    first use; it is committed at once, so that the id the form carries still names it when
    the form comes back."""
    had_newsroom = db.session.execute(
        select(Channel.id).where(Channel.organisation_id == doc.organisation_id,
                                 Channel.type == "website").limit(1)).first()
    offered = channel_registry.channels_for(doc)
    if had_newsroom is None:
        db.session.commit()
    return offered


def channel_choice(doc, ids):
    """The channel ids a person chose, for workflow.publish/schedule: None (every channel)
    when nothing was offered; an empty choice for a kind that has channels is refused,
    because publishing on no channel would only mark the text as published."""
    if ids is None:
        return None
    if not ids and channel_registry.channels_for(doc):
        raise ValidationError(_("Choose at least one channel."), field="channels")
    return list(ids)


# --- the organisation's outbox ----------------------------------------------------------

def require_outbox(user):
    """The outbox is for the organisation's staff; a contributor is refused."""
    if user.organisation_id is None or user.role not in STAFF:
        raise Forbidden(_("Only editors, approvers and admins see the outbox."))


def organisation_channels(user):
    """The user's organisation's channels, for the filter."""
    return db.session.execute(
        select(Channel).where(Channel.organisation_id == user.organisation_id)
        .order_by(Channel.id)).scalars().all()


def check_state(state):
    """A publication state from a filter, or a clear 422."""
    if state and state not in PUBLICATION_STATES:
        raise ValidationError(_("Unknown state %(state)s; use one of %(states)s.", state=state,
                                states=", ".join(PUBLICATION_STATES)), field="state")
    return state or None


def _filtered(user, state=None, channel_id=None, document_id=None, now=None):
    query = select(Publication).where(Publication.organisation_id == user.organisation_id)
    if state:
        query = query.where(Publication.state == state)
    else:  # the default view: open, needing a person, or recently sent
        query = query.where(or_(
            Publication.state.in_(NEEDS_PERSON + WAITING),
            and_(Publication.state == "sent", Publication.sent_at >= (now or utcnow()) - RECENT)))
    if channel_id:
        query = query.where(Publication.channel_id == channel_id)
    if document_id:
        query = query.where(Publication.document_id == document_id)
    return query


def outbox(user, state=None, channel_id=None, document_id=None, page=1, per_page=PER_PAGE):
    """A page of the organisation's outbox and the number of rows: what needs a person
    first, then what waits (soonest first), then what went out (newest first)."""
    require_outbox(user)
    query = _filtered(user, check_state(state), channel_id, document_id)
    total = db.session.execute(
        query.with_only_columns(func.count(Publication.id)).order_by(None)).scalar_one()
    priority = case((Publication.state.in_(NEEDS_PERSON), 0),
                    (Publication.withdraw_state == "failed", 0),
                    (Publication.state.in_(WAITING), 1), else_=2)
    rows = db.session.execute(
        query.options(selectinload(Publication.document), selectinload(Publication.channel),
                      selectinload(Publication.revision))
        .order_by(priority, case((Publication.state != "sent", Publication.due_at)),
                  Publication.sent_at.desc(), Publication.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    return rows, total


def outbox_counts(user):
    """How many of the organisation's rows are in each state."""
    require_outbox(user)
    return dict(db.session.execute(
        select(Publication.state, func.count(Publication.id))
        .where(Publication.organisation_id == user.organisation_id)
        .group_by(Publication.state)).all())
