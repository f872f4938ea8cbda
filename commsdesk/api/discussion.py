"""Comments and suggestions in the API: thin over commsdesk.discussion."""
from flask import g, jsonify, request, url_for
from flask_babel import gettext as _

from .. import diff, discussion, documents
from ..access import MAX_ID, get_document
from ..errors import Conflict, NotFound, ValidationError
from ..rendering import render_markdown
from . import ID, bp, json_body
from . import iso as _iso
from .schema import (
    AUTH,
    BODY_ERRORS,
    DOCUMENT_ID,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    UNPROCESSABLE,
    path_id,
)
from .schema import ID as INT_ID
from .schema import error as _error
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref

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


# --- OpenAPI -------------------------------------------------------------------------------

NULLABLE_PERSON = {"oneOf": [_ref("Person"), {"type": "null"}]}
REV_REF = _object({"id": INT_ID, "number": {"type": "integer", "minimum": 1}}, ("id", "number"))
ERRORS = {**AUTH, **NOT_FOUND}
COMMENT_PROPS = {
    "id": INT_ID,
    "parent_id": {"type": ["integer", "null"], "description": "The thread's first comment, "
                                                             "for a reply."},
    "author": {**NULLABLE_PERSON, "description": "null for a guest (preview link)."},
    "guest_name": {"type": ["string", "null"]},
    "organisation": {"oneOf": [_ref("DiscussionOrganisation"), {"type": "null"}]},
    "revision": {"oneOf": [REV_REF, {"type": "null"}],
                 "description": "The revision the comment was written on."},
    "quote": {"type": "string", "description": "The quoted passage it is anchored to, or \"\"."},
    "quote_found": {"type": "boolean",
                    "description": "Whether the quoted passage is still in the current text."},
    "body": {"type": "string", "description": "Markdown source, as written (untrusted)."},
    "body_html": {"type": "string", "description": "The body rendered and sanitised."},
    "created_at": TIME,
    "resolved_at": NULLABLE_TIME,
    "resolved_by": NULLABLE_PERSON,
}
COMMENT_REQUIRED = tuple(COMMENT_PROPS)
SUMMARY_PROPS = {
    "id": INT_ID,
    "status": {"type": "string", "enum": list(discussion.STATUSES)},
    "author": _ref("Person"),
    "organisation": _ref("DiscussionOrganisation"),
    "base_revision": REV_REF,
    "stale": {"type": "boolean", "description": "Open, but the document has a newer revision "
                                                "than its base: it cannot be accepted."},
    "note": {"type": "string"},
    "created_at": TIME,
    "decided_by": NULLABLE_PERSON,
    "decided_at": NULLABLE_TIME,
    "result_revision": {"oneOf": [REV_REF, {"type": "null"}],
                        "description": "The revision it became, once accepted."},
    "url": {"type": "string"},
}
CHANGES = {"type": "array", "items": _ref("Change")}

SCHEMAS = {
    "DiscussionOrganisation": _object({"id": INT_ID, "name": {"type": "string"}}, ("id", "name")),
    "Comment": _object(COMMENT_PROPS, COMMENT_REQUIRED),
    "CommentCreated": _object(
        {**COMMENT_PROPS,
         "mentioned": {"type": "array", "items": _ref("Person"),
                       "description": "Who was told of an @mention."},
         "ambiguous_mentions": {"type": "array", "items": {"type": "string"},
                                "description": "@names matching several readers: nobody was "
                                               "told; write the whole email address."}},
        (*COMMENT_REQUIRED, "mentioned", "ambiguous_mentions")),
    "CommentThread": _object(
        {**COMMENT_PROPS, "replies": {"type": "array", "items": _ref("Comment")},
         "last_activity": TIME},
        (*COMMENT_REQUIRED, "replies", "last_activity")),
    "CommentList": _object({"items": {"type": "array", "items": _ref("CommentThread"),
                                      "description": "Most recent activity first."}},
                           ("items",)),
    "CommentCreate": _object(
        {"body": {"type": "string", "minLength": 1, "maxLength": discussion.MAX_COMMENT,
                  "description": "Markdown. `@eva` (an email address's local part) or "
                                 "`@eva@example.org` mentions a reader of the document."},
         "quote": {"type": ["string", "null"], "maxLength": discussion.MAX_QUOTE,
                   "description": "A passage that occurs in the current revision."},
         "parent_id": {"type": ["integer", "null"],
                       "description": "Reply to this comment's thread."}},
        ("body",), extra=True,
        description="Any other property (author, organisation_id, resolved_at, ...) is "
                    "ignored."),
    "SuggestionSummary": _object(SUMMARY_PROPS, tuple(SUMMARY_PROPS)),
    "Suggestion": _object(
        {**SUMMARY_PROPS, "content": _ref("Content"),
         "changes": {**CHANGES, "description": "What it changes in its base revision."},
         "unified": {"type": "string"},
         "current_changes": {"oneOf": [CHANGES, {"type": "null"}],
                             "description": "If stale: what accepting it would change in "
                                            "the current revision."},
         "reason": {"type": "string", "description": "Why it was rejected, if it was."}},
        (*SUMMARY_PROPS, "content", "changes", "unified", "current_changes", "reason")),
    "SuggestionList": _object({"items": {"type": "array", "items": _ref("SuggestionSummary"),
                                         "description": "Newest first."}}, ("items",)),
    "SuggestionCreate": _object(
        {"base_revision_id": {**INT_ID, "description": "The current revision, which the "
                                                       "suggestion changes."},
         "title": {"type": "string", "minLength": 1},
         "lead": {"type": ["string", "null"]},
         "body": {"type": ["string", "null"]},
         "fields": {"type": ["object", "null"], "description": "Merged into the base's."},
         "variants": {"type": ["object", "null"], "description": "Merged into the base's."},
         "note": {"type": "string", "maxLength": discussion.MAX_NOTE,
                  "description": "Why, for the editors."}},
        ("base_revision_id",), extra=True,
        description="Content keys not sent are the base revision's. Any other property "
                    "(status, author, organisation_id, ...) is ignored."),
    "SuggestionReject": _object(
        {"reason": {"type": "string", "maxLength": discussion.MAX_NOTE}}, extra=True),
}

_COMMENT = [DOCUMENT_ID, path_id("comment_id", "A thread's first comment.")]
_SUGGESTION = [DOCUMENT_ID, path_id("suggestion_id", "A suggestion.")]
_DECIDE_COMMENT = {
    "200": {"description": "The thread's first comment.", "content": _json(_ref("Comment"))},
    **ERRORS,
    "409": _error("The thread is resolved (or open) already."),
    "422": _error("The comment is a reply: resolve or reopen its thread."),
}
PATHS = {
    "/documents/{document_id}/comments": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listComments", "tags": ["discussion"],
            "summary": "The document's comment threads, most recent activity first.",
            "responses": {"200": {"description": "The threads.",
                                  "content": _json(_ref("CommentList"))}, **ERRORS},
        },
        "post": {
            "operationId": "createComment", "tags": ["discussion"],
            "summary": "Comment, or reply (parent_id), optionally on a quoted passage.",
            "description": "Anyone who can see the document may comment. People mentioned "
                           "are told; so are the owner and the thread's participants.",
            "requestBody": {"required": True, "content": _json(_ref("CommentCreate"))},
            "responses": {"201": {"description": "The comment.",
                                  "content": _json(_ref("CommentCreated"))},
                          **ERRORS, **BODY_ERRORS},
        },
    },
    "/documents/{document_id}/comments/{comment_id}/resolve": {
        "parameters": _COMMENT,
        "post": {"operationId": "resolveComment", "tags": ["discussion"],
                 "summary": "Resolve a thread (the owning organisation's editors or its "
                            "author).", "responses": _DECIDE_COMMENT},
    },
    "/documents/{document_id}/comments/{comment_id}/reopen": {
        "parameters": _COMMENT,
        "post": {"operationId": "reopenComment", "tags": ["discussion"],
                 "summary": "Reopen a resolved thread.", "responses": _DECIDE_COMMENT},
    },
    "/documents/{document_id}/suggestions": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listSuggestions", "tags": ["discussion"],
            "summary": "The document's suggestions, newest first.",
            "parameters": [{"name": "status", "in": "query", "required": False,
                            "description": "Only suggestions with this status.",
                            "schema": {"type": "string", "enum": list(discussion.STATUSES)}}],
            "responses": {"200": {"description": "The suggestions.",
                                  "content": _json(_ref("SuggestionList"))},
                          **ERRORS, **UNPROCESSABLE},
        },
        "post": {
            "operationId": "createSuggestion", "tags": ["discussion"],
            "summary": "Suggest new content, based on the current revision.",
            "description": "Anyone who can see the document may suggest (partners, who "
                           "cannot edit, in particular). The owning organisation's editors "
                           "are told.",
            "requestBody": {"required": True, "content": _json(_ref("SuggestionCreate"))},
            "responses": {
                "201": {"description": "The suggestion.",
                        "headers": {"Location": {"description": "The suggestion's path.",
                                                 "schema": {"type": "string"}}},
                        "content": _json(_ref("Suggestion"))},
                **ERRORS,
                "409": _error("base_revision_id is not the current revision (the body says "
                              "`current_revision_id`), or the document cannot change in its "
                              "state. Nothing was saved."),
                **BODY_ERRORS,
            },
        },
    },
    "/documents/{document_id}/suggestions/{suggestion_id}": {
        "parameters": _SUGGESTION,
        "get": {"operationId": "getSuggestion", "tags": ["discussion"],
                "summary": "A suggestion with its content and its diff.",
                "responses": {"200": {"description": "The suggestion.",
                                      "content": _json(_ref("Suggestion"))}, **ERRORS}},
    },
    "/documents/{document_id}/suggestions/{suggestion_id}/accept": {
        "parameters": _SUGGESTION,
        "post": {
            "operationId": "acceptSuggestion", "tags": ["discussion"],
            "summary": "Accept: the suggestion becomes the document's new revision.",
            "description": "Only those who may edit the document (403 for partners). Refused "
                           "with 409 if the document has a newer revision than the "
                           "suggestion's base: accepting would undo the newer work. The 409 "
                           "body then has `changes`, what it would change in the current "
                           "revision.",
            "responses": {"200": {"description": "The accepted suggestion.",
                                  "content": _json(_ref("Suggestion"))},
                          **ERRORS,
                          "409": _error("Stale, decided already, or the document cannot "
                                        "change in its state. Nothing changed.")},
        },
    },
    "/documents/{document_id}/suggestions/{suggestion_id}/reject": {
        "parameters": _SUGGESTION,
        "post": {
            "operationId": "rejectSuggestion", "tags": ["discussion"],
            "summary": "Reject, with an optional reason for its author.",
            "requestBody": {"required": False, "content": _json(_ref("SuggestionReject"))},
            "responses": {"200": {"description": "The rejected suggestion.",
                                  "content": _json(_ref("Suggestion"))},
                          **ERRORS, "409": _error("Decided already."), **BODY_ERRORS},
        },
    },
}
