"""Send-outs to many: a Mailing with one Delivery row per recipient, decided here (who, what,
when) and sent by newsletter.deliver. Each public function checks permission and state,
changes, audits, commits and notifies where someone must act."""
import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from .. import audit, notifications, workflow
from ..access import can_publish, get_or_404
from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import DELIVERY_STATES, Delivery, Mailing, utcnow
from ..models.mailings import OPEN_MAILING_STATES, SETTLED_DELIVERY_STATES
from . import compose

SENDABLE_KINDS = ("newsletter", "press_release", "meeting_notice")
# Reasons a recipient was spared (Delivery.last_error of a skipped row; labels in the UI).
SUPPRESSED, WEEKLY_CAP, ALREADY_SENT = "suppressed", "weekly_cap", "already_sent"
DECLINED = "declined"
# Kinds a person gets once per document: a second send-out of the same text (to the same or
# an overlapping audience) spares whoever already has it or is about to. Updates of a
# meeting's time or place go out each time they change.
ONCE_KINDS = ("newsletter", "press_release", "meeting_notice", "meeting_reminder")
# Deliveries that count as "has it or will have it".
RECEIVING_STATES = ("queued", "sending", "sent", "uncertain")
INSERT_CHUNK = 5000
UNSETTLED = ("queued", "sending", "uncertain")


def _recipients(organisation_id, audience, kind):
    """The audience's addresses (the audience part's segments module, imported late)."""
    from ..audience import segments

    topic = "meetings" if kind.startswith("meeting") else "newsletter"
    return segments.recipients(organisation_id, audience, topic=topic)


def clean_audience(audience):
    """The audience dict with only known keys and integer ids; ValidationError if empty."""
    audience = audience or {}
    clean = {"all_members": bool(audience.get("all_members")),
             "segments": sorted({int(i) for i in audience.get("segments") or []}),
             "press_lists": sorted({int(i) for i in audience.get("press_lists") or []})}
    if not (clean["all_members"] or clean["segments"] or clean["press_lists"]):
        raise ValidationError(_("Choose who receives it: all members, segments or press "
                                "lists."), field="audience")
    return clean


def message_domain():
    """The domain of the Message-IDs (that of MAIL_FROM)."""
    return current_app.config["MAIL_FROM"].rsplit("@", 1)[-1].strip(">") or "commsdesk.local"


def _capped_members(organisation_id, cap, now):
    """Ids of members who already got `cap` send-outs in the last 7 days."""
    if not cap:
        return set()
    return set(db.session.execute(
        select(Delivery.member_id).join(Mailing, Mailing.id == Delivery.mailing_id)
        .where(Mailing.organisation_id == organisation_id, Delivery.state == "sent",
               Delivery.member_id.is_not(None), Delivery.sent_at > now - timedelta(days=7))
        .group_by(Delivery.member_id).having(func.count() >= cap)).scalars())


def _spared(organisation, recipients, now, doc=None, kind=None, spare=None):
    """{email: reason} of recipients who are not sent to: suppressed, over the weekly cap,
    already given this document by an earlier send-out of the same kind, or named in
    `spare` ({email hash: reason}, e.g. those who declined a meeting)."""
    from ..audience import settings, suppression

    hashes = suppression.suppressed_hashes(organisation.id)
    capped = _capped_members(organisation.id, settings.get(organisation).weekly_cap, now)
    received = _already_received(doc, kind)
    spared = {}
    spare = spare or {}
    for email, _name, member_id, _contact in recipients:
        hashed = suppression.email_hash(email) if hashes or spare else None
        if hashes and hashed in hashes:
            spared[email] = SUPPRESSED
        elif hashed in spare:
            spared[email] = spare[hashed]
        elif email in received:
            spared[email] = ALREADY_SENT
        elif member_id in capped:
            spared[email] = WEEKLY_CAP
    return spared


def _already_received(doc, kind):
    """Addresses an earlier, not cancelled send-out of this document and kind has given it
    to, or is giving it to."""
    if doc is None or kind not in ONCE_KINDS:
        return set()
    return set(db.session.execute(
        select(Delivery.email).join(Mailing, Mailing.id == Delivery.mailing_id)
        .where(Mailing.document_id == doc.id, Mailing.kind == kind,
               Mailing.state != "cancelled", Delivery.state.in_(RECEIVING_STATES))
    ).scalars())


def count_recipients(user, doc, audience, kind=None):
    """(to receive, spared) for an audience, before sending (the panel shows it)."""
    _check_document(user, doc)
    kind = kind or (doc.kind if doc.kind in SENDABLE_KINDS else "newsletter")
    recipients = _recipients(doc.organisation_id, clean_audience(audience), kind)
    spared = _spared(doc.organisation, recipients, utcnow(), doc, kind)
    return len(recipients) - len(spared), len(spared)


def _check_document(user, doc):
    if not can_publish(user, doc):
        raise Forbidden(_("Only the owning organisation's editors may do that."))


def create(user, doc, audience, at=None, kind=None, spare=None):
    """Decide a send-out of the document's approved revision to the audience, now or at
    `at` (an aware time in the future), sparing those in `spare` ({email hash: reason});
    returns the Mailing (committed)."""
    _check_document(user, doc)
    kind = kind or (doc.kind if doc.kind in SENDABLE_KINDS else "newsletter")
    revision = workflow.publish_gate(doc)  # the approved revision goes out, nothing else
    audience = clean_audience(audience)
    now = utcnow()
    if at is not None and at <= now:
        raise ValidationError(_("Choose a time in the future, or send now."), field="at")
    composed = compose.build(doc, revision, kind)
    recipients = _recipients(doc.organisation_id, audience, kind)
    if not recipients:
        raise ValidationError(_("Nobody in this audience can receive it."), field="audience")
    mailing = Mailing(organisation_id=doc.organisation_id, document_id=doc.id,
                      revision_id=revision.id, kind=kind, audience=audience,
                      subject=composed.subject, html_template=composed.html,
                      text_template=composed.text, attachments=composed.attachments,
                      state="scheduled", due_at=at or now, created_by_id=user.id)
    db.session.add(mailing)
    db.session.flush()
    spared = _spared(doc.organisation, recipients, now, doc, kind, spare)
    _insert_deliveries(mailing.id, recipients, spared)
    audit.record(user, "mailing.created", doc, mailing=mailing.id, kind=kind,
                 audience=audience, recipients=len(recipients) - len(spared),
                 spared=len(spared), due_at=mailing.due_at.isoformat(),
                 content_hash=revision.content_hash)
    db.session.commit()
    return mailing


def _insert_deliveries(mailing_id, recipients, spared):
    """One row per recipient, in bulk inserts of INSERT_CHUNK rows (one transaction)."""
    domain = message_domain()
    for start in range(0, len(recipients), INSERT_CHUNK):
        rows = []
        for email, name, member_id, contact_id in recipients[start:start + INSERT_CHUNK]:
            reason = spared.get(email)
            rows.append({"mailing_id": mailing_id, "member_id": member_id,
                         "press_contact_id": contact_id, "email": email,
                         "name": (name or "")[:200], "attempts": 0,
                         "state": "skipped" if reason else "queued", "last_error": reason,
                         "message_id": f"<{uuid.uuid4().hex}@{domain}>"})
        db.session.execute(Delivery.__table__.insert(), rows)  # Core: no ORM bookkeeping


# --- what a person does with a send-out -----------------------------------------------------

def get_mailing(user, mailing_id):
    """A mailing of the user's organisation (404 otherwise, also for non-staff)."""
    from ..access import STAFF

    mailing = get_or_404(Mailing, mailing_id, Mailing.organisation_id == user.organisation_id,
                         message=_("No such send-out."))
    if user.role not in STAFF:
        raise Forbidden(_("Only the organisation's staff see its send-outs."))
    return mailing


def list_mailings(user, limit=100):
    """The organisation's send-outs, newest first."""
    from ..access import STAFF

    if user.role not in STAFF:
        raise Forbidden(_("Only the organisation's staff see its send-outs."))
    return db.session.execute(
        select(Mailing).where(Mailing.organisation_id == user.organisation_id)
        .order_by(Mailing.created_at.desc(), Mailing.id.desc()).limit(limit)).scalars().all()


def _check(user, mailing, states, action):
    """User None is the operator (the command line)."""
    if user is not None and (user.organisation_id != mailing.organisation_id or (
            mailing.document is not None and not can_publish(user, mailing.document))):
        raise Forbidden(_("Only the owning organisation's editors may do that."))
    if mailing.state not in states:
        raise Conflict(_("Not possible while the send-out is “%(state)s”.",
                         state=state_label(mailing.state)), action=action)


def _audit(user, action, mailing, **data):
    """An audit entry about the mailing, on its document's log (action: a full code)."""
    audit.record(user, action, mailing.document or mailing,
                 organisation_id=mailing.organisation_id, mailing=mailing.id, **data)


def pause(user, mailing, reason=None):
    """Stop sending after the messages on their way now; resume carries on."""
    _check(user, mailing, ("scheduled", "overdue", "sending"), "pause")
    before, mailing.state = mailing.state, "paused"
    mailing.paused_reason = reason or (_("Paused by %(name)s.", name=user.name) if user
                                       else _("Paused by the operator."))
    _audit(user, "mailing.paused", mailing, before=before)
    db.session.commit()
    return mailing


def resume(user, mailing):
    """Carry on sending a paused send-out (the approval must still hold)."""
    _check(user, mailing, ("paused",), "resume")
    workflow.publish_gate(mailing.document, revision_id=mailing.revision_id)
    mailing.state, mailing.paused_reason = "sending", None
    _audit(user, "mailing.resumed", mailing)
    maybe_finish(mailing, user)  # nothing may be left to send
    db.session.commit()
    return mailing


def cancel(user, mailing):
    """Nothing more goes out: the rows not yet sent are settled as skipped."""
    _check(user, mailing, OPEN_MAILING_STATES, "cancel")
    db.session.execute(update(Delivery).where(Delivery.mailing_id == mailing.id,
                                              Delivery.state == "queued")
                       .values(state="skipped", last_error="cancelled", claimed_by=None))
    mailing.state, mailing.finished_at = "cancelled", utcnow()
    _audit(user, "mailing.cancelled", mailing)
    db.session.commit()
    return mailing


def confirm_overdue(user, mailing):
    """A person confirms that a send-out whose time passed while no worker ran goes out."""
    _check(user, mailing, ("overdue",), "confirm_overdue")
    workflow.publish_gate(mailing.document, revision_id=mailing.revision_id)
    mailing.state = "sending"
    _audit(user, "mailing.overdue_confirmed", mailing)
    db.session.commit()
    return mailing


def settle_uncertain(user, delivery, outcome):
    """A person decides an uncertain row: it went out ("sent") or it is sent again."""
    mailing = delivery.mailing
    _check(user, mailing, OPEN_MAILING_STATES, "settle")
    if delivery.state != "uncertain" or outcome not in ("sent", "resend"):
        raise Conflict(_("This recipient is not waiting for a decision."), action="settle")
    if outcome == "sent":
        delivery.state, delivery.sent_at = "sent", delivery.sent_at or utcnow()
    else:
        delivery.state, delivery.next_attempt_at, delivery.claimed_by = "queued", None, None
    _audit(user, "mailing.delivery_settled", mailing, delivery=delivery.id, outcome=outcome)
    db.session.flush()
    maybe_finish(mailing)
    db.session.commit()
    return delivery


def get_any(mailing_id):
    """A mailing of any organisation (for the operator's command line); NotFound if none."""
    return get_or_404(Mailing, mailing_id, message=_("No such send-out."))


def get_delivery(user, mailing, delivery_id):
    """A row of this mailing (404 otherwise)."""
    return get_or_404(Delivery, delivery_id, Delivery.mailing_id == mailing.id,
                      message=_("No such recipient."))


# --- states ----------------------------------------------------------------------------------

def counts(mailing_id):
    """{state: count} of a mailing's rows (every state present, zeros included)."""
    rows = dict(db.session.execute(
        select(Delivery.state, func.count()).where(Delivery.mailing_id == mailing_id)
        .group_by(Delivery.state)).all())
    return {state: rows.get(state, 0) for state in DELIVERY_STATES}


def progress(mailing):
    """Counts per state, total, settled and percent settled (for the bar)."""
    by_state = counts(mailing.id)
    total = sum(by_state.values())
    settled = sum(by_state[s] for s in SETTLED_DELIVERY_STATES)
    return {"id": mailing.id, "state": mailing.state, "paused_reason": mailing.paused_reason,
            "counts": by_state, "total": total, "settled": settled,
            "percent": round(100 * settled / total, 1) if total else 100.0}


def maybe_finish(mailing, actor=None):
    """Finish a sending send-out once no row waits (queued, sending or uncertain); the
    caller commits. Returns True when it finished."""
    if mailing.state not in ("sending", "paused"):
        return False
    open_row = db.session.execute(
        select(Delivery.id).where(Delivery.mailing_id == mailing.id,
                                  Delivery.state.in_(UNSETTLED)).limit(1)).first()
    if open_row is not None:
        return False
    mailing.state, mailing.finished_at = "finished", utcnow()
    by_state = counts(mailing.id)
    _audit(actor, "mailing.finished", mailing, sent=by_state["sent"], failed=by_state["failed"],
            skipped=by_state["skipped"])
    _document_sent(mailing, by_state["sent"])
    return True


def _document_sent(mailing, sent):
    """An approved text that went out by email counts as published (as publications do)."""
    doc = mailing.document
    if doc is None or not sent or doc.state != workflow.APPROVED:
        return
    before, doc.state = doc.state, workflow.PUBLISHED
    audit.record(None, "workflow.mailing_sent", doc, before=before, after=doc.state,
                 mailing=mailing.id)
    notifications.notify("published", doc, None, workflow.involved(doc))


def state_label(state):
    """A mailing state in words (labels are filled in by the web layer's table)."""
    from .labels import MAILING_STATE_LABELS

    return str(MAILING_STATE_LABELS.get(state, state))


def overdue_notice(mailing):
    """Tell the creator (and the document's editors) that an overdue send waits for them."""
    doc = mailing.document
    if doc is None:
        return
    recipients = [mailing.created_by] if mailing.created_by else []
    notifications.notify("mailing_overdue", doc, None,
                         recipients or notifications.owner_and_editors(doc), mailing=mailing.id)


def self_paused_notice(mailing):
    """Tell the creator that the send-out paused itself, and why."""
    doc = mailing.document
    if doc is not None:
        recipients = [mailing.created_by] if mailing.created_by else []
        notifications.notify("mailing_paused", doc, None,
                             recipients or notifications.owner_and_editors(doc),
                             mailing=mailing.id, message=mailing.paused_reason)
