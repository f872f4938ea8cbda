"""The OpenAPI declaration of documents and revisions: what documents.py serves."""
from .. import documents, kinds
from .documents import MAX_QUERY, MAX_TAG
from .schema import (
    AUTH,
    BODY_ERRORS,
    DOCUMENT_ID,
    ID,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    UNPROCESSABLE,
    error,
    extend,
    page_params,
    param,
    path_id,
)
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def _kinds_description():
    lines = ["The kind of document, which decides its `content.fields`:"]
    for kind in kinds.KINDS.values():
        fields = ", ".join(f"`{f.name}` ({f.type})" for f in kind.fields) or "no fields"
        platforms = f"; `variants` for {', '.join(kind.platforms)}" if kind.platforms else ""
        signed = "; signed: its signatories are `/documents/{document_id}/signatories`, " \
            "not a field" if kind.signed else ""
        lines.append(f"- `{kind.key}`: {fields}{platforms}{signed}")
    return "\n".join(lines)


TEXT_FIELD_VALUE = {
    "type": ["string", "integer", "array", "null"],
    "items": {"type": "string"},
    "description": "Text; a whole number for `int` fields; an ISO 8601 date-time for "
                   "`datetime` fields (read in the organisation's time zone if it has no "
                   "offset); a string or a list of lines for `lines` fields.",
}
KIND = {"type": "string", "enum": list(kinds.KINDS)}
TITLE = {"type": "string", "minLength": 1, "maxLength": documents.MAX_TITLE}
LEAD = {"type": ["string", "null"], "maxLength": documents.MAX_LEAD}
BODY = {"type": ["string", "null"], "maxLength": documents.MAX_BODY}
TAGS = {"type": ["array", "null"], "maxItems": documents.MAX_TAGS,
        "items": {"type": "string", "maxLength": MAX_TAG}}
OWNER_ID = {**ID, "description": "Admins and editors only (ignored for other roles): a user "
                                 "of the same organisation."}
IGNORED = "Any other property (state, organisation_id, id, current_revision, approvals, ...) " \
          "is ignored."

DOCUMENT_SUMMARY = _object(
    {
        "id": ID,
        "kind": KIND,
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
)
REVISION_SUMMARY = _object(
    {"id": ID, "number": {"type": "integer", "minimum": 1},
     "parent_id": {"type": ["integer", "null"]}, "author": _ref("Person"),
     "content_hash": {"type": "string"}, "note": {"type": "string"}, "created_at": TIME},
    ("id", "number", "parent_id", "author", "content_hash", "note", "created_at"),
)

SCHEMAS = {
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
    "DocumentSummary": DOCUMENT_SUMMARY,
    "Document": extend(
        DOCUMENT_SUMMARY,
        {"content": _ref("Content"), "stats": _ref("Stats"),
         "warnings": {"type": "array", "items": _ref("LimitWarning")}},
        ("content", "stats", "warnings"),
    ),
    "DocumentList": _object(
        {"items": {"type": "array", "items": _ref("DocumentSummary")},
         "total": {"type": "integer", "description": "Matching documents on all pages."},
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "page", "per_page"),
    ),
    "DocumentCreate": _object(
        {
            "kind": {**KIND, "description": _kinds_description()},
            "title": TITLE,
            "lead": LEAD,
            "body": BODY,
            "fields": {"type": ["object", "null"], "additionalProperties": TEXT_FIELD_VALUE,
                       "description": "Fields the kind does not have are dropped."},
            "variants": {"type": ["object", "null"],
                         "additionalProperties": {"type": ["string", "null"]}},
            "tags": TAGS,
            "deadline": {**NULLABLE_TIME, "description":
                         "Read in the organisation's time zone if it has no offset."},
            "owner_id": OWNER_ID,
        },
        ("kind", "title"), extra=True, description=IGNORED,
    ),
    "DocumentUpdate": _object(
        {
            "title": TITLE,
            "lead": LEAD,
            "body": BODY,
            "fields": {"type": ["object", "null"], "additionalProperties": TEXT_FIELD_VALUE,
                       "description": "Merged into the current fields."},
            "variants": {"type": ["object", "null"],
                         "additionalProperties": {"type": ["string", "null"]},
                         "description": "Merged into the current variants."},
            "note": {"type": "string", "maxLength": 300,
                     "description": "A note on the new revision."},
            "tags": {**TAGS, "description": "Replaces the tags; null or absent leaves them."},
            "deadline": {**NULLABLE_TIME, "description": "null clears it."},
            "owner_id": OWNER_ID,
        },
        extra=True,
        description="Only the properties sent change. A change to title, lead, body, fields "
                    "or variants makes a new revision (none if the content is unchanged); "
                    "tags, deadline and owner are metadata and make none. " + IGNORED,
    ),
    "RevisionSummary": REVISION_SUMMARY,
    "Revision": extend(REVISION_SUMMARY, {"content": _ref("Content")}, ("content",)),
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


def _ok(description, schema, **more):
    return {"description": description, "content": _json(_ref(schema)), **more}


ETAG = {"ETag": _ref("ETag", "headers")}
TEXT_QUERY = {"type": "string", "maxLength": MAX_QUERY}

PATHS = {
    "/documents": {
        "get": {
            "operationId": "listDocuments", "tags": ["documents"],
            "summary": "List the organisation's documents, most recently changed first.",
            "parameters": [
                param("q", "query", TEXT_QUERY,
                      "Words that must all occur in the text, in any word form."),
                param("kind", "query", KIND, "Only this kind."),
                param("tag", "query", TEXT_QUERY, "Only documents with this tag (exact name)."),
                param("owner", "query", ID, "Only documents owned by this user id."),
                param("state", "query", TEXT_QUERY, "Only documents in this state, e.g. draft."),
                *page_params("Documents"),
            ],
            "responses": {"200": _ok("A page of documents.", "DocumentList"),
                          **AUTH, **UNPROCESSABLE},
        },
        "post": {
            "operationId": "createDocument", "tags": ["documents"],
            "summary": "Create a document with its first revision, owned by the caller.",
            "requestBody": {"required": True, "content": _json(_ref("DocumentCreate"))},
            "responses": {
                "201": _ok("Created.", "Document", headers={
                    **ETAG, "Location": {"description": "The new document's path.",
                                         "schema": {"type": "string"}}}),
                **AUTH, **BODY_ERRORS,
            },
        },
    },
    "/documents/{document_id}": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "getDocument", "tags": ["documents"],
            "summary": "A document with its current content.",
            "responses": {"200": _ok("The document.", "Document", headers=ETAG),
                          **AUTH, **NOT_FOUND},
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
                "200": _ok("The document as it is now.", "Document", headers=ETAG),
                **AUTH, **NOT_FOUND,
                "409": error("Nothing changed: If-Match names an older revision (someone "
                             "saved in the meantime; `current_revision_id` is the current "
                             "one), or the document's `state` (e.g. published) does not "
                             "allow editing its text."),
                "412": error("If-Match names no revision of this document."),
                "428": error("If-Match is missing (or is `*`)."),
                **BODY_ERRORS,
            },
        },
    },
    "/documents/{document_id}/revisions": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listRevisions", "tags": ["revisions"],
            "summary": "All revisions of a document, newest first.",
            "responses": {"200": _ok("The revisions.", "RevisionList"), **AUTH, **NOT_FOUND},
        },
    },
    "/documents/{document_id}/revisions/{revision_id}": {
        "parameters": [DOCUMENT_ID, path_id("revision_id", "A revision of the document.")],
        "get": {
            "operationId": "getRevision", "tags": ["revisions"],
            "summary": "One revision with its content.",
            "responses": {"200": _ok("The revision.", "Revision"), **AUTH, **NOT_FOUND},
        },
    },
    "/documents/{document_id}/diff": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "diffRevisions", "tags": ["revisions"],
            "summary": "The differences between two revisions of a document.",
            "parameters": [
                param("from", "query", ID, "The older revision's id.", required=True),
                param("to", "query", ID, "The newer revision's id.", required=True),
            ],
            "responses": {"200": _ok("The differences.", "Diff"),
                          **AUTH, **NOT_FOUND, **UNPROCESSABLE},
        },
    },
}
