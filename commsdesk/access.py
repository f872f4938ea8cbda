"""What a user may see and change: the one place the tenancy filter is built."""
from sqlalchemy import select

from .errors import Forbidden, NotFound
from .extensions import db
from .models import Document

EDITING_ROLES = {"admin", "editor", "approver"}


def visible_documents(user):
    """A select of the documents this user may see: those of the user's own organisation."""
    return select(Document).where(Document.organisation_id == user.organisation_id)


def get_document(user, document_id):
    """The document if the user may see it; NotFound otherwise (never reveal existence)."""
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        raise NotFound("No such document.") from None
    doc = db.session.execute(
        visible_documents(user).where(Document.id == document_id)
    ).scalar_one_or_none()
    if doc is None:
        raise NotFound("No such document.")
    return doc


def can_edit(user, doc):
    """Editors, approvers and admins edit any document of their organisation; others their own."""
    if doc.organisation_id != user.organisation_id:
        return False
    return user.role in EDITING_ROLES or doc.owner_id == user.id


def require_edit(user, doc):
    if not can_edit(user, doc):
        raise Forbidden("You may read this document but not change it.")


def can_reassign(user):
    """Whether the user may set a document's owner."""
    return user.role in {"admin", "editor"}
