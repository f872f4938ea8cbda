"""Approvals bound to revisions and what they add up to. `approval_status(doc)` is the one
answer to "which organisations must approve, who approved the current revision, is it shared,
is it agreed"; the document page, the API, the decision trail, the transitions and the
publish gate all read it. Approving itself is a transition (transitions.approve)."""
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import notifications
from ..access import parse_id
from ..errors import Conflict
from ..extensions import db
from ..models import Approval, Organisation, Revision, Share, utcnow


class ApprovalExpired(Conflict):
    """The revision about to go out is not the one every required organisation approved."""


@dataclass(frozen=True)
class OrganisationApproval:
    """One required organisation and its approvals of the document."""

    organisation: Organisation
    owner: bool  # the owning organisation; partners are the organisations shared with
    approvals: tuple  # of the current revision and its content hash: who and when, oldest first
    stale: tuple  # of earlier revisions, newest first

    @property
    def approved(self):
        """Whether the organisation approved the current revision."""
        return bool(self.approvals)

    @property
    def last_approved_revision_id(self):
        """The newest earlier revision it approved, while it has not approved the current one
        (to show what changed since)."""
        return None if self.approved or not self.stale else self.stale[0].revision_id


@dataclass(frozen=True)
class ApprovalStatus:
    """Every approval fact of a document, derived from Approval rows of its revisions."""

    revision: Revision  # the current revision
    organisations: tuple  # OrganisationApproval per required organisation, owner first
    history: tuple  # every approval of any revision, newest first

    @property
    def shared(self):
        """More than one organisation must approve."""
        return len(self.organisations) > 1

    @property
    def agreed(self):
        """Every required organisation approved the current revision."""
        return all(o.approved for o in self.organisations)

    @property
    def waiting_for(self):
        """The organisations that have still to approve the current revision."""
        return tuple(o.organisation for o in self.organisations if not o.approved)

    def is_current(self, approval):
        """Whether an approval is of the current revision, with its content hash."""
        return _approves(approval, self.revision)

    def of(self, organisation_id):
        """The entry of one required organisation, or None."""
        return next((o for o in self.organisations if o.organisation.id == organisation_id),
                    None)

    def agreed_with(self, organisation_id):
        """Whether the document is agreed once this organisation approves too."""
        return all(o.approved or o.organisation.id == organisation_id
                   for o in self.organisations)


def _approves(approval, revision):
    # The revision id and its content hash both: the hash is what was read and approved; an
    # approval the organisation took back no longer counts.
    return (approval.revision_id == revision.id and approval.content_hash == revision.content_hash
            and approval.withdrawn_at is None)


def _partners(doc):
    """The organisations the document is shared with, in the order it was shared."""
    return db.session.execute(
        select(Organisation).join(Share, Share.organisation_id == Organisation.id)
        .where(Share.document_id == doc.id).order_by(Share.id)
    ).scalars().all()


def required_organisations(doc):
    """Ids of the organisations that must approve: the owner first, then the partners."""
    return [doc.organisation_id, *(org.id for org in _partners(doc))]


def approval_status(doc):
    """The document's ApprovalStatus: per required organisation (owner first, then partners
    in the order shared) its approvals of the current revision and its stale ones."""
    history = tuple(db.session.execute(
        select(Approval).where(Approval.document_id == doc.id).order_by(Approval.id.desc())
        .options(selectinload(Approval.user), selectinload(Approval.organisation),
                 selectinload(Approval.revision).load_only(Revision.id, Revision.number))
    ).scalars())
    revision = doc.current_revision
    entries = tuple(
        OrganisationApproval(
            organisation=org, owner=org.id == doc.organisation_id,
            approvals=tuple(a for a in reversed(history)
                            if a.organisation_id == org.id and _approves(a, revision)),
            stale=tuple(a for a in history
                        if a.organisation_id == org.id and not _approves(a, revision)))
        for org in (doc.organisation, *_partners(doc)))
    return ApprovalStatus(revision=revision, organisations=entries, history=history)


def has_approved(user, doc):
    """Whether this user approved the current revision already."""
    return db.session.execute(
        select(Approval.id).where(Approval.revision_id == doc.current_revision_id,
                                  Approval.user_id == user.id, Approval.withdrawn_at.is_(None))
    ).first() is not None


def mark_stale(doc, actor=None):
    """Date the approvals of earlier revisions as stale, now that a new revision is current
    (for display: whether an approval counts is derived from the revision, see is_current),
    and tell each approver whose approval it was, in every organisation, what changed since.
    The actor is who made the new revision (by default its author); the caller commits."""
    newly_stale = db.session.execute(
        select(Approval).where(Approval.document_id == doc.id, Approval.stale_at.is_(None),
                               Approval.revision_id != doc.current_revision_id)
        .options(selectinload(Approval.user))
    ).scalars().all()
    now = utcnow()
    for approval in newly_stale:
        approval.stale_at = now
    _tell_stale_approvers(doc, actor or doc.current_revision.author, newly_stale)


def _tell_stale_approvers(doc, actor, approvals):
    """One approval_stale notice per approver, with the newest revision they approved, so the
    link shows the changes from what they read to what is current."""
    approved = {}
    for approval in approvals:
        if approval.revision_id > approved.get(approval.user_id, (0, None))[0]:
            approved[approval.user_id] = (approval.revision_id, approval.user)
    current = doc.current_revision
    for revision_id, user in approved.values():
        notifications.notify("approval_stale", doc, actor, [user],
                             from_revision_id=revision_id, to_revision_id=current.id,
                             revision=current.number)


def publish_gate(doc, revision_id=None):
    """The one check publishing calls at the moment of going out: returns the current revision
    if it is the approved (agreed) one, else raises ApprovalExpired."""
    current = doc.current_revision
    if revision_id is not None and parse_id(revision_id) != current.id:
        raise ApprovalExpired(_("The revision to publish is no longer the current one."),
                              current_revision_id=current.id)
    status = approval_status(doc)
    if not status.agreed:
        raise ApprovalExpired(_("The current revision lacks the approvals it needs."),
                              missing_organisations=[o.id for o in status.waiting_for])
    return current
