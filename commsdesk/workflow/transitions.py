"""Workflow: states and the table of allowed transitions. Every state change goes through
`_apply`, and nothing else writes state; what approvals add up to is read from
approvals.approval_status."""
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit, media, notifications
from .. import channels as channel_registry
from ..access import REVIEWERS, can_edit, can_publish, is_owner_org, is_partner, parse_id
from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import Approval, JointRelease, Revision, Suggestion, User, utcnow
from ..publishing import outbox
from .approvals import (
    approval_status,
    has_approved,
    mark_stale,
    publish_gate,
    required_organisations,
)
from .policy import policy
from .requests import ask, close_all_requests, close_requests, previous_reviewers, refuse_past_due

DRAFT, IN_REVIEW = "draft", "in_review"
CHANGES_REQUESTED, APPROVED = "changes_requested", "approved"
SCHEDULED, PUBLISHED, WITHDRAWN, ARCHIVED = "scheduled", "published", "withdrawn", "archived"
# Every publication has settled and some (partly) or all (failed) did not go out.
PARTLY_PUBLISHED, PUBLISH_FAILED = "partly_published", "publish_failed"
STATES = (DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED, PUBLISHED, PARTLY_PUBLISHED,
          PUBLISH_FAILED, WITHDRAWN, ARCHIVED)
EDITABLE = {DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED, SCHEDULED}


@dataclass(frozen=True)
class Transition:
    sources: frozenset
    target: str | None  # None: decided by the action (approve)
    label: object
    who: str  # "editor" | "reviewer" | "publisher"


TRANSITIONS = {
    "submit": Transition(frozenset({DRAFT, CHANGES_REQUESTED}), IN_REVIEW,
                         _l("Submit for review"), "editor"),
    "recall": Transition(frozenset({IN_REVIEW}), DRAFT, _l("Recall from review"), "editor"),
    "approve": Transition(frozenset({IN_REVIEW}), None, _l("Approve"), "reviewer"),
    "request_changes": Transition(frozenset({IN_REVIEW, APPROVED}), CHANGES_REQUESTED,
                                  _l("Request changes"), "reviewer"),
    "schedule": Transition(frozenset({APPROVED}), SCHEDULED, _l("Schedule"), "publisher"),
    "reschedule": Transition(frozenset({SCHEDULED}), SCHEDULED, _l("Reschedule"), "publisher"),
    "unschedule": Transition(frozenset({SCHEDULED, PUBLISH_FAILED}), APPROVED, _l("Unschedule"),
                             "publisher"),
    # Publishing now queues the text on its channels; it is published when they have sent.
    "publish": Transition(frozenset({APPROVED, SCHEDULED}), None, _l("Publish now"),
                          "publisher"),
    "withdraw": Transition(frozenset({PUBLISHED, PARTLY_PUBLISHED}), WITHDRAWN, _l("Withdraw"),
                           "publisher"),
    "archive": Transition(frozenset({DRAFT, CHANGES_REQUESTED, APPROVED, PUBLISHED,
                                     PARTLY_PUBLISHED, PUBLISH_FAILED, WITHDRAWN}),
                          ARCHIVED, _l("Archive"), "publisher"),
    "reopen": Transition(frozenset({WITHDRAWN, ARCHIVED}), DRAFT, _l("Reopen as draft"),
                         "publisher"),
}


# --- who may do what ------------------------------------------------------------------

def may_review(user, doc):
    """Whether the user may approve or request changes, for their own organisation."""
    if not (is_owner_org(user, doc) or is_partner(user, doc)):
        return False
    roles, _self_ok = policy(user.organisation_id, doc.kind)
    return user.role in roles


def is_own_text(user, doc):
    """Four eyes: whether the user wrote part of this text, so may not approve it (unless the
    kind's policy allows self-approval). See own_text_reason for the rule."""
    return own_text_reason(user, doc) is not None


def own_text_reason(user, doc):
    """Why the user counts as an author of the document, or None. An author is its owner,
    anyone who wrote any of its revisions since it was created (a later typo fix by someone
    else does not make the text less theirs, and a restore keeps the old revision's author
    on the list), and anyone whose suggestion was accepted into it."""
    if doc.owner_id == user.id:
        return _("Four eyes: somebody else must approve your own text.")
    number = db.session.execute(
        select(Revision.number).where(Revision.document_id == doc.id,
                                      Revision.author_id == user.id)
        .order_by(Revision.number.desc()).limit(1)
    ).scalar()
    if number is not None:
        return _("Four eyes: you wrote revision %(number)d of this text, so somebody else "
                 "must approve it.", number=number)
    accepted = db.session.execute(
        select(Suggestion.id).where(Suggestion.document_id == doc.id,
                                    Suggestion.author_id == user.id,
                                    Suggestion.status == "accepted").limit(1)
    ).first()
    if accepted:
        return _("Four eyes: your suggestion was accepted into this text, so somebody else "
                 "must approve it.")
    return None


def _check_permission(user, doc, action):
    who = TRANSITIONS[action].who
    if who == "editor" and not can_edit(user, doc):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if who == "publisher" and not can_publish(user, doc):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if who == "reviewer":
        if not may_review(user, doc):
            raise Forbidden(_("You may not approve this kind of document for your organisation."))
        _roles, self_ok = policy(user.organisation_id, doc.kind)
        reason = None if action != "approve" or self_ok else own_text_reason(user, doc)
        if reason:
            raise Forbidden(reason)


def allowed_actions(user, doc):
    """The actions this user may take now, for buttons and the API."""
    allowed = []
    for name, transition in TRANSITIONS.items():
        if doc.state not in transition.sources:
            continue
        try:
            _check_permission(user, doc, name)
        except Forbidden:
            continue
        if (name == "approve" and has_approved(user, doc)) or _joint(doc, name):
            continue
        allowed.append(name)
    return allowed


# --- the one place state changes --------------------------------------------------------

# A text with a joint release goes out at its embargo time, set on the release.
RELEASE_TIMED = {"schedule", "reschedule", "publish"}


def _joint(doc, action):
    return action in RELEASE_TIMED and db.session.execute(
        select(JointRelease.id).where(JointRelease.document_id == doc.id)).first() is not None


def _check(user, doc, action):
    """Refuse with Forbidden (not allowed for this user) or Conflict (not in this state)."""
    transition = TRANSITIONS[action]
    _check_permission(user, doc, action)
    if _joint(doc, action):
        raise Conflict(_("This joint text goes out at its coordinated release: plan it on "
                         "the joint release."), action=action)
    if doc.state not in transition.sources:
        raise Conflict(
            _("“%(action)s” is not possible while the document is “%(state)s”.",
              action=transition.label, state=state_label(doc.state)),
            state=doc.state, action=action,
        )


def _apply(user, doc, action, target=None, **data):
    """Check permission and state, change, audit. The caller notifies and commits."""
    transition = TRANSITIONS[action]
    _check(user, doc, action)
    before = doc.state
    doc.state = target or transition.target or doc.state
    audit.record(user, f"workflow.{action}", doc, before=before, after=doc.state,
                 revision=doc.current_revision.number, **data)
    return before


def submit(user, doc, reviewer_ids=None, due_at=None):
    """Send the document to review, asking the given reviewers (default: those asked last
    time, else the approvers), due at a future time or none."""
    _check(user, doc, "submit")
    refuse_past_due(due_at)
    reviewers = _reviewers(doc, reviewer_ids) if reviewer_ids else (
        previous_reviewers(doc) or _reviewers(doc, None))
    _apply(user, doc, "submit", reviewer_ids=[r.id for r in reviewers],
           due_at=due_at.isoformat() if due_at else None)
    doc.hold_reason = None
    ask(doc, user, reviewers, due_at)
    notifications.notify("review_requested", doc, user, [*reviewers, *_partner_approvers(doc)],
                         due_at=due_at.isoformat() if due_at else None)
    db.session.commit()
    return doc


def _partner_approvers(doc):
    """Whoever may approve the document's kind in each partner organisation it is shared with:
    a submission waits for them too, also when the text was shared while still a draft."""
    approvers = []
    for organisation_id in required_organisations(doc)[1:]:
        roles, _self_ok = policy(organisation_id, doc.kind)
        approvers += notifications.recipients_in(organisation_id, roles)
    return approvers


def recall(user, doc):
    """Take the document back from review to draft: its open requests are closed and the
    reviewers told that their review is no longer needed."""
    _apply(user, doc, "recall")
    reviewers = close_all_requests(doc)
    notifications.notify("review_cancelled", doc, user, reviewers)
    db.session.commit()
    return doc


def _reviewers(doc, reviewer_ids):
    """The users asked to review: the given ids (active users of the organisation), or by
    default the roles that may approve the kind."""
    roles, _self_ok = policy(doc.organisation_id, doc.kind)
    query = select(User).where(User.organisation_id == doc.organisation_id, User.active.is_(True))
    if reviewer_ids:
        ids = [parse_id(i) for i in reviewer_ids if str(i).strip()]
        if None in ids:
            raise ValidationError(_("Reviewers must be active users of your organisation."))
        found = db.session.execute(query.where(User.id.in_(ids))).scalars().all()
        if len(found) != len(set(ids)):
            raise ValidationError(_("Reviewers must be active users of your organisation."))
        return found
    return db.session.execute(query.where(User.role.in_(roles))).scalars().all()


def approve(user, doc, revision_id=None):
    """Approve the current revision for the user's organisation; the document is approved
    (agreed, if shared) once every required organisation has approved the same revision."""
    if revision_id is not None and str(revision_id) != str(doc.current_revision_id):
        raise Conflict(_("The text has changed since you read it. Review the new revision."),
                       current_revision_id=doc.current_revision_id)
    if has_approved(user, doc):
        raise Conflict(_("You have approved this revision already."))
    status = approval_status(doc)
    agreed_after = status.agreed_with(user.organisation_id)
    _apply(user, doc, "approve", target=APPROVED if agreed_after else IN_REVIEW)
    revision = doc.current_revision
    _record_approval(user, doc, revision)
    close_requests(doc, user)
    owners = notifications.owner_and_editors(doc)
    if agreed_after:
        doc.hold_reason = None
        notifications.notify("agreed" if status.shared else "approved", doc, user,
                             involved(doc))
    elif not is_owner_org(user, doc):
        notifications.notify("partner_approved", doc, user, owners,
                             organisation=user.organisation.name)
    db.session.commit()
    return doc


def _record_approval(user, doc, revision):
    # One row per user and revision: approving again after the organisation took its
    # approval back renews that row (the audit log keeps both steps).
    row = db.session.execute(
        select(Approval).where(Approval.revision_id == revision.id,
                               Approval.organisation_id == user.organisation_id,
                               Approval.user_id == user.id)).scalar_one_or_none()
    if row is None:
        db.session.add(Approval(document_id=doc.id, revision_id=revision.id,
                                organisation_id=user.organisation_id, user_id=user.id,
                                role=user.role, content_hash=revision.content_hash))
        return
    row.withdrawn_at = row.withdrawn_by_id = row.withdraw_reason = None
    row.role, row.created_at = user.role, utcnow()


def request_changes(user, doc, message=""):
    """Send the document back to its owner with a note of what to change (required)."""
    _check(user, doc, "request_changes")
    message = (message or "").strip()
    if not message:
        raise ValidationError(_("Say what should change: the note is required."),
                              field="message")
    _apply(user, doc, "request_changes", message=message[:2000])
    close_requests(doc, user)
    notifications.notify("changes_requested", doc, user, notifications.owner_and_editors(doc),
                         message=message)
    db.session.commit()
    return doc


def _future(at):
    if at is None:
        raise ValidationError(_("Give the time to publish."))
    if at <= utcnow():
        raise ValidationError(_("The time to publish must be in the future."))
    return at


def schedule(user, doc, at, channels=None):
    """Schedule approved (agreed) text for a future time on its channels (all that publish
    its kind, or the ids given): the outbox rows are written now with the approved revision
    formatted for each channel; the gate is checked again when they go out."""
    _future(at)
    _check(user, doc, "schedule")
    revision = publish_gate(doc)
    chosen = channel_registry.chosen_channels(doc, channels)
    media.check_alt_text(doc, chosen)
    _apply(user, doc, "schedule", at=at.isoformat(), content_hash=revision.content_hash,
           channels=[c.name for c in chosen])
    doc.scheduled_at = at
    outbox.enqueue(user, doc, chosen, at)
    db.session.commit()
    return doc


def reschedule(user, doc, at):
    """Move a scheduled text (all its queued publications) to another future time."""
    _future(at)
    _check(user, doc, "reschedule")
    publish_gate(doc)
    _apply(user, doc, "reschedule", at=at.isoformat(),
           before_at=doc.scheduled_at.isoformat() if doc.scheduled_at else None)
    doc.scheduled_at = at
    outbox.reschedule_open(doc, at)
    db.session.commit()
    return doc


def unschedule(user, doc):
    _apply(user, doc, "unschedule")
    doc.scheduled_at = None
    outbox.cancel_open(doc, "unscheduled")
    db.session.commit()
    return doc


def publish(user, doc, channels=None):
    """Publish now: queue the approved revision on its channels (the worker sends within
    seconds and the text is published when every channel has sent). A text with no channel
    for its kind (published by hand elsewhere) is marked as published at once."""
    _check(user, doc, "publish")
    revision = publish_gate(doc)
    chosen = channel_registry.chosen_channels(doc, channels)
    media.check_alt_text(doc, chosen)
    if doc.state == SCHEDULED:
        outbox.cancel_open(doc, "published now instead")
    now = utcnow()
    target = SCHEDULED if chosen else PUBLISHED
    _apply(user, doc, "publish", target=target, content_hash=revision.content_hash,
           channels=[c.name for c in chosen])
    doc.scheduled_at = now if chosen else None
    outbox.enqueue(user, doc, chosen, now)
    if not chosen:
        notifications.notify("published", doc, user, involved(doc))
    db.session.commit()
    return doc


def withdraw(user, doc):
    """Take a published text down: the newsroom answers 410, and nothing more goes out."""
    _apply(user, doc, "withdraw")
    outbox.cancel_open(doc, "withdrawn")
    outbox.mark_withdrawn(doc)
    db.session.commit()
    return doc


def archive(user, doc):
    _apply(user, doc, "archive")
    doc.scheduled_at = None
    outbox.cancel_open(doc, "archived")
    db.session.commit()
    return doc


def reopen(user, doc):
    _apply(user, doc, "reopen")
    db.session.commit()
    return doc


ACTIONS = {"submit": submit, "recall": recall, "approve": approve,
           "request_changes": request_changes, "schedule": schedule, "reschedule": reschedule,
           "unschedule": unschedule,
           "publish": publish,
           "withdraw": withdraw, "archive": archive, "reopen": reopen}


def perform(user, doc, action, **params):
    """Run a named action (for the API and forms); unknown actions are a validation error."""
    if action not in ACTIONS:
        raise ValidationError(_("Unknown action %(action)s; use one of %(actions)s.",
                                action=action, actions=", ".join(ACTIONS)), field="action")
    return ACTIONS[action](user, doc, **params)


def check_editable(doc):
    """Published, withdrawn and archived text is not edited in place: reopen it first."""
    if doc.state not in EDITABLE:
        raise Conflict(_("A document that is “%(state)s” cannot be edited. Reopen it first.",
                         state=state_label(doc.state)), state=doc.state)


def on_new_revision(actor, doc):
    """A new revision makes earlier approvals stale and sends approved work back to review.
    Called by documents.save_revision inside its transaction."""
    mark_stale(doc)
    if doc.state in {APPROVED, SCHEDULED}:
        before = doc.state
        doc.state = IN_REVIEW
        doc.scheduled_at = None
        outbox.cancel_open(doc, "edited after approval")
        audit.record(actor, "workflow.back_to_review", doc, before=before, after=IN_REVIEW,
                     reason="edited after approval")


def requirements_changed(actor, doc):
    """Sharing changed who must approve: approved work that is no longer agreed goes back to
    review, and text in review that every remaining organisation has approved is agreed."""
    before = doc.state
    status = approval_status(doc)
    if doc.state in {APPROVED, SCHEDULED} and not status.agreed:
        doc.state = IN_REVIEW
        doc.scheduled_at = None
        outbox.cancel_open(doc, "approvals required changed")
        audit.record(actor, "workflow.back_to_review", doc, before=before, after=IN_REVIEW,
                     reason="approvals required changed")
    elif doc.state == IN_REVIEW and status.agreed:
        doc.state = APPROVED
        doc.hold_reason = None
        audit.record(actor, "workflow.agreed", doc, before=before, after=APPROVED,
                     reason="approvals required changed")
        notifications.notify("agreed" if status.shared else "approved", doc, actor,
                             involved(doc))


def hold(doc, reason="approval_expired"):
    """Hold back a scheduled document whose approval is missing or stale at its time."""
    before = doc.state
    doc.state = IN_REVIEW
    doc.hold_reason = reason
    doc.scheduled_at = None
    audit.record(None, "workflow.held", doc, before=before, after=IN_REVIEW, reason=reason)
    notifications.notify("approval_expired", doc, None, notifications.owner_and_editors(doc))
    db.session.commit()


def follow_publications(doc):
    """The document's state follows its newest publications once all have settled:
    published when every channel has sent, partly published when some did not, publishing
    failed when none did. One notification says which channels failed. The caller commits."""
    if doc.state not in {SCHEDULED, PARTLY_PUBLISHED, PUBLISH_FAILED}:
        return
    rows = outbox.latest_round(doc)
    if not rows:
        _nothing_to_send(doc)
        return
    if any(outbox.is_open(r) for r in rows):
        return
    sent = [r for r in rows if r.state == "sent"]
    failed = [r for r in rows if r.state != "sent"]
    target = PUBLISHED if not failed else PARTLY_PUBLISHED if sent else PUBLISH_FAILED
    if target == doc.state:
        return
    before = doc.state
    doc.state = target
    doc.scheduled_at = None
    audit.record(None, "workflow.publications_settled", doc, before=before, after=target,
                 sent=[r.channel.name for r in sent], failed=[r.channel.name for r in failed])
    if failed:
        notifications.notify("publication_failed", doc, None,
                             notifications.owner_and_editors(doc),
                             channels=", ".join(r.channel.name for r in failed))
    else:
        notifications.notify("published", doc, None, involved(doc))


def _nothing_to_send(doc):
    """Every publication of the newest round was cancelled: nothing goes out, and the text
    is approved again (to be published or scheduled anew)."""
    before = doc.state
    doc.state = APPROVED
    doc.scheduled_at = None
    audit.record(None, "workflow.publications_cancelled", doc, before=before, after=APPROVED)


def publications_retried(user, doc):
    """A person retried a publication of a partly published or failed text: it waits for
    its channels again (the caller commits)."""
    before = doc.state
    doc.state = SCHEDULED
    doc.scheduled_at = utcnow()
    audit.record(user, "workflow.publications_retried", doc, before=before, after=SCHEDULED)


def involved(doc):
    """The owning side (owner, editors) and the partners' editors and approvers."""
    partners = required_organisations(doc)[1:]
    return [*notifications.owner_and_editors(doc),
            *notifications.recipients_in(partners, REVIEWERS)]


STATE_LABELS = {
    DRAFT: _l("Draft"), IN_REVIEW: _l("In review"), CHANGES_REQUESTED: _l("Changes requested"),
    APPROVED: _l("Approved"), SCHEDULED: _l("Scheduled"), PUBLISHED: _l("Published"),
    PARTLY_PUBLISHED: _l("Partly published"), PUBLISH_FAILED: _l("Publishing failed"),
    WITHDRAWN: _l("Withdrawn"), ARCHIVED: _l("Archived"),
}


def state_label(state):
    return STATE_LABELS.get(state, state)


OTHER_ACTION_LABELS = {"back_to_review": _l("Back to review after a change"),
                       "held": _l("Held: approval expired"), "agreed": _l("Agreed"),
                       "publications_settled": _l("Publications settled"),
                       "publications_retried": _l("Publication retried"),
                       "publications_cancelled": _l("Every publication cancelled"),
                       "approval_withdrawn": _l("Approval taken back"),
                       "release_scheduled": _l("Scheduled for the joint release")}


def action_label(action):
    """A readable name for a workflow action as recorded in the audit log."""
    if action in TRANSITIONS:
        return TRANSITIONS[action].label
    return OTHER_ACTION_LABELS.get(action, action)
