"""The audit log in the API: thin over commsdesk.audit, with the pages' access rules (an
organisation's admins read its log, superusers every entry; the owning organisation's staff
read a document's log, partners get 404)."""
from flask import g, jsonify, request

from .. import audit
from ..access import MAX_ID, get_document, require_document_log
from ..times import organisation_zone
from . import ID, bp
from . import iso as _iso
from .documents import int_arg
from .schema import (
    AUTH,
    DEFAULT_PER_PAGE,
    DOCUMENT_ID,
    MAX_PAGE,
    MAX_PER_PAGE,
    NOT_FOUND,
    TIME,
    UNPROCESSABLE,
    page_params,
    param,
)
from .schema import ID as _ID
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def entry_json(entry, actor_name, organisation_name):
    """An audit entry, its action as code and in the request's language."""
    return {
        "id": entry.id,
        "at": _iso(entry.at),
        "action": entry.action,
        "action_label": audit.action_label(entry.action),
        "actor": ({"id": entry.actor_id, "name": actor_name}
                  if entry.actor_id is not None else None),
        "organisation": ({"id": entry.organisation_id, "name": organisation_name}
                         if entry.organisation_id is not None else None),
        "object_type": entry.object_type or None,
        "object_id": entry.object_id,
        "data": entry.data or {},
    }


def _page(scope, zone_holder):
    filters = audit.parse_filters(request.args, organisation_zone(zone_holder))
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", DEFAULT_PER_PAGE, MAX_ID), MAX_PER_PAGE)
    rows, total = audit.entries(scope, filters, page, per_page)
    return jsonify(items=[entry_json(*row) for row in rows], total=total, page=page,
                   per_page=per_page)


@bp.get("/audit")
def organisation_audit():
    user = g.api_user
    return _page(audit.global_scope(user), user)


@bp.get(f"/documents/<{ID}:document_id>/audit")
def document_audit(document_id):
    doc = get_document(g.api_user, document_id)
    require_document_log(g.api_user, doc)
    return _page(audit.document_scope(doc), doc)


# --- OpenAPI ------------------------------------------------------------------------------

_NULLABLE_ID = {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}

SCHEMAS = {
    "AuditEntry": _object(
        {
            "id": _ID,
            "at": TIME,
            "action": {"type": "string", "description": "The action's code, e.g. "
                                                        "workflow.approve (stable)."},
            "action_label": {"type": "string",
                             "description": "The action in words, in the request's language; "
                                            "the code when it has no label."},
            "actor": {"oneOf": [_ref("Person"), {"type": "null"}],
                      "description": "null for the system or a guest (see data.guest_name)."},
            "organisation": {"oneOf": [_object({"id": _ID, "name": {"type": "string"}},
                                               ("id", "name")), {"type": "null"}]},
            "object_type": {"type": ["string", "null"],
                            "description": "What the action was about, e.g. document, "
                                           "previewlink."},
            "object_id": _NULLABLE_ID,
            "data": {"type": "object", "description": "Details of the action."},
        },
        ("id", "at", "action", "action_label", "actor", "organisation", "object_type",
         "object_id", "data"),
    ),
    "AuditEntryList": _object(
        {"items": {"type": "array", "items": _ref("AuditEntry"), "description": "Newest first."},
         "total": {"type": "integer"}, "page": {"type": "integer"},
         "per_page": {"type": "integer"}},
        ("items", "total", "page", "per_page"),
    ),
}

_FILTERS = [
    param("action", "query", {"type": "string", "maxLength": 64},
          "Only this action code; ending in a dot or *, every code that starts so "
          "(workflow.)."),
    param("from", "query", {"type": "string", "format": "date"},
          "From this day (YYYY-MM-DD, the organisation's time zone)."),
    param("to", "query", {"type": "string", "format": "date"},
          "Up to and including this day (YYYY-MM-DD, the organisation's time zone)."),
    *page_params("Entries"),
]
_LIST = {"200": {"description": "A page of audit entries, newest first.",
                 "content": _json(_ref("AuditEntryList"))}}

PATHS = {
    "/audit": {
        "get": {
            "operationId": "listAuditEntries", "tags": ["audit"],
            "summary": "The organisation's audit log (admins; superusers see every entry).",
            "description": "The same entries as the audit log page; 403 for anyone but an "
                           "admin or a superuser.",
            "parameters": _FILTERS,
            "responses": {**_LIST, **AUTH, **UNPROCESSABLE},
        },
    },
    "/documents/{document_id}/audit": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listDocumentAuditEntries", "tags": ["audit"],
            "summary": "A document's audit log: the document and its parts.",
            "description": "For the owning organisation's editors, approvers and admins (403 "
                           "for a contributor); 404 for a partner organisation.",
            "parameters": _FILTERS,
            "responses": {**_LIST, **AUTH, **NOT_FOUND, **UNPROCESSABLE},
        },
    },
}
