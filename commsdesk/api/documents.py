"""Documents and revisions in the API: thin over commsdesk.documents. Their part of the
OpenAPI document is in documents_schema.py."""

from flask import g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.http import parse_etags

from .. import diff, documents, kinds
from ..access import MAX_ID, can_reassign, get_document, require_edit
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import Revision, User
from ..times import organisation_zone, parse_datetime
from . import ID, ApiError, bp, json_body, refuse_crafted
from . import iso as _iso
from .schema import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE

CONTENT_KEYS = ("title", "lead", "body", "fields", "variants")
METADATA_KEYS = ("tags", "deadline", "owner_id")
MAX_QUERY = 500
MAX_TAG = 60
STALE = _l("The document has a newer revision than the one in If-Match; nothing was changed. "
           "Fetch it again (GET), reapply your change and send the new ETag.")


def document_json(doc, full=True):
    """A Document (full) or DocumentSummary as the API shows it."""
    current = doc.current_revision
    data = {
        "id": doc.id,
        "kind": doc.kind,
        "state": doc.state,
        "title": doc.title,
        "owner": {"id": doc.owner_id, "name": doc.owner.name},
        "tags": [t.name for t in doc.tags],
        "deadline": _iso(doc.deadline),
        "current_revision": {"id": current.id, "number": current.number,
                             "content_hash": current.content_hash},
        "created_at": _iso(doc.created_at),
        "updated_at": _iso(doc.updated_at),
        "url": url_for("api.get_document_view", document_id=doc.id),
    }
    if full:
        data["content"] = current.content
        data["stats"] = kinds.text_stats(current.content)
        data["warnings"] = kinds.warnings(doc.kind, current.content)
    return data


def revision_json(rev, full=True):
    """A Revision (full) or RevisionSummary."""
    data = {"id": rev.id, "number": rev.number, "parent_id": rev.parent_id,
            "author": {"id": rev.author_id, "name": rev.author.name},
            "content_hash": rev.content_hash, "note": rev.note, "created_at": _iso(rev.created_at)}
    if full:
        data["content"] = rev.content
    return data


def _with_etag(response, doc):
    response.headers["ETag"] = f'"{doc.current_revision_id}"'
    return response


# --- reading the request ---------------------------------------------------------------

def int_arg(name, default=None, maximum=MAX_ID):
    """A whole-number query parameter from 1 to maximum, or a clear 422."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise ValidationError(_("%(name)s must be a whole number from 1 to %(maximum)d.",
                                name=name, maximum=maximum), field=name)
    return int(raw)


def _text_arg(name):
    value = request.args.get(name, "").strip()
    if len(value) > MAX_QUERY or "\x00" in value:
        raise ValidationError(_("%(name)s must be text of at most %(n)d characters.",
                                name=name, n=MAX_QUERY), field=name)
    return value or None


def _content(data, base=None):
    """Content from the request's content keys over base; nested objects are merged."""
    for key in ("fields", "variants"):
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise ValidationError(_("%(name)s must be an object.", name=key), field=key)
    content = dict(base or {})
    for key in CONTENT_KEYS:
        if key not in data:
            continue
        if key in ("fields", "variants") and isinstance(data[key], dict):
            content[key] = {**(content.get(key) or {}), **data[key]}
        else:
            content[key] = data[key]
    return content


def _tags(data):
    tags = data.get("tags")
    if tags is None:
        return None
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValidationError(_("tags must be a list of strings."), field="tags")
    if any(len(t.strip()) > MAX_TAG for t in tags):
        raise ValidationError(_("A tag may be at most %(n)d characters.", n=MAX_TAG), field="tags")
    if len({t.strip().lower() for t in tags if t.strip()}) > documents.MAX_TAGS:
        raise ValidationError(_("At most %(n)d tags.", n=documents.MAX_TAGS), field="tags")
    return tags


def _deadline(data, zone):
    value = data.get("deadline")
    if value is not None and not isinstance(value, str):
        raise ValidationError(_("deadline must be an ISO 8601 date-time string or null."),
                              field="deadline")
    try:
        return parse_datetime(value, zone, label=_("Deadline"))
    except ValidationError as exc:
        raise ValidationError(exc.message, field="deadline") from None


def _owner_id(user, data):
    """The new owner's id if the user may reassign and asked to; other roles are ignored."""
    value = data.get("owner_id")
    if value is None or not can_reassign(user):
        return None
    owner = None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID:
        owner = db.session.get(User, value)
    if owner is None or owner.organisation_id != user.organisation_id:
        raise ValidationError(_("owner_id must be the id of a user of your organisation."),
                              field="owner_id")
    return owner.id


def _note(data):
    note = data.get("note", "")
    if not isinstance(note, str):
        raise ValidationError(_("note must be text."), field="note")
    return note[:300]


def _base_revision(doc):
    """The revision id named in If-Match, which must be the current one."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise ApiError(428, _("Send the revision you edited in If-Match: the ETag from GET, "
                              'for example If-Match: "12".'))
    etags = parse_etags(header)
    if etags.star_tag:
        raise ApiError(428, _("If-Match: * is not enough; name the revision you edited "
                              "(the ETag from GET)."))
    named = etags.as_set(include_weak=True)
    if str(doc.current_revision_id) in named:
        return doc.current_revision_id
    ids = [int(tag) for tag in named if tag.isascii() and tag.isdigit() and int(tag) <= MAX_ID]
    if ids and db.session.query(Revision.id).filter(
        Revision.document_id == doc.id, Revision.id.in_(ids)
    ).first():
        raise Conflict(STALE, current_revision_id=doc.current_revision_id)
    raise ApiError(412, _("If-Match names no revision of this document; send the ETag from "
                          "GET."))


# --- endpoints -------------------------------------------------------------------------

@bp.get("/documents")
def list_documents():
    kind = _text_arg("kind")
    if kind is not None and kind not in kinds.KINDS:
        raise ValidationError(_("Unknown kind; use one of: %(kinds)s.",
                                kinds=", ".join(kinds.KINDS)), field="kind")
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    items, total = documents.list_documents(
        g.api_user, q=_text_arg("q"), kind=kind, tag=_text_arg("tag"),
        owner=int_arg("owner"), state=_text_arg("state"), page=page, per_page=per_page,
    )
    return jsonify(items=[document_json(d, full=False) for d in items], total=total,
                   page=page, per_page=per_page)


@bp.post("/documents")
def create_document():
    user = g.api_user
    data = json_body()
    refuse_crafted(data)
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in kinds.KINDS:
        raise ValidationError(_("Unknown or missing kind; use one of: %(kinds)s.",
                                kinds=", ".join(kinds.KINDS)), field="kind")
    zone = organisation_zone(user)
    doc = documents.create_document(
        user, kind, _content(data), tags=_tags(data), deadline=_deadline(data, zone),
        owner_id=_owner_id(user, data),
    )
    response = _with_etag(jsonify(document_json(doc)), doc)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_document_view", document_id=doc.id)
    return response


@bp.get(f"/documents/<{ID}:document_id>")
def get_document_view(document_id):
    doc = get_document(g.api_user, document_id)
    return _with_etag(jsonify(document_json(doc)), doc)


@bp.patch(f"/documents/<{ID}:document_id>")
def update_document(document_id):
    user = g.api_user
    doc = get_document(user, document_id)
    require_edit(user, doc)
    base = _base_revision(doc)
    data = json_body()
    refuse_crafted(data)
    zone = organisation_zone(doc)
    content = None
    if any(key in data for key in CONTENT_KEYS):
        content = _content(data, doc.current_revision.content)
    # One domain call, one transaction: a refused change (content or details) changes nothing.
    try:
        documents.save(user, doc, content, base, note=_note(data), tags=_tags(data),
                       deadline=_deadline(data, zone) if "deadline" in data else ...,
                       owner_id=_owner_id(user, data))
    except Conflict:
        db.session.rollback()
        if doc.current_revision_id == base:
            raise  # not a newer revision but e.g. a state that is not edited in place
        raise Conflict(STALE, current_revision_id=doc.current_revision_id) from None
    return _with_etag(jsonify(document_json(doc)), doc)


@bp.get(f"/documents/<{ID}:document_id>/revisions")
def list_revisions(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[revision_json(r, full=False) for r in documents.revisions(doc)])


@bp.get(f"/documents/<{ID}:document_id>/revisions/<{ID}:revision_id>")
def get_revision(document_id, revision_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(revision_json(documents.get_revision(doc, revision_id)))


@bp.get(f"/documents/<{ID}:document_id>/diff")
def diff_revisions(document_id):
    doc = get_document(g.api_user, document_id)
    old_id, new_id = int_arg("from"), int_arg("to")
    if old_id is None or new_id is None:
        raise ValidationError(_("Give both ?from= and ?to= revision ids."),
                              field="to" if old_id else "from")
    old = documents.get_revision(doc, old_id)
    new = documents.get_revision(doc, new_id)
    changes = [{"field": c["field"], "old": c["old"], "new": c["new"]}
               for c in diff.diff_content(old.content, new.content) if c["changed"]]
    return jsonify(**{
        "from": revision_json(old, full=False),
        "to": revision_json(new, full=False),
        "changes": changes,
        "unified": diff.unified(old.content, new.content, f"r{old.number}", f"r{new.number}"),
    })
