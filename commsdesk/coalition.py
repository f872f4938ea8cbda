"""Coalition co-signing: sharing a document with partner organisations, and its signatories.

Sharing decides who sees a document (access.visible_documents derives it from Share rows) and
who must approve it (workflow.approval_status). Signatories are document metadata:
changing them makes no revision and leaves approvals as they are."""
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from . import audit, notifications, workflow
from .access import (
    REVIEWERS,
    can_order_signatories,
    can_share,
    can_sign_for,
    get_or_404,
    require_visible,
)
from .errors import Forbidden, NotFound, ValidationError
from .extensions import db
from .models import Organisation, Share, Signatory
from .validation import text_field

MAX_NAME = 200
MAX_SIGNATORIES = 100


# --- sharing ----------------------------------------------------------------------------

def _require_share(user, doc):
    require_visible(user, doc)
    if not can_share(user, doc):
        raise Forbidden(_("Only the owning organisation's editors may share this document."))


def shares(doc):
    """The document's shares, in the order they were made."""
    return db.session.execute(
        select(Share).where(Share.document_id == doc.id).order_by(Share.id)
        .options(selectinload(Share.organisation), selectinload(Share.created_by))
    ).scalars().all()


def organisations():
    """All organisations of the installation by name (names only are shown to users)."""
    return db.session.execute(select(Organisation).order_by(Organisation.name)).scalars().all()


def share_candidates(doc):
    """Organisations the document could still be shared with."""
    taken = {doc.organisation_id, *(s.organisation_id for s in shares(doc))}
    return [org for org in organisations() if org.id not in taken]


def _organisation(value):
    """An Organisation from an Organisation, or its slug as sent by a form or the API."""
    if isinstance(value, Organisation):
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(_("Choose an organisation to share with."), field="organisation")
    org = db.session.execute(
        select(Organisation).where(Organisation.slug == value.strip())
    ).scalar_one_or_none()
    if org is None:
        raise ValidationError(_("No organisation with slug %(slug)s.", slug=value.strip()),
                              field="organisation")
    return org


def _share_row(doc, org):
    return db.session.execute(
        select(Share).where(Share.document_id == doc.id, Share.organisation_id == org.id)
    ).scalar_one_or_none()


def share(user, doc, organisation):
    """Share the document with a partner organisation: its users may then read, comment,
    suggest and approve for their organisation, and the document needs that approval."""
    _require_share(user, doc)
    org = _organisation(organisation)
    if org.id == doc.organisation_id:
        raise ValidationError(_("The document belongs to %(org)s already.", org=org.name),
                              field="organisation")
    if _share_row(doc, org) is not None:
        raise ValidationError(_("The document is already shared with %(org)s.", org=org.name),
                              field="organisation")
    row = Share(document_id=doc.id, organisation_id=org.id, created_by_id=user.id)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:  # shared by someone else at the same moment
        db.session.rollback()
        raise ValidationError(_("The document is already shared with %(org)s.", org=org.name),
                              field="organisation") from None
    workflow.requirements_changed(user, doc)
    audit.record(user, "document.shared", doc, organisation=org.slug,
                 organisation_name=org.name)
    partner_reviewers = notifications.recipients_in(org.id, REVIEWERS)
    notifications.notify("review_requested", doc, user, partner_reviewers, shared=True,
                         organisation=doc.organisation.name)
    db.session.commit()
    return row


def unshare(user, doc, organisation):
    """Take the document away from a partner at once. Its signatories leave with it, unless
    the text went out already (then they are part of the record of what was published)."""
    _require_share(user, doc)
    org = _organisation(organisation)
    row = _share_row(doc, org)
    if row is None:
        raise NotFound(_("The document is not shared with %(org)s.", org=org.name))
    removed = []
    if doc.state in workflow.EDITABLE:
        removed = db.session.execute(
            select(Signatory).where(Signatory.document_id == doc.id,
                                    Signatory.organisation_id == org.id)
        ).scalars().all()
    for signatory in removed:
        db.session.delete(signatory)
    db.session.delete(row)
    db.session.flush()
    _renumber(doc)
    workflow.requirements_changed(user, doc)
    audit.record(user, "document.unshared", doc, organisation=org.slug,
                 organisation_name=org.name, signatories_removed=[s.name for s in removed])
    db.session.commit()


# --- signatories ------------------------------------------------------------------------

def signatories(doc):
    """The document's signatories in the agreed order."""
    return db.session.execute(
        select(Signatory).where(Signatory.document_id == doc.id)
        .order_by(Signatory.position, Signatory.id).options(selectinload(Signatory.organisation))
    ).scalars().all()


def _require_sign(user, doc):
    require_visible(user, doc)
    if not can_sign_for(user, doc):
        raise Forbidden(_("Only editors and approvers may name their organisation's "
                          "signatories."))
    workflow.check_editable(doc)


def _text(value, label, field, required=False):
    # One line: signatures are names and titles.
    return text_field(value, MAX_NAME, label, field, required=required, single_line=True)


def get_signatory(user, doc, signatory_id):
    """A signatory of this document, or NotFound."""
    require_visible(user, doc)
    return get_or_404(Signatory, signatory_id, Signatory.document_id == doc.id,
                      message=_("No such signatory."))


def _own(user, signatory):
    if signatory.organisation_id != user.organisation_id:
        raise Forbidden(_("Each organisation names and changes only its own signatories."))


def add_signatory(user, doc, name, title="", position=None):
    """Add a signatory for the user's own organisation, last unless a position is given."""
    _require_sign(user, doc)
    name = _text(name, _("Name"), "name", required=True)
    title = _text(title, _("Role"), "title")
    count = db.session.execute(
        select(func.count(Signatory.id)).where(Signatory.document_id == doc.id)
    ).scalar_one()
    if count >= MAX_SIGNATORIES:
        raise ValidationError(_("A document has at most %(n)d signatories.",
                                n=MAX_SIGNATORIES))
    if position is not None:
        _require_order(user, doc)
    row = Signatory(document_id=doc.id, organisation_id=user.organisation_id, name=name,
                    title=title, position=count + 1)
    db.session.add(row)
    db.session.flush()
    if position is not None:
        _place(doc, row, position)
    audit.record(user, "signatory.added", doc, signatory=row.id, name=name, title=title,
                 signatory_organisation=user.organisation.slug, position=row.position)
    db.session.commit()
    return row


def update_signatory(user, doc, signatory, name=None, title=None, position=None):
    """Change a signatory's name or title (own organisation) or position (owning org)."""
    _require_sign(user, doc)
    changes = {}
    if name is not None or title is not None:
        _own(user, signatory)
    if name is not None:
        changes["name"] = _text(name, _("Name"), "name", required=True)
    if title is not None:
        changes["title"] = _text(title, _("Role"), "title")
    moving = position is not None and _position(position) != signatory.position
    if moving:
        _require_order(user, doc)
    for key, value in changes.items():
        setattr(signatory, key, value)
    if moving:
        _place(doc, signatory, position)
        changes["position"] = signatory.position
    if changes:
        audit.record(user, "signatory.changed", doc, signatory=signatory.id, **changes)
    db.session.commit()
    return signatory


def move_signatory(user, doc, signatory, direction):
    """Move a signatory one place up or down (owning organisation)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a signatory up or down."), field="direction")
    step = -1 if direction == "up" else 1
    return update_signatory(user, doc, signatory, position=signatory.position + step)


def remove_signatory(user, doc, signatory):
    """Remove one of the user's own organisation's signatories."""
    _require_sign(user, doc)
    _own(user, signatory)
    db.session.delete(signatory)
    db.session.flush()
    _renumber(doc)
    audit.record(user, "signatory.removed", doc, signatory=signatory.id, name=signatory.name,
                 title=signatory.title)
    db.session.commit()


def _require_order(user, doc):
    if not can_order_signatories(user, doc):
        raise Forbidden(_("Only the owning organisation's editors set the order of "
                          "signatories."))


def _position(value):
    if isinstance(value, bool):
        value = None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError(_("The position must be a whole number."),
                              field="position") from None


def _place(doc, signatory, position):
    """Put a signatory at a 1-based position, clamped, and number the others around it."""
    others = [s for s in signatories(doc) if s.id != signatory.id]
    index = min(max(_position(position), 1), len(others) + 1) - 1
    others.insert(index, signatory)
    _renumber(doc, others)


def _renumber(doc, ordered=None):
    for number, row in enumerate(ordered or signatories(doc), start=1):
        if row.position != number:
            row.position = number
    db.session.flush()

