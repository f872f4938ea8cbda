"""Review requests: who was asked to review a document, by when, and what is overdue."""
from sqlalchemy import select, update

from ..extensions import db
from ..models import Document, ReviewRequest, User, utcnow


def close_requests(doc, user):
    """Close the open requests that asked this user to review the document."""
    db.session.execute(
        update(ReviewRequest).where(ReviewRequest.document_id == doc.id,
                                    ReviewRequest.reviewer_id == user.id,
                                    ReviewRequest.closed_at.is_(None))
        .values(closed_at=utcnow())
    )


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
