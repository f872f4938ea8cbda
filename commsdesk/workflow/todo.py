"""What waits for one user: the to-do that opens the overview and GET /api/v1/todo.

Five kinds of rows, each with its due time and the page where the user acts:
reviews waiting for the user (requests.waiting_for_review), approvals of theirs that went
stale and are to be renewed, changes requested of them, open suggestions waiting for
their decision, and texts due on a channel they post to by hand (publishing.manual).
Changes and suggestions go to whoever is told of them (the document's owner
and its organisation's editors, as notifications.owner_and_editors), not to every staff
member who could edit: the group leader's list stays theirs."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ..access import EDITOR
from ..extensions import db
from ..models import Document, Publication, Suggestion
from .requests import waiting_for_review
from .transitions import CHANGES_REQUESTED, EDITABLE

REVIEW, RENEW, CHANGES, SUGGESTION = "review", "renew", "changes_requested", "suggestion"
MANUAL_POST = "manual_post"
KINDS = (REVIEW, RENEW, CHANGES, SUGGESTION, MANUAL_POST)
LABELS = {
    REVIEW: _l("Review"),
    RENEW: _l("Changed since you approved"),
    CHANGES: _l("Changes requested"),
    SUGGESTION: _l("Suggestion to decide"),
    MANUAL_POST: _l("Post by hand"),
}
ACTION_LABELS = {
    REVIEW: _l("Review"),
    RENEW: _l("See what changed"),
    CHANGES: _l("Edit"),
    SUGGESTION: _l("Decide"),
    MANUAL_POST: _l("Copy and post"),
}


@dataclass(frozen=True)
class TodoItem:
    """One thing a user must act on."""

    kind: str  # one of KINDS
    document: Document
    due_at: datetime | None  # the review's due time, else the document's deadline
    since_revision_id: int | None = None  # RENEW: the revision the user approved
    suggestion: Suggestion | None = None  # SUGGESTION: the one to decide
    publication: Publication | None = None  # MANUAL_POST: the row to post by hand

    @property
    def label(self):
        return LABELS[self.kind]

    @property
    def action_label(self):
        return ACTION_LABELS[self.kind]

    @property
    def target(self):
        """(endpoint, values) of the web page where the user acts."""
        doc_id = self.document.id
        # RENEW, like REVIEW, opens the document: its review bar shows what changed since the
        # user's approval with the button to approve again (a bare diff page has no button).
        if self.kind == CHANGES:
            return "documents.edit", {"document_id": doc_id}
        if self.kind == MANUAL_POST:
            return "publications.copy", {"publication_id": self.publication.id}
        if self.kind == SUGGESTION:
            return "discussion.suggestion", {"document_id": doc_id,
                                             "suggestion_id": self.suggestion.id}
        return "documents.show", {"document_id": doc_id}


def todo(user):
    """Everything waiting for the user, soonest due first (no due time last)."""
    return _soonest_first([*_reviews(user), *_changes(user), *_suggestions(user),
                           *_manual_posts(user)])


def todo_with_total(user, limit):
    """The `limit` soonest tasks of todo(user), and how many there are in all (each kind of
    task is fetched soonest first, so the first `limit` of the merged list are right)."""
    reviews, posts = _reviews(user), _manual_posts(user)
    items = _soonest_first([*reviews, *posts, *_changes(user, limit),
                            *_suggestions(user, limit)])
    total = len(reviews) + len(posts) + _count(_changes_query(user)) \
        + _count(_suggestions_query(user))
    return items[:limit], total


def _soonest_first(items):
    return sorted(items, key=lambda i: (i.due_at is None, i.due_at.timestamp() if i.due_at
                                        else 0, KINDS.index(i.kind), i.document.id))


def _count(query):
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar()


def _reviews(user):
    return [TodoItem(RENEW if w.approved_revision_id else REVIEW, w.document, w.due_at,
                     since_revision_id=w.approved_revision_id)
            for w in waiting_for_review(user)]


def _manual_posts(user):
    """Publications due on a channel posted by hand that wait for this user."""
    from ..publishing import manual  # publishing reaches workflow to follow its rows

    return [TodoItem(MANUAL_POST, row.document, row.due_at, publication=row)
            for row in manual.waiting_for(user)]


def _told(user):
    """The condition on Document for texts whose changes and suggestions are the user's to
    handle: their own, or any of their organisation's if they are an editor."""
    mine = Document.owner_id == user.id
    if user.role == EDITOR:
        mine = or_(mine, Document.organisation_id == user.organisation_id)
    return Document.organisation_id == user.organisation_id, mine


def _soonest(query, limit):
    """Soonest deadline first, none last; at most `limit` rows when given."""
    query = query.order_by(Document.deadline.is_(None), Document.deadline, Document.id)
    return query if limit is None else query.limit(limit)


def _changes_query(user):
    return select(Document).where(*_told(user), Document.state == CHANGES_REQUESTED)


def _changes(user, limit=None):
    documents = db.session.execute(_soonest(_changes_query(user), limit)).scalars()
    return [TodoItem(CHANGES, doc, doc.deadline) for doc in documents]


def _suggestions_query(user):
    return (select(Suggestion, Document).join(Document, Document.id == Suggestion.document_id)
            .where(*_told(user), Suggestion.status == "open", Suggestion.author_id != user.id,
                   Document.state.in_(EDITABLE)))


def _suggestions(user, limit=None):
    query = _soonest(_suggestions_query(user), limit).order_by(Suggestion.id)
    rows = db.session.execute(query.options(selectinload(Suggestion.author))).all()
    return [TodoItem(SUGGESTION, doc, doc.deadline, suggestion=row) for row, doc in rows]
