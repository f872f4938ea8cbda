"""Workflow for a joint text's coordinated release (coalition_release): an organisation
taking its approval back, and the owner's document following its release.

The owner's document is `scheduled` (for the embargo time) while the owner's own rows wait
for it, and `published` once they have gone out (follow_publications reads only the owner's
rows); each partner's rows keep their own states, shown on the joint release panel."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, notifications
from ..access import REVIEWERS, require_visible
from ..errors import Conflict, Forbidden
from ..extensions import db
from ..models import Approval, JointRelease, Publication, utcnow
from ..publishing import outbox
from ..validation import text_field
from .approvals import required_organisations
from .transitions import APPROVED, IN_REVIEW, SCHEDULED, may_review

MAX_REASON = 2000
# Where an approval may still be taken back: before the text has gone out.
WITHDRAWABLE = {IN_REVIEW, APPROVED, SCHEDULED}


def joint_release(doc):
    """The document's JointRelease, or None."""
    return db.session.execute(
        select(JointRelease).where(JointRelease.document_id == doc.id)).scalar_one_or_none()


def everyone(doc):
    """Whoever a joint release concerns: the owner and every party's editors and approvers."""
    return [*notifications.owner_and_editors(doc),
            *notifications.recipients_in(required_organisations(doc), REVIEWERS)]


def reason_text(value):
    """A required reason (a hold, an approval taken back), one paragraph at most."""
    return text_field(value, MAX_REASON, _("Reason"), "reason", required=True)


def withdraw_approval(user, doc, reason):
    """The user's organisation takes back its approval of the current revision (an approver
    of it for the kind, with a reason): every party's queued publications of the text are
    held at once, a joint release is marked held, the document goes back to review and
    everyone involved is warned."""
    require_visible(user, doc)
    if not may_review(user, doc):
        raise Forbidden(_("You may not approve this kind of document for your organisation."))
    reason = reason_text(reason)
    if doc.state not in WITHDRAWABLE:
        raise Conflict(_("The text has gone out already: its approval can no longer be "
                         "taken back."), state=doc.state)
    approvals = db.session.execute(
        select(Approval).where(Approval.revision_id == doc.current_revision_id,
                               Approval.organisation_id == user.organisation_id,
                               Approval.withdrawn_at.is_(None))).scalars().all()
    if not approvals:
        raise Conflict(_("Your organisation has not approved this revision."))
    now = utcnow()
    for approval in approvals:
        approval.withdrawn_at, approval.withdrawn_by_id = now, user.id
        approval.withdraw_reason = reason
    held = outbox.hold_pending(doc, _("Held: %(org)s took its approval back (%(reason)s).",
                                      org=user.organisation.name, reason=reason))
    release = joint_release(doc)
    if release is not None and release.held_at is None:
        release.held_at, release.held_by_id, release.hold_reason = now, user.id, reason
    before = doc.state
    if doc.state in {APPROVED, SCHEDULED}:
        doc.state = IN_REVIEW
        doc.scheduled_at = None
    audit.record(user, "workflow.approval_withdrawn", doc, before=before, after=doc.state,
                 revision=doc.current_revision.number, reason=reason,
                 organisation=user.organisation.slug, held=[r.id for r in held])
    notifications.notify("approval_withdrawn", doc, user, everyone(doc),
                         organisation=user.organisation.name, message=reason)
    db.session.commit()
    return doc


def follow_release(actor, doc, at):
    """The owner's document follows its joint release (the caller commits): scheduled for
    the embargo time once the owner's own rows wait for it."""
    owner_waiting = db.session.execute(
        select(Publication.id).where(Publication.document_id == doc.id,
                                     Publication.organisation_id == doc.organisation_id,
                                     Publication.state == "queued").limit(1)).first()
    if doc.state == APPROVED and owner_waiting:
        doc.state = SCHEDULED
        doc.scheduled_at = at
        audit.record(actor, "workflow.release_scheduled", doc, before=APPROVED,
                     after=SCHEDULED, at=at.isoformat())
    elif doc.state == SCHEDULED:
        doc.scheduled_at = at


def partner_row_failed(row):
    """A partner party's row of a joint text failed (refused for good, or its channel needs
    reconnecting): tell that party's people responsible for it, the channel's owner and the
    partner's editors and approvers (the caller commits). The owner's own rows are reported
    by follow_publications once they have all settled; the owning party sees a partner's
    failure on the joint release panel."""
    doc = row.document
    if row.organisation_id == doc.organisation_id:
        return
    channel = row.channel
    told = [channel.owner] if channel.owner is not None else []
    told += notifications.recipients_in(row.organisation_id, REVIEWERS)
    notifications.notify("publication_failed", doc, None, told, channels=channel.name,
                         message=row.last_error, publication_id=row.id)
