"""Review requests: who was asked to review a document, by when, what is overdue, and what
waits for a user's review."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update

from ..access import visible_to
from ..errors import ValidationError
from ..extensions import db
from ..models import Approval, AuditEntry, Document, ReviewRequest, Revision, User, utcnow
from .policy import policy

# transitions.IN_REVIEW (transitions imports this module, so not from there).
IN_REVIEW = "in_review"
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


# --- waiting for my review --------------------------------------------------------------

@dataclass(frozen=True)
class WaitingReview:
    """A document in review that waits for one user's decision."""

    document: Document
    request: ReviewRequest | None  # the open request that asks this user, if any
    approved_revision_id: int | None  # the newest revision they approved, now stale
    due_at: datetime | None  # their request's, else the review's (_review_due), else deadline


def waiting_for_review(user):
    """What waits for the user's review, soonest due first: documents in review that the
    user's organisation has not approved in their current revision, and that either ask the
    user (an open review request), or carry the user's approval of an earlier revision (it
    went stale), or are shared with the user's organisation, when its policy lets the user
    approve that kind. A partner's approvers have no review request from the owner; this is
    how the text reaches their list."""
    # In SQL what can be: a request of mine, an approval of mine, or a partner's text (whose
    # kind the policy below decides); the organisation's other texts in review are not mine.
    concerns_me = or_(
        select(ReviewRequest.id).where(ReviewRequest.document_id == Document.id,
                                       ReviewRequest.reviewer_id == user.id,
                                       ReviewRequest.closed_at.is_(None)).exists(),
        select(Approval.id).where(Approval.document_id == Document.id,
                                  Approval.user_id == user.id).exists(),
        Document.organisation_id != user.organisation_id,
    )
    documents = db.session.execute(
        select(Document).where(visible_to(user), Document.state == IN_REVIEW, concerns_me,
                               ~_approved_by(user.organisation_id))
        .order_by(Document.id)
    ).scalars().all()
    ids = [doc.id for doc in documents]
    requests, stale, due = _my_requests(user, ids), _my_approvals(user, ids), _review_due(ids)
    roles, waiting = {}, []
    for doc in documents:
        request, approved = requests.get(doc.id), stale.get(doc.id)
        partner = doc.organisation_id != user.organisation_id
        if request is None and not ((approved or partner) and _approves(user, doc, roles)):
            continue
        when = (request.due_at if request is not None and request.due_at else
                due.get(doc.id) or doc.deadline)
        waiting.append(WaitingReview(doc, request, approved, when))
    return sorted(waiting, key=lambda w: (w.due_at is None, w.due_at or utcnow(),
                                          w.document.id))


def _approved_by(organisation_id):
    """The condition that the organisation approved the document's current revision (its
    id and its content hash, as approvals.approval_status counts it)."""
    return (select(Approval.id).join(Revision, Revision.id == Approval.revision_id)
            .where(Approval.document_id == Document.id,
                   Approval.organisation_id == organisation_id,
                   Approval.revision_id == Document.current_revision_id,
                   Approval.content_hash == Revision.content_hash)
            .exists())


def _approves(user, doc, cache):
    """Whether the policy of the user's organisation lets the user approve this kind."""
    if doc.kind not in cache:
        cache[doc.kind] = policy(user.organisation_id, doc.kind)[0]
    return user.role in cache[doc.kind]


def _my_requests(user, ids):
    """{document id: the user's open review request} among the documents."""
    rows = db.session.execute(
        select(ReviewRequest).where(ReviewRequest.reviewer_id == user.id,
                                    ReviewRequest.closed_at.is_(None),
                                    ReviewRequest.document_id.in_(ids))
        .order_by(ReviewRequest.id.desc())
    ).scalars()
    found = {}
    for row in rows:
        found.setdefault(row.document_id, row)
    return found


def _my_approvals(user, ids):
    """{document id: the newest revision id the user approved} among the documents (none of
    which the user's organisation approved in its current revision, so each is stale)."""
    return dict(db.session.execute(
        select(Approval.document_id, func.max(Approval.revision_id))
        .where(Approval.user_id == user.id, Approval.document_id.in_(ids))
        .group_by(Approval.document_id)
    ).all())


def _review_due(ids):
    """{document id: the due time of its review}: the earliest of its open requests, else
    that of its newest request (a round whose requests are closed, e.g. by approving, keeps
    its due time when an edit reopens it)."""
    rows = db.session.execute(
        select(ReviewRequest.document_id, ReviewRequest.due_at, ReviewRequest.closed_at)
        .where(ReviewRequest.document_id.in_(ids), ReviewRequest.due_at.is_not(None))
        .order_by(ReviewRequest.id.desc())
    ).all()
    newest, earliest_open = {}, {}
    for doc_id, due_at, closed_at in rows:
        newest.setdefault(doc_id, due_at)
        if closed_at is None and (doc_id not in earliest_open or due_at < earliest_open[doc_id]):
            earliest_open[doc_id] = due_at
    return newest | earliest_open
