"""Comments and suggestions in the API: thin over commsdesk.discussion. Their part of the
OpenAPI document is in discussion_schema.py."""
from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import diff, discussion, documents
from ..access import MAX_ID, get_document
from ..errors import Conflict, NotFound, ValidationError
from ..rendering import render_markdown
from . import ID, bp, json_body
from . import iso as _iso

CONTENT_KEYS = ("title", "lead", "body", "fields", "variants")
DOC = f"/documents/<{ID}:document_id>"


def _person(user):
    return {"id": user.id, "name": user.name} if user is not None else None


def _org(org):
    return {"id": org.id, "name": org.name} if org is not None else None


def _numbers(doc):
    return {rev.id: rev.number for rev in documents.revisions(doc)}


def comment_json(doc, comment, numbers, found):
    """A Comment as the API shows it: Markdown source and its sanitised HTML."""
    return {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": _person(comment.author),
        "guest_name": comment.guest_name,
        "organisation": _org(comment.organisation),
        "revision": ({"id": comment.revision_id, "number": numbers[comment.revision_id]}
                     if comment.revision_id in numbers else None),
        "quote": comment.quote or "",
        "quote_found": not comment.quote or found(comment.quote),
        "body": comment.body,
        "body_html": render_markdown(comment.body),
        "created_at": _iso(comment.created_at),
        "resolved_at": _iso(comment.resolved_at),
        "resolved_by": _person(comment.resolved_by),
    }


def _one_comment(doc, comment):
    return comment_json(doc, comment, _numbers(doc),
                        discussion.quote_finder(doc.current_revision.content))


def _changed(changes):
    return [{"field": c["field"], "old": c["old"], "new": c["new"]}
            for c in changes if c["changed"]]


def suggestion_json(doc, item, full=True):
    """A Suggestion (full: with its content and diff) or SuggestionSummary."""
    result = item.result_revision
    data = {
        "id": item.id,
        "status": item.status,
        "author": _person(item.author),
        "organisation": _org(item.organisation),
        "base_revision": {"id": item.base_revision_id, "number": item.base_revision.number},
        "stale": discussion.is_stale(doc, item),
        "note": item.note or "",
        "created_at": _iso(item.created_at),
        "decided_by": _person(item.decided_by),
        "decided_at": _iso(item.decided_at),
        "result_revision": {"id": result.id, "number": result.number} if result else None,
        "url": url_for("api.get_suggestion", document_id=doc.id, suggestion_id=item.id),
    }
    if full:
        changes = discussion.changes(doc, item)
        data["content"] = item.content
        data["changes"] = _changed(changes["base"])
        data["unified"] = diff.unified(item.base_revision.content, item.content,
                                       f"revision {item.base_revision.number}", "suggestion")
        data["current_changes"] = _changed(changes["current"]) if changes["current"] else None
        data["reason"] = discussion.rejection_reason(doc, item)
    return data


def _id_or_none(data, name):
    value = data.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise ValidationError(_("%(name)s must be a whole number from 1 to %(maximum)d.",
                                name=name, maximum=MAX_ID), field=name)
    return value


def _optional_body():
    """A JSON object if one was sent, else {} (for actions whose body is optional)."""
    if not request.get_data(cache=True):
        return {}
    return json_body()


# --- comments ------------------------------------------------------------------------------

@bp.get(f"{DOC}/comments")
def list_comments(document_id):
    doc = get_document(g.api_user, document_id)
    numbers, found = _numbers(doc), discussion.quote_finder(doc.current_revision.content)
    items = []
    for thread in discussion.threads(g.api_user, doc):
        item = comment_json(doc, thread.root, numbers, found)
        item["replies"] = [comment_json(doc, r, numbers, found) for r in thread.replies]
        item["last_activity"] = _iso(thread.last_activity)
        items.append(item)
    return jsonify(items=items)


@bp.post(f"{DOC}/comments")
def create_comment(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    created = discussion.add_comment(g.api_user, doc, data.get("body"), quote=data.get("quote"),
                                 parent_id=_id_or_none(data, "parent_id"))
    body = _one_comment(doc, created)
    body["mentioned"] = [_person(u) for u in created.mentioned]
    body["ambiguous_mentions"] = created.ambiguous_mentions
    response = jsonify(body)
    response.status_code = 201
    return response


@bp.post(f"{DOC}/comments/<{ID}:comment_id>/resolve")
def resolve_comment(document_id, comment_id):
    doc = get_document(g.api_user, document_id)
    comment = discussion.resolve_comment(g.api_user, doc, comment_id)
    return jsonify(_one_comment(doc, comment))


@bp.post(f"{DOC}/comments/<{ID}:comment_id>/reopen")
def reopen_comment(document_id, comment_id):
    doc = get_document(g.api_user, document_id)
    comment = discussion.reopen_comment(g.api_user, doc, comment_id)
    return jsonify(_one_comment(doc, comment))


# --- suggestions ---------------------------------------------------------------------------

@bp.get(f"{DOC}/suggestions")
def list_suggestions(document_id):
    doc = get_document(g.api_user, document_id)
    status = request.args.get("status", "").strip() or None
    items = discussion.suggestions(g.api_user, doc, status=status)
    return jsonify(items=[suggestion_json(doc, s, full=False) for s in items])


def _proposed(doc, data, base_id):
    """The suggested content: the base revision's, with the keys sent replacing it (fields
    and variants merged). Nothing else in the body is read (author, status, ... are ours)."""
    try:
        base = documents.get_revision(doc, base_id).content
    except NotFound:
        base = doc.current_revision.content
    content = dict(base)
    for key in CONTENT_KEYS:
        if key not in data:
            continue
        value = data[key]
        if key in ("fields", "variants") and value is not None:
            if not isinstance(value, dict):
                raise ValidationError(_("%(name)s must be an object.", name=key), field=key)
            value = {**(content.get(key) or {}), **value}
        content[key] = value
    return content


@bp.post(f"{DOC}/suggestions")
def create_suggestion(document_id):
    user = g.api_user
    doc = get_document(user, document_id)
    data = json_body()
    base_id = _id_or_none(data, "base_revision_id")
    if base_id is None:
        raise ValidationError(_("base_revision_id is required: the id of the revision your "
                                "suggestion is based on (the document's current revision)."),
                              field="base_revision_id")
    note = data.get("note", "")
    item = discussion.create_suggestion(user, doc, _proposed(doc, data, base_id), base_id,
                                    note=note)
    response = jsonify(suggestion_json(doc, item))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_suggestion", document_id=doc.id,
                                           suggestion_id=item.id)
    return response


@bp.get(f"{DOC}/suggestions/<{ID}:suggestion_id>")
def get_suggestion(document_id, suggestion_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(suggestion_json(doc, discussion.get_suggestion(g.api_user, doc, suggestion_id)))


@bp.post(f"{DOC}/suggestions/<{ID}:suggestion_id>/accept")
def accept_suggestion(document_id, suggestion_id):
    user = g.api_user
    doc = get_document(user, document_id)
    item = discussion.get_suggestion(user, doc, suggestion_id)
    try:
        item = discussion.accept_suggestion(user, doc, suggestion_id)
    except Conflict as exc:
        details = dict(exc.details)
        if discussion.is_stale(doc, item):
            details["changes"] = _changed(discussion.changes(doc, item)["current"])
        raise Conflict(exc.message, **details) from None
    return jsonify(suggestion_json(doc, item))


@bp.post(f"{DOC}/suggestions/<{ID}:suggestion_id>/reject")
def reject_suggestion(document_id, suggestion_id):
    doc = get_document(g.api_user, document_id)
    data = _optional_body()
    item = discussion.reject_suggestion(g.api_user, doc, suggestion_id,
                                    reason=data.get("reason", ""))
    return jsonify(suggestion_json(doc, item))
