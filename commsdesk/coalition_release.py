"""Coalition release: one agreed joint text, every party's own channels, one coordinated
embargo time.

The owner's editor or approver sets the embargo time (set_time); each party (the owning
organisation and every partner the text is shared with) then plans its own channels for it
(plan): its Publication rows belong to the party (organisation and channel are the party's),
are due at the embargo time and carry the payload formatted from the agreed revision. Any
party's approver can hold every party's pending rows at once (hold_all, with a reason);
releasing them needs the owning organisation's approver (release). Each function checks
permission and state, changes, audits, notifies and commits, in that one place.

The owner's document is scheduled while the owner's rows wait and published once they went
out (workflow.joint); a partner's rows keep their own states and never decide the
document's state. At sending, every row (also a partner's) passes workflow.publish_gate."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import audit, coalition, media, notifications, workflow
from . import channels as channel_registry
from .access import STAFF, can_publish, is_owner_org, is_partner, require_visible
from .errors import Conflict, Forbidden, ValidationError
from .extensions import db
from .models import Channel, JointRelease, Publication, utcnow
from .publishing import outbox

# The document states a release may be timed, planned or released in (agreed, not out yet).
READY = {workflow.APPROVED, workflow.SCHEDULED}


def release_for(doc):
    """The document's JointRelease, or None."""
    return workflow.joint_release(doc)


def parties(doc):
    """The organisations that release the text: the owner first, then the partners in the
    order it was shared with them."""
    return [doc.organisation, *(share.organisation for share in coalition.shares(doc))]


# --- who may do what --------------------------------------------------------------------

def can_set_time(user, doc):
    """The owning organisation's editors and approvers set and move the embargo time."""
    return can_publish(user, doc)


def can_plan(user, doc):
    """Each party's staff plan that party's own channels."""
    return user.role in STAFF and (is_owner_org(user, doc) or is_partner(user, doc))


def can_hold(user, doc):
    """Whoever approves the kind for any party may hold every party's publications."""
    return workflow.may_review(user, doc)


def can_release(user, doc):
    """Only the owning organisation's approver releases a hold."""
    return is_owner_org(user, doc) and workflow.may_review(user, doc)


def _require_joint(user, doc):
    require_visible(user, doc)
    if not coalition.shares(doc):
        raise Conflict(_("Only a text shared with partner organisations has a joint release."))


def _require_release(doc):
    release = release_for(doc)
    if release is None:
        raise Conflict(_("The owning organisation has not set the release time yet."))
    return release


def _require_ready(doc):
    if doc.state not in READY:
        raise Conflict(_("Every party must have approved the text before it is released."),
                       state=doc.state)
    return workflow.publish_gate(doc)


def _future(at):
    if at is None:
        raise ValidationError(_("Give the release time."), field="at")
    if at <= utcnow():
        raise ValidationError(_("The release time must be in the future."), field="at")
    return at


# --- rows -------------------------------------------------------------------------------

def _set_embargo(row, at):
    """The row is due at the embargo time, and its payload's embargo (where it has one) is
    the same time, so the text stays hidden until then even on a channel that shows it."""
    row.due_at = at
    if "embargo_until" in (row.payload or {}):
        row.payload = {**row.payload, "embargo_until": at.isoformat()}
        row.embargo_until = at


def _rows(doc, states, organisation_id=None):
    query = select(Publication).where(Publication.document_id == doc.id,
                                      Publication.state.in_(states))
    if organisation_id is not None:
        query = query.where(Publication.organisation_id == organisation_id)
    return db.session.execute(query.order_by(Publication.id)).scalars().all()


def plans(doc):
    """Every party's plan: [(organisation, is owner, its rows of the current revision that
    were not cancelled)], the owner first. Shown to every party (names and states only)."""
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.revision_id == doc.current_revision_id,
                                  Publication.state != "cancelled")
        .options(selectinload(Publication.channel)).order_by(Publication.id)
    ).scalars().all()
    return [(org, org.id == doc.organisation_id,
             [r for r in rows if r.organisation_id == org.id]) for org in parties(doc)]


# --- state changes ----------------------------------------------------------------------

def set_time(user, doc, at):
    """Set or move the coordinated embargo time (the owner's editors and approvers): every
    party's waiting rows move with it, and everyone involved is told."""
    _require_joint(user, doc)
    if not can_set_time(user, doc):
        raise Forbidden(_("Only the owning organisation's editors and approvers set the "
                          "release time."))
    _future(at)
    _require_ready(doc)
    release = release_for(doc)
    before = release.embargo_at.isoformat() if release else None
    if release is None:
        release = JointRelease(document_id=doc.id, embargo_at=at, created_by_id=user.id)
        db.session.add(release)
    release.embargo_at = at
    moved = _rows(doc, ("queued", "held"))
    for row in moved:
        _set_embargo(row, at)
    workflow.follow_release(user, doc, at)
    audit.record(user, "release.timed", doc, at=at.isoformat(), before=before,
                 moved=[r.id for r in moved])
    notifications.notify("release_scheduled", doc, user, workflow.everyone(doc))
    db.session.commit()
    return release


def plan(user, doc, channel_ids):
    """The user's organisation plans its own channels for the release (replacing its earlier
    plan): one queued row per channel, due at the embargo time, formatted now from the agreed
    revision."""
    _require_joint(user, doc)
    if not can_plan(user, doc):
        raise Forbidden(_("Only a party's editors, approvers and admins plan its channels."))
    release = _require_release(doc)
    if release.held_at is not None:
        raise Conflict(_("The release is held: nothing can be planned until it is released."))
    if release.embargo_at <= utcnow():
        raise Conflict(_("The release time has passed."))
    _require_ready(doc)
    if not channel_ids:
        raise ValidationError(_("Choose at least one channel."), field="channels")
    organisation = user.organisation
    chosen = channel_registry.chosen_channels(doc, channel_ids, organisation=organisation)
    media.check_alt_text(doc, chosen)
    replaced = _rows(doc, ("queued",), organisation.id)
    for row in replaced:
        row.state, row.last_error = "cancelled", "replaced by a new plan"
    rows = outbox.enqueue(user, doc, chosen, release.embargo_at)
    for row in rows:
        _set_embargo(row, release.embargo_at)
    if organisation.id == doc.organisation_id:
        workflow.follow_release(user, doc, release.embargo_at)
    audit.record(user, "release.planned", doc, organisation=organisation.slug,
                 channels=[c.name for c in chosen], at=release.embargo_at.isoformat(),
                 replaced=[r.id for r in replaced])
    db.session.commit()
    return rows


def hold_all(user, doc, reason):
    """Hold every party's pending publications of the text at once (any party's approver,
    with a reason); everyone involved is told."""
    _require_joint(user, doc)
    if not can_hold(user, doc):
        raise Forbidden(_("Only an organisation's approver may hold the release."))
    reason = workflow.reason_text(reason)
    release = _require_release(doc)
    if release.held_at is not None:
        raise Conflict(_("The release is held already."))
    held = outbox.hold_pending(doc, reason)
    release.held_at, release.held_by_id, release.hold_reason = utcnow(), user.id, reason
    audit.record(user, "release.held", doc, reason=reason,
                 organisation=user.organisation.slug, held=[r.id for r in held])
    notifications.notify("release_held", doc, user, workflow.everyone(doc),
                         organisation=user.organisation.name, message=reason)
    db.session.commit()
    return held


def release(user, doc, at=None):
    """Release a hold (the owning organisation's approver): the held rows wait for the
    embargo time again, or for a new time when it has passed (then one must be given)."""
    _require_joint(user, doc)
    if not can_release(user, doc):
        raise Forbidden(_("Only the owning organisation's approver releases a held joint "
                          "text."))
    joint = _require_release(doc)
    if joint.held_at is None:
        raise Conflict(_("The release is not held."))
    if at is not None:
        joint.embargo_at = _future(at)
    elif joint.embargo_at <= utcnow():
        raise ValidationError(_("The release time has passed: choose a new time."), field="at")
    revision = _require_ready(doc)
    queued = []
    for row in _rows(doc, ("held",)):
        if row.revision_id != revision.id:  # a plan of an earlier text never goes out
            row.state, row.last_error = "cancelled", "the text changed"
            continue
        row.state, row.last_error = "queued", None
        _set_embargo(row, joint.embargo_at)
        queued.append(row)
    joint.held_at = joint.held_by_id = joint.hold_reason = None
    joint.released_at, joint.released_by_id = utcnow(), user.id
    workflow.follow_release(user, doc, joint.embargo_at)
    audit.record(user, "release.resumed", doc, at=joint.embargo_at.isoformat(),
                 queued=[r.id for r in queued])
    notifications.notify("release_resumed", doc, user, workflow.everyone(doc))
    db.session.commit()
    return queued


def withdraw_approval(user, doc, reason):
    """The user's organisation takes back its approval (see workflow.withdraw_approval)."""
    return workflow.withdraw_approval(user, doc, reason)


# --- what the document page shows -------------------------------------------------------

def panel(user, doc):
    """The joint release panel for this user, or None for a text that is not shared."""
    if not coalition.shares(doc):
        return None
    joint = release_for(doc)
    planning = can_plan(user, doc) and joint is not None and joint.held_at is None \
        and doc.state in READY and joint.embargo_at > utcnow()
    own = [r.channel_id for r in _rows(doc, ("queued", "held"), user.organisation_id)]
    status = workflow.approval_status(doc)
    mine = status.of(user.organisation_id)
    # Every party's plan belongs to a release: without one, a partner sees only what went
    # out (on the publishing panel), never the owner's own failures or queue.
    everyone_plans = plans(doc) if joint is not None else []
    return {
        "release": joint,
        "plans": everyone_plans,
        "partner_failures": partner_failures(user, doc, everyone_plans),
        "agreed": status.agreed,
        "can_set_time": can_set_time(user, doc) and doc.state in READY,
        "can_plan": planning,
        "channels": _offered(user.organisation, doc.kind) if planning else [],
        "planned": set(own),
        "can_hold": joint is not None and joint.held_at is None and can_hold(user, doc),
        "can_release": joint is not None and joint.held_at is not None
        and can_release(user, doc),
        "can_withdraw": bool(mine and mine.approved) and workflow.may_review(user, doc)
        and doc.state in workflow.WITHDRAWABLE,
    }


def partner_failures(user, doc, party_plans):
    """The partners' failed rows this user is shown ([(organisation, row)]): every partner's
    to the owning organisation, who coordinates the release; a partner's own to itself."""
    owner = user.organisation_id == doc.organisation_id
    return [(org, row) for org, is_owner, rows in party_plans if not is_owner
            and (owner or org.id == user.organisation_id)
            for row in rows if row.state == "failed"]


def _offered(organisation, kind):
    """The organisation's channels for the kind; a newsroom channel made on first use is
    committed at once, so that the id the form carries still names it when it comes back."""
    had_newsroom = db.session.execute(
        select(Channel.id).where(Channel.organisation_id == organisation.id,
                                 Channel.type == "website").limit(1)).first()
    offered = channel_registry.organisation_channels_for(organisation, kind)
    if had_newsroom is None:
        db.session.commit()
    return offered
