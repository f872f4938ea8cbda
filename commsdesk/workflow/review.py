"""A running review as its people see it: changing who is asked and by when, the note that
asked for changes, and which revision a reviewer last looked at (to show what changed since).
State changes themselves are transitions (submit, recall, approve, request_changes)."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, notifications
from ..access import can_edit
from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import Approval, AuditEntry, Revision
from .requests import ask, open_requests_for, refuse_past_due
from .transitions import CHANGES_REQUESTED, IN_REVIEW, _reviewers

UNCHANGED = object()


def update_review(user, doc, reviewer_ids=None, due_at=UNCHANGED):
    """Change the reviewers asked (None: keep them) and/or the due time (UNCHANGED: keep it;
    None: no due time) of a running review, in one transaction. Added reviewers are asked,
    removed ones told; each change is audited."""
    if not can_edit(user, doc):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if doc.state != IN_REVIEW:
        raise Conflict(_("Only a document in review has reviewers to change."), state=doc.state)
    if due_at is not UNCHANGED:
        refuse_past_due(due_at)
    reviewers = _reviewers(doc, reviewer_ids) if reviewer_ids is not None else None
    if reviewers is not None and not reviewers:
        raise ValidationError(_("A review needs at least one reviewer; recall it instead."),
                              field="reviewer_ids")
    if due_at is not UNCHANGED:
        _change_due(user, doc, due_at)
    if reviewers is not None:
        _change_reviewers(user, doc, reviewers)
    db.session.commit()
    return doc


def _change_due(user, doc, due_at):
    requests = open_requests_for(doc)
    before = next((r.due_at for r in requests if r.due_at), None)
    for request in requests:
        request.due_at = due_at
    audit.record(user, "workflow.due_changed", doc,
                 before=before.isoformat() if before else None,
                 after=due_at.isoformat() if due_at else None)


def _change_reviewers(user, doc, reviewers):
    requests = open_requests_for(doc)
    asked = {r.reviewer_id: r for r in requests}
    wanted = {u.id for u in reviewers}
    added = [u for u in reviewers if u.id not in asked]
    removed = [r.reviewer for r in requests if r.reviewer_id not in wanted]
    for request in requests:
        if request.reviewer_id not in wanted:
            db.session.delete(request)  # no longer asked: not a request that was answered
    due_at = next((r.due_at for r in requests if r.due_at), None)
    ask(doc, user, added, due_at)
    audit.record(user, "workflow.reviewers_changed", doc, reviewer_ids=sorted(wanted),
                 added=[u.id for u in added], removed=[u.id for u in removed])
    notifications.notify("review_requested", doc, user, added,
                         due_at=due_at.isoformat() if due_at else None)
    notifications.notify("review_cancelled", doc, user, removed)


def changes_requested_note(doc):
    """While changes are requested: the latest request's note as {message, by, at}, else None
    (it is shown on the document and in the editor until the next submission)."""
    if doc.state != CHANGES_REQUESTED:
        return None
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.object_type == "document",
                                 AuditEntry.object_id == doc.id,
                                 AuditEntry.action == "workflow.request_changes")
        .order_by(AuditEntry.id.desc()).limit(1)
    ).scalar()
    if entry is None or not (entry.data or {}).get("message"):
        return None
    return {"message": entry.data["message"], "by": entry.actor, "at": entry.at,
            "organisation_id": entry.organisation_id}


def last_seen_revision(user, doc):
    """The revision to show a reviewer the changes since: the newest one they approved, else
    the one current when the document was last submitted; None if that is the current one."""
    approved = db.session.execute(
        select(Approval.revision_id).where(Approval.document_id == doc.id,
                                           Approval.user_id == user.id)
        .order_by(Approval.id.desc()).limit(1)
    ).scalar()
    if approved is not None:
        revision = db.session.get(Revision, approved)
    else:
        submitted = db.session.execute(
            select(AuditEntry.data).where(AuditEntry.object_type == "document",
                                          AuditEntry.object_id == doc.id,
                                          AuditEntry.action == "workflow.submit")
            .order_by(AuditEntry.id.desc()).limit(1)
        ).scalar() or {}
        revision = db.session.execute(
            select(Revision).where(Revision.document_id == doc.id,
                                   Revision.number == submitted.get("revision"))
        ).scalar()
    if revision is None or revision.id == doc.current_revision_id:
        return None
    return revision
