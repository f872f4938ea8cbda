"""The OpenAPI declaration of comments and suggestions: what discussion.py serves."""
from .. import discussion
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
