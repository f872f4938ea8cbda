"""Who may see and change what: the tenancy filter, the role vocabulary, every can_*/require_*,
and the one way to fetch a row by id (NotFound whether it is missing or not visible)."""
from flask_babel import gettext as _
from sqlalchemy import or_, select

from .errors import Forbidden, NotFound
from .extensions import db
from .models import ROLES, Document, Share

# --- the role vocabulary ----------------------------------------------------------------
# ROLES (models.people) is every role a user may have, the vocabulary of the column.
ADMIN, EDITOR, APPROVER, CONTRIBUTOR = ROLES
# The office's staff run its texts: they edit any of their organisation's documents, manage
# preview links, share, name signatories, publish and read a document's audit log.
# Contributors (elected members) edit their own texts and otherwise comment and suggest.
STAFF = frozenset({ADMIN, EDITOR, APPROVER})
# Who may give a document to another owner.
ASSIGNERS = frozenset({ADMIN, EDITOR})
# Who reviews: told when a text is shared with their organisation or waits for them.
REVIEWERS = frozenset({EDITOR, APPROVER})
# The lowest role a kind's approval policy may name, and the roles that may then approve:
# the group leader alone, or editors too. Admins do not approve as such.
APPROVERS = {APPROVER: frozenset({APPROVER}), EDITOR: frozenset({APPROVER, EDITOR})}

# Who reads member data (membership reveals political opinion, GDPR art. 9): the office's
# secretaries and admins, who run the lists. Approvers and contributors see counts only.
MEMBER_STEWARDS = frozenset({ADMIN, EDITOR})

# The largest id every supported database keeps in an integer column; anything larger is
# no row (and must not reach the database, where it would be an error, not a miss).
MAX_ID = 2**31 - 1


def is_admin(user):
    """Whether the user administers their organisation (users, policy, its audit log)."""
    return user.role == ADMIN


def can_see_members(user):
    """Whether the user may read and manage the organisation's members and press contacts
    (every read of member data is audited by the audience module)."""
    return user.organisation_id is not None and user.role in MEMBER_STEWARDS


def can_monitor(user):
    """Whether the user may read and triage the organisation's monitored items (everyone
    in an organisation; items never cross to another one)."""
    return user.organisation_id is not None


def can_manage_sources(user):
    """Whether the user may add, change and remove sources and watch lists."""
    return user.organisation_id is not None and user.role in (ADMIN, EDITOR)


# --- fetching by id ---------------------------------------------------------------------

def parse_id(value):
    """An id (1 to MAX_ID) from a URL, a form or JSON as an int; None if it cannot be one."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_ID else None


def get_or_404(model, id_value, *where, message):
    """The row of model with this id that meets every condition in where; NotFound with the
    message otherwise, the same whether it does not exist or may not be seen."""
    row_id = parse_id(id_value)
    row = None
    if row_id is not None:
        row = db.session.execute(
            select(model).where(model.id == row_id, *where)).scalar_one_or_none()
    if row is None:
        raise NotFound(message)
    return row


# --- which documents a user sees --------------------------------------------------------

def shared_with(organisation_id):
    """A select of the ids of documents shared with an organisation."""
    return select(Share.document_id).where(Share.organisation_id == organisation_id)


def visible_to(user):
    """The condition on Document for what this user may see: the own organisation's
    documents and those shared with it."""
    return or_(Document.organisation_id == user.organisation_id,
               Document.id.in_(shared_with(user.organisation_id)))


def visible_documents(user):
    """A select of the documents this user may see. Pages, API, search, feeds and exports all
    start from this."""
    return select(Document).where(visible_to(user))


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
    return get_or_404(Document, document_id, visible_to(user),
                      message=_("No such document."))


def is_owner_org(user, doc):
    """Whether the document belongs to the user's organisation."""
    return doc.organisation_id == user.organisation_id


def is_partner(user, doc):
    """Whether the document is shared with the user's organisation (not its own)."""
    if is_owner_org(user, doc):
        return False
    return db.session.execute(
        select(Share.id).where(Share.document_id == doc.id,
                               Share.organisation_id == user.organisation_id)
    ).first() is not None


def can_see(user, doc):
    """Whether the document is the user's organisation's or shared with it."""
    return user is not None and (is_owner_org(user, doc) or is_partner(user, doc))


def require_visible(user, doc):
    """Domain functions refuse a document the user cannot see as if it did not exist
    (defence in depth: views fetch it with get_document first)."""
    if not can_see(user, doc):
        raise NotFound(_("No such document."))


# --- what a user may do with a document -------------------------------------------------

def _owner_staff(user, doc):
    return is_owner_org(user, doc) and user.role in STAFF


def can_edit(user, doc):
    """Only the owning organisation edits directly: its staff any of its documents,
    contributors their own. Partners comment and suggest."""
    return _owner_staff(user, doc) or (is_owner_org(user, doc) and doc.owner_id == user.id)


def require_edit(user, doc):
    """Forbidden unless the user may edit the document."""
    if not can_edit(user, doc):
        raise Forbidden(_("You may read this document but not change it."))


def can_reassign(user):
    """Whether the user may set a document's owner."""
    return user.role in ASSIGNERS


def can_publish(user, doc):
    """Whether the user may schedule, publish, withdraw, archive and reopen the document."""
    return _owner_staff(user, doc)


def can_act_on_publication(user, row):
    """Whether the user retries, cancels or confirms this publication: the staff of the
    organisation whose row it is (a partner's rows of a joint text are the partner's)."""
    return user.organisation_id == row.organisation_id and user.role in STAFF


def can_manage_previews(user, doc):
    """The owning organisation's staff create and revoke a document's preview links."""
    return _owner_staff(user, doc)


def can_share(user, doc):
    """The owning organisation's staff share and unshare a document."""
    return _owner_staff(user, doc)


def can_sign_for(user, doc):
    """Whether the user may name signatories for their own organisation on this document."""
    return can_see(user, doc) and user.role in STAFF


def can_order_signatories(user, doc):
    """The owning organisation's staff set the order of every organisation's signatories."""
    return _owner_staff(user, doc)


def can_read_document_log(user, doc):
    """The owning organisation's staff read a document's audit log."""
    return _owner_staff(user, doc)


def require_document_log(user, doc):
    """Forbidden unless the user may read the document's log; partners get NotFound."""
    if not is_owner_org(user, doc):
        raise NotFound(_("No such document."))
    if not can_read_document_log(user, doc):
        raise Forbidden(_("Only editors, approvers and admins read the audit log."))


def can_read_global_log(user):
    """Superusers read every entry, an organisation's admins its own."""
    return bool(user.is_superuser or (is_admin(user) and user.organisation_id))
