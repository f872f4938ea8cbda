"""What a user may see and change: the one place the tenancy filter is built."""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from .errors import Forbidden, NotFound
from .extensions import db
from .models import Document, Share

EDITING_ROLES = {"admin", "editor", "approver"}


def shared_with(organisation_id):
    """A select of the ids of documents shared with an organisation."""
    return select(Share.document_id).where(Share.organisation_id == organisation_id)


def visible_documents(user):
    """A select of the documents this user may see: the own organisation's and those shared
    with it. Pages, API, search, feeds and exports all start from this."""
    return select(Document).where(or_(
        Document.organisation_id == user.organisation_id,
        Document.id.in_(shared_with(user.organisation_id)),
    ))


def visible_branches(user):
    """The same visibility as two selects that each use their own index: the organisation's
    documents, and those shared with it. Lists merge them (documents.list_documents)."""
    own = select(Document).where(Document.organisation_id == user.organisation_id)
    shared = (select(Document).join(Share, Share.document_id == Document.id)
              .where(Share.organisation_id == user.organisation_id,
                     Document.organisation_id != user.organisation_id))
    return own, shared


def get_document(user, document_id):
    """The document if the user may see it; NotFound otherwise (never reveal existence)."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such document.")) from None
    doc = db.session.execute(
        visible_documents(user).where(Document.id == document_id)
    ).scalar_one_or_none()
    if doc is None:
        raise NotFound(_("No such document."))
    return doc


def is_owner_org(user, doc):
    return doc.organisation_id == user.organisation_id


def is_partner(user, doc):
    """Whether the document is shared with the user's organisation (not its own)."""
    if is_owner_org(user, doc):
        return False
    return db.session.execute(
        select(Share.id).where(Share.document_id == doc.id,
                               Share.organisation_id == user.organisation_id)
    ).first() is not None


def require_visible(user, doc):
    """Domain functions refuse a document the user cannot see as if it did not exist
    (defence in depth: views fetch it with get_document first)."""
    if user is None or not (is_owner_org(user, doc) or is_partner(user, doc)):
        raise NotFound(_("No such document."))


def can_edit(user, doc):
    """Only the owning organisation edits directly: editors, approvers and admins any of its
    documents, contributors their own. Partners comment and suggest."""
    if not is_owner_org(user, doc):
        return False
    return user.role in EDITING_ROLES or doc.owner_id == user.id


def require_edit(user, doc):
    if not can_edit(user, doc):
        raise Forbidden(_("You may read this document but not change it."))


def can_reassign(user):
    """Whether the user may set a document's owner."""
    return user.role in {"admin", "editor"}
