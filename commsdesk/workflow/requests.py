"""Review requests: who was asked to review a document, by when, and what is overdue."""
from flask_babel import gettext as _
from sqlalchemy import select, update

from ..errors import ValidationError
from ..extensions import db
from ..models import AuditEntry, Document, ReviewRequest, User, utcnow

# Audit actions that record the full set of reviewers asked (data["reviewer_ids"]).
REVIEWER_SET_ACTIONS = ("workflow.submit", "workflow.reviewers_changed")


def close_requests(doc, user):
    """Close the open requests that asked this user to review the document."""
    db.session.execute(
        update(ReviewRequest).where(ReviewRequest.document_id == doc.id,
                                    ReviewRequest.reviewer_id == user.id,
                                    ReviewRequest.closed_at.is_(None))
        .values(closed_at=utcnow())
    )


# --- a review round: asking, recalling, asking the same people again ----------------------

def ask(doc, requested_by, reviewers, due_at):
    """Open a review request for each reviewer (the caller audits, notifies and commits)."""
    for reviewer in reviewers:
        db.session.add(ReviewRequest(document_id=doc.id, requested_by_id=requested_by.id,
                                     reviewer_id=reviewer.id, due_at=due_at))


def close_all_requests(doc):
    """Close every open request of the document; returns the reviewers who were asked."""
    open_ = open_requests_for(doc)
    now = utcnow()
    for request in open_:
        request.closed_at = now
    return [request.reviewer for request in open_]


def refuse_past_due(due_at):
    """A review cannot be due before it is asked for."""
    if due_at is not None and due_at <= utcnow():
        raise ValidationError(_("The review's due time must be in the future."), field="due_at")


def previous_reviewers(doc):
    """The active users of the document's organisation who were asked in its latest review
    round (at submission, or as changed while it ran); empty if never submitted."""
    data = db.session.execute(
        select(AuditEntry.data).where(AuditEntry.object_type == "document",
                                      AuditEntry.object_id == doc.id,
                                      AuditEntry.action.in_(REVIEWER_SET_ACTIONS))
        .order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    ids = [i for i in (data or {}).get("reviewer_ids") or [] if isinstance(i, int)]
    if not ids:
        return []
    return db.session.execute(
        select(User).where(User.id.in_(ids), User.organisation_id == doc.organisation_id,
                           User.active.is_(True)).order_by(User.name)
    ).scalars().all()


def possible_reviewers(doc, asking):
    """Active users of the document's organisation whom `asking` could ask to review."""
    return db.session.execute(
        select(User).where(User.organisation_id == doc.organisation_id, User.active.is_(True),
                           User.id != asking.id)
        .order_by(User.name)
    ).scalars().all()


def open_requests_for(doc):
    """Open review requests of a document."""
    return db.session.execute(
        select(ReviewRequest).where(ReviewRequest.document_id == doc.id,
                                    ReviewRequest.closed_at.is_(None))
        .order_by(ReviewRequest.id)
    ).scalars().all()


def open_review_requests(user):
    """Open review requests addressed to the user, soonest due first."""
    return db.session.execute(
        select(ReviewRequest).where(ReviewRequest.reviewer_id == user.id,
                                    ReviewRequest.closed_at.is_(None))
        .order_by(ReviewRequest.due_at.is_(None), ReviewRequest.due_at)
    ).scalars().all()


def overdue_reviews(user):
    """Open review requests of the user's organisation whose due time has passed."""
    return db.session.execute(
        select(ReviewRequest).join(Document, Document.id == ReviewRequest.document_id)
        .where(Document.organisation_id == user.organisation_id,
               ReviewRequest.closed_at.is_(None), ReviewRequest.due_at < utcnow())
        .order_by(ReviewRequest.due_at)
    ).scalars().all()
