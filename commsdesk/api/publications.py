"""Publications in the API: a document's publications, the organisation's outbox, and what a
person does with a row (retry, cancel, confirm it went out); thin over publishing.overview
and publishing.actions. PATHS and SCHEMAS are merged into the OpenAPI document."""
from flask import g, jsonify, request

from ..access import get_document
from ..models import PUBLICATION_STATES
from ..publishing import actions, overview, withdrawals
from ..publishing.labels import PUBLICATION_STATE_LABELS
from . import ID, bp, iso, json_body
from .documents import int_arg
from .schema import (
    AUTH,
    BODY_ERRORS,
    DEFAULT_PER_PAGE,
    DOCUMENT_ID,
    MAX_PAGE,
    MAX_PER_PAGE,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    UNPROCESSABLE,
    error,
    json_content,
    obj,
    page_params,
    param,
    path_id,
    ref,
)
from .schema import ID as ID_SCHEMA


def publication_json(user, row):
    """A publication as the API shows it (never its credentials; the payload is left out)."""
    return {
        "id": row.id,
        "document": {"id": row.document_id, "title": row.document.title},
        "channel": {"id": row.channel.id, "name": row.channel.name, "type": row.channel.type},
        "state": row.state,
        "state_label": str(PUBLICATION_STATE_LABELS.get(row.state, row.state)),
        "revision": {"id": row.revision_id, "number": row.revision.number},
        "content_hash": row.content_hash,
        "due_at": iso(row.due_at),
        "embargo_until": iso(row.embargo_until),
        "sent_at": iso(row.sent_at),
        "withdrawn_at": iso(row.withdrawn_at),
        "withdraw_state": row.withdraw_state,
        "withdraw_error": row.withdraw_error,
        "attempts": row.attempts,
        "last_error": row.last_error,
        "url": row.url,
        "external_id": row.external_id,
        "created_at": iso(row.created_at),
        "allowed_actions": overview.allowed_actions(user, row),
    }


@bp.get(f"/documents/<{ID}:document_id>/publications")
def document_publications(document_id):
    doc = get_document(g.api_user, document_id)
    rows = overview.document_publications(g.api_user, doc)
    return jsonify(items=[publication_json(g.api_user, r) for r in rows])


@bp.get("/publications")
def list_publications():
    user = g.api_user
    overview.require_outbox(user)
    state = request.args.get("state", "").strip() or None
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
    rows, total = overview.outbox(user, state=state, channel_id=int_arg("channel_id"),
                                  document_id=int_arg("document_id"), page=page,
                                  per_page=per_page)
    return jsonify(items=[publication_json(user, r) for r in rows], total=total, page=page,
                   per_page=per_page)


@bp.get(f"/publications/<{ID}:publication_id>")
def get_publication(publication_id):
    row = overview.get_publication(g.api_user, publication_id)
    return jsonify(publication_json(g.api_user, row))


@bp.post(f"/publications/<{ID}:publication_id>/retry")
def retry_publication(publication_id):
    row = overview.get_publication(g.api_user, publication_id)
    actions.retry(g.api_user, row)
    return jsonify(publication_json(g.api_user, row))


@bp.post(f"/publications/<{ID}:publication_id>/retry-withdrawal")
def retry_publication_withdrawal(publication_id):
    row = overview.get_publication(g.api_user, publication_id)
    withdrawals.retry(g.api_user, row)
    return jsonify(publication_json(g.api_user, row))


@bp.post(f"/publications/<{ID}:publication_id>/cancel")
def cancel_publication(publication_id):
    row = overview.get_publication(g.api_user, publication_id)
    actions.cancel(g.api_user, row)
    return jsonify(publication_json(g.api_user, row))


@bp.post(f"/publications/<{ID}:publication_id>/confirm")
def confirm_publication(publication_id):
    row = overview.get_publication(g.api_user, publication_id)
    data = json_body() if request.get_data(cache=True) else {}
    actions.confirm_sent(g.api_user, row, data.get("url"))
    return jsonify(publication_json(g.api_user, row))


# --- OpenAPI -------------------------------------------------------------------------------

_ACTIONS = ("retry", "cancel", "confirm", "retry_withdrawal")
SCHEMAS = {
    "Publication": obj(
        {
            "id": ID_SCHEMA,
            "document": obj({"id": ID_SCHEMA, "title": {"type": "string"}}, ("id", "title")),
            "channel": obj({"id": ID_SCHEMA, "name": {"type": "string"},
                            "type": {"type": "string", "description": "e.g. website"}},
                           ("id", "name", "type")),
            "state": {"type": "string", "enum": list(PUBLICATION_STATES), "description":
                      "queued (waiting for its time), sending, sent, failed (see last_error), "
                      "uncertain (a person must check whether it went out), cancelled, held "
                      "(the approval no longer held at its time)."},
            "state_label": {"type": "string", "description": "The state in words, in the "
                                                             "request's language."},
            "revision": obj({"id": ID_SCHEMA, "number": ID_SCHEMA}, ("id", "number")),
            "content_hash": {"type": "string", "description": "SHA-256 of the revision that "
                                                              "goes out."},
            "due_at": TIME,
            "embargo_until": NULLABLE_TIME,
            "sent_at": NULLABLE_TIME,
            "withdrawn_at": NULLABLE_TIME,
            "withdraw_state": {"type": ["string", "null"],
                               "enum": ["pending", "done", "failed", None],
                               "description": "Taking it down on its platform after the "
                                              "text was withdrawn: pending (the worker does "
                                              "it), done, failed (see withdraw_error); null "
                                              "when there is nothing to take down there."},
            "withdraw_error": {"type": ["string", "null"],
                               "description": "Why taking it down failed, in plain words."},
            "attempts": {"type": "integer", "minimum": 0},
            "last_error": {"type": ["string", "null"], "description": "Why the last attempt "
                                                                      "failed, in plain words."},
            "url": {"type": ["string", "null"], "description": "Where it is, once sent."},
            "external_id": {"type": ["string", "null"]},
            "created_at": TIME,
            "allowed_actions": {"type": "array", "items": {"type": "string", "enum":
                                                           list(_ACTIONS)},
                                "description": "What the caller may do with it now."},
        },
        ("id", "document", "channel", "state", "state_label", "revision", "content_hash",
         "due_at", "embargo_until", "sent_at", "withdrawn_at", "attempts", "last_error", "url",
         "external_id", "created_at", "allowed_actions"),
    ),
    "PublicationList": obj(
        {"items": {"type": "array", "items": ref("Publication")}, "total": {"type": "integer"},
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "page", "per_page"),
    ),
    "DocumentPublications": obj(
        {"items": {"type": "array", "items": ref("Publication"), "description":
                   "Newest first. A partner organisation sees only the sent ones."}},
        ("items",),
    ),
    "PublicationConfirm": obj(
        {"url": {"type": "string", "maxLength": 1000,
                 "description": "Where it went out, if known."}},
        description="confirm only; the body may be left out.",
    ),
}

_PUBLICATION_ID = path_id("publication_id", "A publication's id.")
_ONE = {"200": {"description": "The publication as it is now.",
                "content": json_content(ref("Publication"))}}
_ACTION_TEXT = {
    "retry": "Queue a failed or uncertain publication again, due now (for an uncertain one, "
             "after checking that it did not go out).",
    "cancel": "Cancel a publication that has not gone out (queued, failed, uncertain, held).",
    "confirm": "Mark an uncertain publication as sent, after checking that it went out; "
               "optionally with its address.",
    "retry_withdrawal": "Take a withdrawn text down on the publication's platform again, "
                        "after that failed (due now).",
}


def _action_path(action):
    operation = {
        "operationId": {"retry_withdrawal": "retryPublicationWithdrawal"}.get(
            action, f"{action}Publication"), "tags": ["publications"],
        "summary": _ACTION_TEXT[action],
        "description": "For the owning organisation's editors, approvers and admins: 403 for "
                       "anyone else who can see it, 404 for a publication the caller cannot "
                       "see; 409 when its state does not allow it.",
        "responses": {**_ONE, **AUTH, **NOT_FOUND,
                      "409": error("The publication's state does not allow this.")},
    }
    if action == "confirm":
        operation["requestBody"] = {"required": False,
                                    "content": json_content(ref("PublicationConfirm"))}
        operation["responses"].update(BODY_ERRORS)
    return {"parameters": [_PUBLICATION_ID], "post": operation}


PATHS = {
    "/documents/{document_id}/publications": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listDocumentPublications", "tags": ["publications"],
            "summary": "Where and when the document goes or went out, one row per channel "
                       "and decision, newest first.",
            "responses": {"200": {"description": "The document's publications.",
                                  "content": json_content(ref("DocumentPublications"))},
                          **AUTH, **NOT_FOUND},
        },
    },
    "/publications": {
        "get": {
            "operationId": "listPublications", "tags": ["publications"],
            "summary": "The organisation's outbox: what needs a person first (failed, "
                       "uncertain, held), then what waits (soonest first), then what went "
                       "out (newest first).",
            "description": "Without a state: open rows, those needing a person and those "
                           "sent in the last 30 days. For editors, approvers and admins (403 "
                           "for a contributor).",
            "parameters": [
                param("state", "query", {"type": "string", "enum": list(PUBLICATION_STATES)},
                      "Only publications in this state."),
                param("channel_id", "query", ID_SCHEMA, "Only this channel's."),
                param("document_id", "query", ID_SCHEMA, "Only this document's."),
                *page_params("Publications"),
            ],
            "responses": {"200": {"description": "A page of publications.",
                                  "content": json_content(ref("PublicationList"))},
                          **AUTH, **UNPROCESSABLE},
        },
    },
    "/publications/{publication_id}": {
        "parameters": [_PUBLICATION_ID],
        "get": {
            "operationId": "getPublication", "tags": ["publications"],
            "summary": "One publication (a partner organisation sees only sent ones).",
            "responses": {**_ONE, **AUTH, **NOT_FOUND},
        },
    },
    **{f"/publications/{{publication_id}}/{action.replace('_', '-')}": _action_path(action)
       for action in _ACTIONS},
}
