"""Documents and revisions in the API."""
from flask import g, jsonify, request, url_for

from .. import diff, documents, kinds
from ..access import get_document
from ..errors import ValidationError
from . import bp, error_response

WRITABLE_CONTENT = ("title", "lead", "body", "fields", "variants")
MAX_PER_PAGE = 100


def _iso(value):
    return value.isoformat() if value else None


def document_json(doc, full=True):
    data = {
        "id": doc.id,
        "kind": doc.kind,
        "state": doc.state,
        "title": doc.title,
        "owner": {"id": doc.owner_id, "name": doc.owner.name},
        "tags": [t.name for t in doc.tags],
        "deadline": _iso(doc.deadline),
        "current_revision": {"id": doc.current_revision_id,
                             "number": doc.current_revision.number,
                             "content_hash": doc.current_revision.content_hash},
        "created_at": _iso(doc.created_at),
        "updated_at": _iso(doc.updated_at),
        "url": url_for("api.get_document_view", document_id=doc.id),
    }
    if full:
        content = doc.current_revision.content
        data["content"] = content
        data["stats"] = kinds.text_stats(content)
        data["warnings"] = kinds.warnings(doc.kind, content)
    return data


def revision_json(rev, full=True):
    data = {"id": rev.id, "number": rev.number, "parent_id": rev.parent_id,
            "author": {"id": rev.author_id, "name": rev.author.name},
            "content_hash": rev.content_hash, "note": rev.note, "created_at": _iso(rev.created_at)}
    if full:
        data["content"] = rev.content
    return data


def _body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError("The request body must be a JSON object.")
    return data


def _content_from(data, base=None):
    content = dict(base or {})
    for key in WRITABLE_CONTENT:
        if key in data:
            content[key] = data[key]
    return content


def _with_etag(response, doc):
    response.headers["ETag"] = f'"{doc.current_revision_id}"'
    return response


@bp.get("/documents")
def list_documents():
    args = request.args
    per_page = min(max(args.get("per_page", 25, type=int), 1), MAX_PER_PAGE)
    page = max(args.get("page", 1, type=int), 1)
    items, total = documents.list_documents(
        g.api_user, q=args.get("q"), kind=args.get("kind"), tag=args.get("tag"),
        owner=args.get("owner"), state=args.get("state"), page=page, per_page=per_page,
    )
    return jsonify(items=[document_json(d, full=False) for d in items], total=total,
                   page=page, per_page=per_page)


@bp.post("/documents")
def create_document():
    data = _body()
    kind = data.get("kind")
    if kind not in kinds.KINDS:
        raise ValidationError(f"Unknown or missing kind; use one of: {', '.join(kinds.KINDS)}.",
                              field="kind")
    doc = documents.create_document(
        g.api_user, kind, _content_from(data), tags=data.get("tags"),
        deadline=data.get("deadline"), owner_id=data.get("owner_id"),
    )
    response = jsonify(document_json(doc))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_document_view", document_id=doc.id)
    return _with_etag(response, doc)


@bp.get("/documents/<int:document_id>")
def get_document_view(document_id):
    doc = get_document(g.api_user, document_id)
    return _with_etag(jsonify(document_json(doc)), doc)


@bp.route("/documents/<int:document_id>", methods=["PATCH", "PUT"])
def update_document(document_id):
    doc = get_document(g.api_user, document_id)
    base = request.headers.get("If-Match", "").strip().strip('"').removeprefix("W/").strip('"')
    if not base:
        return error_response(428, "Send the revision you edited in If-Match (the ETag of GET).")
    data = _body()
    if any(key in data for key in WRITABLE_CONTENT):
        documents.save_revision(g.api_user, doc, _content_from(data, doc.current_revision.content),
                                base, note=str(data.get("note", ""))[:300])
    elif base != str(doc.current_revision_id):
        from ..errors import Conflict

        raise Conflict("The document has a newer revision.",
                       current_revision_id=doc.current_revision_id)
    if any(key in data for key in ("tags", "deadline", "owner_id")):
        documents.update_metadata(
            g.api_user, doc, tags=data.get("tags"),
            deadline=data["deadline"] if "deadline" in data else ...,
            owner_id=data.get("owner_id"),
        )
    return _with_etag(jsonify(document_json(doc)), doc)


@bp.get("/documents/<int:document_id>/revisions")
def list_revisions(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[revision_json(r, full=False) for r in documents.revisions(doc)])


@bp.get("/documents/<int:document_id>/revisions/<int:revision_id>")
def get_revision(document_id, revision_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(revision_json(documents.get_revision(doc, revision_id)))


@bp.get("/documents/<int:document_id>/diff")
def diff_revisions(document_id):
    doc = get_document(g.api_user, document_id)
    if not request.args.get("from") or not request.args.get("to"):
        raise ValidationError("Give both ?from= and ?to= revision ids.")
    a = documents.get_revision(doc, request.args["from"])
    b = documents.get_revision(doc, request.args["to"])
    changes = [{"field": c["field"], "old": c["old"], "new": c["new"]}
               for c in diff.diff_content(a.content, b.content) if c["changed"]]
    return jsonify(**{"from": a.id, "to": b.id, "changes": changes,
                      "unified": diff.unified(a.content, b.content, f"r{a.number}",
                                              f"r{b.number}")})
