"""The caller's to-do in the API: thin over workflow.todo, the same rows as the overview."""
from flask import g, jsonify, url_for

from .. import workflow
from ..workflow.todo import KINDS as TODO_KINDS
from . import bp
from . import iso as _iso
from .schema import AUTH, NULLABLE_TIME
from .schema import ID as _ID
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref

NULLABLE_ID = {"oneOf": [_ID, {"type": "null"}]}


def todo_json(item):
    """A TodoItem: what, on which document, by when, and the web page where to act."""
    doc = item.document
    endpoint, values = item.target
    return {
        "kind": item.kind,
        "label": str(item.label),
        "document": {"id": doc.id, "title": doc.title, "kind": doc.kind, "state": doc.state,
                     "organisation_id": doc.organisation_id,
                     "current_revision_id": doc.current_revision_id},
        "due_at": _iso(item.due_at),
        "since_revision_id": item.since_revision_id,
        "suggestion_id": item.suggestion.id if item.suggestion else None,
        "link": url_for(endpoint, **values),
    }


@bp.get("/todo")
def list_todo():
    items = workflow.todo(g.api_user)
    return jsonify(items=[todo_json(item) for item in items], total=len(items))


# --- OpenAPI ------------------------------------------------------------------------------

SCHEMAS = {
    "TodoItem": _object(
        {
            "kind": {"type": "string", "enum": list(TODO_KINDS),
                     "description": "review: waits for the caller's review; renew: changed "
                                    "since the caller approved it; changes_requested: changes "
                                    "are asked of the caller; suggestion: waits for the "
                                    "caller's decision; manual_post: due on a channel the "
                                    "caller posts to by hand."},
            "label": {"type": "string", "description": "The kind, in the request's language."},
            "document": _object(
                {"id": _ID, "title": {"type": "string"}, "kind": {"type": "string"},
                 "state": {"type": "string"}, "organisation_id": _ID,
                 "current_revision_id": _ID},
                ("id", "title", "kind", "state", "organisation_id", "current_revision_id")),
            "due_at": {**NULLABLE_TIME,
                       "description": "The review's due time, else the document's deadline."},
            "since_revision_id": {**NULLABLE_ID,
                                  "description": "renew: the revision the caller approved."},
            "suggestion_id": {**NULLABLE_ID, "description": "suggestion: the one to decide."},
            "link": {"type": "string",
                     "description": "The path of the web page where the caller acts (the "
                                    "document, the changes since, the suggestion, the text "
                                    "to copy)."},
        },
        ("kind", "label", "document", "due_at", "since_revision_id", "suggestion_id", "link"),
    ),
    "TodoList": _object(
        {"items": {"type": "array", "items": _ref("TodoItem"),
                   "description": "Soonest due first; those without a due time last."},
         "total": {"type": "integer"}},
        ("items", "total"),
    ),
}

PATHS = {
    "/todo": {
        "get": {
            "operationId": "listTodo", "tags": ["todo"],
            "summary": "What waits for the caller: reviews, approvals to renew, changes "
                       "requested, suggestions to decide.",
            "description": "The same list as the overview's “To do”, including documents "
                           "shared with the caller's organisation.",
            "responses": {
                "200": {"description": "The caller's to-do.", "content": _json(_ref("TodoList"))},
                **AUTH,
            },
        },
    },
}
