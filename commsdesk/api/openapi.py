"""The OpenAPI 3.1 document describing /api/v1; tests check it against routes and responses."""
from flask import jsonify

from .. import documents, kinds
from . import (
    bp,
    coalition,  # shares, signatories and the decision trail
    discussion,
    inbox,  # notifications and preview links
    workflow,  # workflow state and transitions
)
from .documents import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_QUERY, MAX_TAG
from .schema import ID, NULLABLE_TIME, TIME
from .schema import error as _error
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def _kinds_description():
    lines = ["The kind of document, which decides its `content.fields`:"]
    for kind in kinds.KINDS.values():
        fields = ", ".join(f"`{f.name}` ({f.type})" for f in kind.fields) or "no fields"
        platforms = f"; `variants` for {', '.join(kind.platforms)}" if kind.platforms else ""
        lines.append(f"- `{kind.key}`: {fields}{platforms}")
    return "\n".join(lines)


TEXT_FIELD_VALUE = {
    "type": ["string", "integer", "array", "null"],
    "items": {"type": "string"},
    "description": "Text; a whole number for `int` fields; an ISO 8601 date-time for "
                   "`datetime` fields (read in the organisation's time zone if it has no "
                   "offset); a string or a list of lines for `lines` fields.",
}


SCHEMAS = {
    "Error": _object(
        {"error": _object(
            {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "field": {"type": "string", "description": "The input at fault, if one is."},
                "current_revision_id": {
                    **ID, "description": "With 409: the document's current revision."},
                "limit": {"type": "integer", "description": "With 413: the largest body."},
                "state": {"type": "string", "description": "With 409 for a document whose "
                                                           "state does not allow editing."},
            },
            required=("status", "message"), extra=True,
        )},
        required=("error",),
    ),
    "Person": _object({"id": ID, "name": {"type": "string"}}, ("id", "name")),
    "RevisionRef": _object(
        {"id": ID, "number": {"type": "integer", "minimum": 1},
         "content_hash": {"type": "string", "description": "SHA-256 of the content."}},
        ("id", "number", "content_hash"),
        description="The current revision; its id is the document's ETag.",
    ),
    "Content": _object(
        {
            "title": {"type": "string", "maxLength": documents.MAX_TITLE},
            "lead": {"type": "string", "maxLength": documents.MAX_LEAD},
            "body": {"type": "string", "maxLength": documents.MAX_BODY,
                     "description": "Markdown."},
            "fields": {"type": "object",
                       "additionalProperties": {"type": ["string", "integer"]},
                       "description": "The kind's fields; empty ones are \"\"."},
            "variants": {"type": "object", "additionalProperties": {"type": "string"},
                         "description": "Per-platform text (social posts only)."},
        },
        ("title", "lead", "body", "fields"),
        description="A revision's content, as validated and stored.",
    ),
    "Stats": _object(
        {"words": {"type": "integer"}, "characters": {"type": "integer"},
         "reading_minutes": {"type": "integer"}},
        ("words", "characters", "reading_minutes"),
    ),
    "LimitWarning": _object(
        {"field": {"type": "string"}, "limit": {"type": "integer"}, "used": {"type": "integer"}},
        ("field", "limit", "used"),
        description="A text over its kind's or platform's length limit.",
    ),
    "DocumentSummary": _object(
        {
            "id": ID,
            "kind": {"type": "string", "enum": list(kinds.KINDS)},
            "state": {"type": "string", "description": "Workflow state; read-only here."},
            "title": {"type": "string"},
            "owner": _ref("Person"),
            "tags": {"type": "array", "items": {"type": "string"}},
            "deadline": NULLABLE_TIME,
            "current_revision": _ref("RevisionRef"),
            "created_at": TIME,
            "updated_at": TIME,
            "url": {"type": "string", "description": "This document's API path."},
        },
        ("id", "kind", "state", "title", "owner", "tags", "deadline", "current_revision",
         "created_at", "updated_at", "url"),
    ),
    "DocumentList": _object(
        {"items": {"type": "array", "items": _ref("DocumentSummary")},
         "total": {"type": "integer", "description": "Matching documents on all pages."},
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "page", "per_page"),
    ),
    "DocumentCreate": _object(
        {
            "kind": {"type": "string", "enum": list(kinds.KINDS),
                     "description": _kinds_description()},
            "title": {"type": "string", "minLength": 1, "maxLength": documents.MAX_TITLE},
            "lead": {"type": ["string", "null"], "maxLength": documents.MAX_LEAD},
            "body": {"type": ["string", "null"], "maxLength": documents.MAX_BODY},
            "fields": {"type": ["object", "null"], "additionalProperties": TEXT_FIELD_VALUE,
                       "description": "Fields the kind does not have are dropped."},
            "variants": {"type": ["object", "null"],
                         "additionalProperties": {"type": ["string", "null"]}},
            "tags": {"type": ["array", "null"], "maxItems": documents.MAX_TAGS,
                     "items": {"type": "string", "maxLength": MAX_TAG}},
            "deadline": {**NULLABLE_TIME, "description":
                         "Read in the organisation's time zone if it has no offset."},
            "owner_id": {**ID, "description": "Admins and editors only (ignored for other "
                                              "roles): a user of the same organisation."},
        },
        ("kind", "title"), extra=True,
        description="Any other property (state, organisation_id, id, current_revision, "
                    "approvals, ...) is ignored.",
    ),
    "DocumentUpdate": _object(
        {
            "title": {"type": "string", "minLength": 1, "maxLength": documents.MAX_TITLE},
            "lead": {"type": ["string", "null"], "maxLength": documents.MAX_LEAD},
            "body": {"type": ["string", "null"], "maxLength": documents.MAX_BODY},
            "fields": {"type": ["object", "null"], "additionalProperties": TEXT_FIELD_VALUE,
                       "description": "Merged into the current fields."},
            "variants": {"type": ["object", "null"],
                         "additionalProperties": {"type": ["string", "null"]},
                         "description": "Merged into the current variants."},
            "note": {"type": "string", "maxLength": 300,
                     "description": "A note on the new revision."},
            "tags": {"type": ["array", "null"], "maxItems": documents.MAX_TAGS,
                     "items": {"type": "string", "maxLength": MAX_TAG},
                     "description": "Replaces the tags; null or absent leaves them."},
            "deadline": {**NULLABLE_TIME, "description": "null clears it."},
            "owner_id": {**ID, "description": "Admins and editors only (ignored for other "
                                              "roles): a user of the same organisation."},
        },
        extra=True,
        description="Only the properties sent change. A change to title, lead, body, fields "
                    "or variants makes a new revision (none if the content is unchanged); "
                    "tags, deadline and owner are metadata and make none. Any other property "
                    "(state, organisation_id, id, current_revision, approvals, ...) is ignored.",
    ),
    "RevisionSummary": _object(
        {"id": ID, "number": {"type": "integer", "minimum": 1},
         "parent_id": {"type": ["integer", "null"]}, "author": _ref("Person"),
         "content_hash": {"type": "string"}, "note": {"type": "string"}, "created_at": TIME},
        ("id", "number", "parent_id", "author", "content_hash", "note", "created_at"),
    ),
    "RevisionList": _object(
        {"items": {"type": "array", "items": _ref("RevisionSummary"),
                   "description": "Newest first."}},
        ("items",),
    ),
    "Change": _object(
        {"field": {"type": "string", "description": "title, lead, body, fields.NAME or "
                                                    "variants.PLATFORM"},
         "old": {"type": "string"}, "new": {"type": "string"}},
        ("field", "old", "new"),
    ),
    "Diff": _object(
        {"from": _ref("RevisionSummary"), "to": _ref("RevisionSummary"),
         "changes": {"type": "array", "items": _ref("Change"),
                     "description": "Only the fields that differ."},
         "unified": {"type": "string", "description": "A unified line diff of all fields."}},
        ("from", "to", "changes", "unified"),
    ),
}
SCHEMAS["Document"] = {
    **SCHEMAS["DocumentSummary"],
    "properties": {**SCHEMAS["DocumentSummary"]["properties"], "content": _ref("Content"),
                   "stats": _ref("Stats"),
                   "warnings": {"type": "array", "items": _ref("LimitWarning")}},
    "required": [*SCHEMAS["DocumentSummary"]["required"], "content", "stats", "warnings"],
}

ETAG = {"description": 'The current revision id, quoted: "12". Send it back in If-Match.',
        "schema": {"type": "string"}}
COMMON_ERRORS = {"401": _ref("Unauthorized", "responses"), "403": _ref("Forbidden", "responses")}
BODY_ERRORS = {
    "400": _error("The body is not valid JSON."),
    "413": _error("The body is larger than the server accepts (1 MiB by default)."),
    "415": _error("The body is not sent as application/json."),
    "422": _ref("Unprocessable", "responses"),
}


def _param(name, where, schema, description, required=False):
    return {"name": name, "in": where, "schema": schema, "description": description,
            "required": required or where == "path"}


SPEC = {
    "openapi": "3.1.0",
    "info": {
        "title": "commsdesk API",
        "version": "1",
        "description": (
            "Documents and their revisions, for one organisation: every request sees only "
            "the documents of the token owner's organisation, and anything else is answered "
            "404. Authenticate with `Authorization: Bearer <token>`.\n\n"
            "**Concurrency.** GET of a document returns its current revision id as `ETag`. "
            "PATCH must send it back in `If-Match`: without it the answer is 428; if it names "
            "an older revision of the document the answer is 409 (nothing changed, the body "
            "says `current_revision_id`); if it names no revision of the document, 412.\n\n"
            "**Errors** are JSON: `{\"error\": {\"status\", \"message\", ...}}`."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "tags": [{"name": "documents"}, {"name": "revisions"}, {"name": "meta"}],
    "paths": {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi", "tags": ["meta"], "security": [],
                "summary": "This OpenAPI document (no authentication needed).",
                "responses": {"200": {"description": "The OpenAPI document.",
                                      "content": _json({"type": "object"})}},
            },
        },
        "/documents": {
            "get": {
                "operationId": "listDocuments", "tags": ["documents"],
                "summary": "List the organisation's documents, most recently changed first.",
                "parameters": [
                    _param("q", "query", {"type": "string", "maxLength": MAX_QUERY},
                           "Words that must all occur in the text (case-insensitive)."),
                    _param("kind", "query", {"type": "string", "enum": list(kinds.KINDS)},
                           "Only this kind."),
                    _param("tag", "query", {"type": "string", "maxLength": MAX_QUERY},
                           "Only documents with this tag (exact name)."),
                    _param("owner", "query", ID, "Only documents owned by this user id."),
                    _param("state", "query", {"type": "string", "maxLength": MAX_QUERY},
                           "Only documents in this state, e.g. draft."),
                    _param("page", "query",
                           {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                           "Page number."),
                    _param("per_page", "query",
                           {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE},
                           f"Documents per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."),
                ],
                "responses": {
                    "200": {"description": "A page of documents.",
                            "content": _json(_ref("DocumentList"))},
                    **COMMON_ERRORS,
                    "422": _ref("Unprocessable", "responses"),
                },
            },
            "post": {
                "operationId": "createDocument", "tags": ["documents"],
                "summary": "Create a document with its first revision, owned by the caller.",
                "requestBody": {"required": True, "content": _json(_ref("DocumentCreate"))},
                "responses": {
                    "201": {
                        "description": "Created.",
                        "headers": {"ETag": _ref("ETag", "headers"),
                                    "Location": {"description": "The new document's path.",
                                                 "schema": {"type": "string"}}},
                        "content": _json(_ref("Document")),
                    },
                    **COMMON_ERRORS,
                    **BODY_ERRORS,
                },
            },
        },
        "/documents/{document_id}": {
            "parameters": [_ref("DocumentId", "parameters")],
            "get": {
                "operationId": "getDocument", "tags": ["documents"],
                "summary": "A document with its current content.",
                "responses": {
                    "200": {"description": "The document.",
                            "headers": {"ETag": _ref("ETag", "headers")},
                            "content": _json(_ref("Document"))},
                    **COMMON_ERRORS,
                    "404": _ref("NotFound", "responses"),
                },
            },
            "patch": {
                "operationId": "updateDocument", "tags": ["documents"],
                "summary": "Change a document, based on the revision named in If-Match.",
                "description": "Contributors may change only documents they own (403 for "
                               "others); admins, editors and approvers any document of their "
                               "organisation.",
                "parameters": [_ref("IfMatch", "parameters")],
                "requestBody": {"required": True, "content": _json(_ref("DocumentUpdate"))},
                "responses": {
                    "200": {"description": "The document as it is now.",
                            "headers": {"ETag": _ref("ETag", "headers")},
                            "content": _json(_ref("Document"))},
                    **COMMON_ERRORS,
                    "404": _ref("NotFound", "responses"),
                    "409": _error("Nothing changed: If-Match names an older revision "
                                  "(someone saved in the meantime; `current_revision_id` is "
                                  "the current one), or the document's `state` (e.g. "
                                  "published) does not allow editing its text."),
                    "412": _error("If-Match names no revision of this document."),
                    "428": _error("If-Match is missing (or is `*`)."),
                    **BODY_ERRORS,
                },
            },
        },
        "/documents/{document_id}/revisions": {
            "parameters": [_ref("DocumentId", "parameters")],
            "get": {
                "operationId": "listRevisions", "tags": ["revisions"],
                "summary": "All revisions of a document, newest first.",
                "responses": {
                    "200": {"description": "The revisions.",
                            "content": _json(_ref("RevisionList"))},
                    **COMMON_ERRORS,
                    "404": _ref("NotFound", "responses"),
                },
            },
        },
        "/documents/{document_id}/revisions/{revision_id}": {
            "parameters": [_ref("DocumentId", "parameters"),
                           _param("revision_id", "path", ID, "A revision of the document.")],
            "get": {
                "operationId": "getRevision", "tags": ["revisions"],
                "summary": "One revision with its content.",
                "responses": {
                    "200": {"description": "The revision.", "content": _json(_ref("Revision"))},
                    **COMMON_ERRORS,
                    "404": _ref("NotFound", "responses"),
                },
            },
        },
        "/documents/{document_id}/diff": {
            "parameters": [_ref("DocumentId", "parameters")],
            "get": {
                "operationId": "diffRevisions", "tags": ["revisions"],
                "summary": "The differences between two revisions of a document.",
                "parameters": [
                    _param("from", "query", ID, "The older revision's id.", required=True),
                    _param("to", "query", ID, "The newer revision's id.", required=True),
                ],
                "responses": {
                    "200": {"description": "The differences.", "content": _json(_ref("Diff"))},
                    **COMMON_ERRORS,
                    "404": _ref("NotFound", "responses"),
                    "422": _ref("Unprocessable", "responses"),
                },
            },
        },
    },
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer",
                       "description": "An API token issued to a user; it acts with that "
                                      "user's role in the user's organisation."},
        },
        "schemas": {
            **SCHEMAS,
            "Revision": {
                **SCHEMAS["RevisionSummary"],
                "properties": {**SCHEMAS["RevisionSummary"]["properties"],
                               "content": _ref("Content")},
                "required": [*SCHEMAS["RevisionSummary"]["required"], "content"],
            },
        },
        "parameters": {
            "DocumentId": _param("document_id", "path", ID, "A document's id."),
            "IfMatch": _param(
                "If-Match", "header", {"type": "string"},
                'The ETag of the revision the change is based on, e.g. "12".', required=True),
        },
        "headers": {"ETag": ETAG},
        "responses": {
            "Unauthorized": _error(
                "The token is missing, unknown, revoked, or its user is disabled.",
                {"WWW-Authenticate": {"schema": {"type": "string"}}}),
            "Forbidden": _error("The user may not do this (e.g. a contributor changing "
                                "someone else's document), or has no organisation."),
            "NotFound": _error("No such document or revision for this organisation."),
            "Unprocessable": _error("The input is not acceptable; `field` names it if it can. "
                                    "Also for a body that is JSON but not an object, is "
                                    "nested more than 16 levels deep, or holds NUL "
                                    "characters or unpaired surrogates."),
        },
    },
}

SPEC["paths"].update(discussion.PATHS)
SPEC["components"]["schemas"].update(discussion.SCHEMAS)
SPEC["paths"].update(inbox.PATHS)
SPEC["components"]["schemas"].update(inbox.SCHEMAS)
SPEC["paths"].update(coalition.PATHS)
SPEC["components"]["schemas"].update(coalition.SCHEMAS)
SPEC["paths"].update(workflow.PATHS)
SPEC["components"]["schemas"].update(workflow.SCHEMAS)


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)
