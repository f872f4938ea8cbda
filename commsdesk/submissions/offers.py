"""Offering an approved op-ed or letter to an outlet: the checks (the text is approved or
agreed, fits the outlet's length limit, no exclusivity is broken), the Submission row and the
email to the desk, in one transaction."""
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, kinds, outlets, workflow
from ..access import require_visible
from ..errors import Conflict, Forbidden, ValidationError
from ..extensions import db
from ..models import OPEN_SUBMISSION_STATES, Document, Submission, utcnow
from ..times import organisation_zone, parse_datetime
from ..validation import text_field
from . import letters

KINDS = frozenset({"op_ed", "letter"})
CLOSED_DOCUMENT_STATES = frozenset({workflow.WITHDRAWN, workflow.ARCHIVED})
MAX_PRESENTATION = 1000
MAX_NOTE = 2000


def can_submit(user, doc):
    """The owning organisation's editors and admins offer its op-eds and letters."""
    return doc.kind in KINDS and doc.organisation_id == user.organisation_id \
        and outlets.can_manage(user)


def require_submit(user, doc):
    require_visible(user, doc)
    if doc.kind not in KINDS:
        raise Conflict(_("Only op-eds and letters to the editor are offered to newspapers."))
    if not can_submit(user, doc):
        raise Forbidden(_("Only the owning organisation's editors and admins offer a text "
                          "to a newspaper and record its answers."))


def approved_revision(doc):
    """The revision that may be offered: the current one, approved (agreed, for a joint
    text); otherwise Conflict saying why."""
    if doc.state in CLOSED_DOCUMENT_STATES:
        raise Conflict(_("A withdrawn or archived text cannot be offered."))
    try:
        return workflow.publish_gate(doc)
    except workflow.ApprovalExpired:
        raise Conflict(_("Only an approved text can be offered: the current revision lacks "
                         "the approvals it needs.")) from None


def default_presentation(doc):
    """The authors as the form first shows them: each signatory's name and title."""
    from .letters import signatory_lines

    return "\n".join(", ".join(p for p in (s["name"], s["title"]) if p)
                     + f" ({s['organisation']})" for s in signatory_lines(doc))


def length_used(revision):
    """The text's length as the editor counts it (lead and body, as the reader sees them)."""
    return kinds.text_stats(revision.content)["characters"]


def check_length(outlet, revision):
    used = length_used(revision)
    if outlet.length_limit and used > outlet.length_limit:
        raise ValidationError(
            _("The text is %(used)d characters long; %(outlet)s takes at most %(limit)d. "
              "Shorten it by %(over)d characters and have it approved again.",
              used=used, outlet=outlet.name, limit=outlet.length_limit,
              over=used - outlet.length_limit), field="outlet_id", used=used,
            limit=outlet.length_limit)


def open_offers(doc):
    """The document's offers still open (offered or accepted), oldest first."""
    return db.session.execute(
        select(Submission).where(Submission.document_id == doc.id,
                                 Submission.state.in_(OPEN_SUBMISSION_STATES))
        .order_by(Submission.id)).scalars().all()


def check_exclusivity(doc, outlet):
    """Refuse an offer that would break an exclusive one, either way round."""
    for other in open_offers(doc):
        if other.outlet_id == outlet.id:
            raise Conflict(_("The text is already on offer to %(outlet)s.",
                             outlet=outlet.name), outlet_id=outlet.id)
        if other.exclusive:
            raise Conflict(_("The text is offered exclusively to %(outlet)s: it cannot be "
                             "offered elsewhere until that offer is refused or withdrawn.",
                             outlet=other.outlet.name), outlet_id=other.outlet_id)
        if outlet.wants_exclusive:
            raise Conflict(_("%(outlet)s wants exclusive offers, and the text is already on "
                             "offer to %(other)s. Withdraw that offer first.",
                             outlet=outlet.name, other=other.outlet.name),
                           outlet_id=other.outlet_id)


def parse_reply_by(doc, value, offered_at):
    """A reply deadline typed in the organisation's zone (or ISO with an offset), after the
    offer was made."""
    due = parse_datetime(value, organisation_zone(doc), field="reply_by", label=_("Reply by"))
    if due is None or due <= offered_at:
        raise ValidationError(_("Reply by must be after the offer was made."),
                              field="reply_by")
    return due


def _lock(doc):
    # Two offers at once must not both pass the exclusivity check (PostgreSQL row lock;
    # SQLite serialises writers anyway).
    db.session.execute(select(Document.id).where(Document.id == doc.id).with_for_update())


def submit(user, doc, outlet_id, presentation, note="", reply_by=None):
    """Offer the approved text to an outlet: the row, the email to its desk, the audit
    entry, in one transaction. The document's workflow state does not change."""
    require_submit(user, doc)
    outlet = outlets.get_outlet(user, outlet_id) if outlet_id not in (None, "") else None
    if outlet is None or not outlet.active:
        raise ValidationError(_("Choose an outlet to offer the text to."), field="outlet_id")
    presentation = text_field(presentation, MAX_PRESENTATION, _("About the authors"),
                              "presentation", required=True)
    note = text_field(note, MAX_NOTE, _("Note to the desk"), "note")
    _lock(doc)
    revision = approved_revision(doc)
    check_length(outlet, revision)
    check_exclusivity(doc, outlet)
    now = utcnow()
    due = parse_reply_by(doc, reply_by, now) if reply_by \
        else now + timedelta(days=outlet.reply_days)
    row = Submission(organisation_id=doc.organisation_id, document_id=doc.id,
                     revision_id=revision.id, content_hash=revision.content_hash,
                     outlet_id=outlet.id, state="offered", exclusive=outlet.wants_exclusive,
                     offered_at=now, reply_by=due, presentation=presentation, note=note,
                     created_by_id=user.id)
    db.session.add(row)
    db.session.flush()
    email = letters.queue_offer(user, row)
    db.session.flush()
    row.email_id = email.id
    audit.record(user, "submission.offered", row, document_id=doc.id, outlet=outlet.name,
                 revision=revision.number, content_hash=revision.content_hash,
                 exclusive=row.exclusive, reply_by=due.isoformat(), email_id=row.email_id)
    db.session.commit()
    return row

