"""Workflow in the API: the document's review state and its transitions, thin over workflow."""
from flask import g, jsonify

from .. import workflow
from ..access import MAX_ID, get_document
from ..errors import ValidationError
from ..publishing import overview
from ..times import organisation_zone, parse_datetime
from . import ID, bp, json_body, refuse_crafted
from . import iso as _iso
from .schema import AUTH, BODY_ERRORS, DOCUMENT_ID, NOT_FOUND, error
from .schema import ID as _ID
from .schema import NULLABLE_TIME as _NULLABLE_TIME
from .schema import TIME as _TIME
from .schema import json_content as _json
from .schema import ref as _ref

DOC = f"/documents/<{ID}:document_id>"


def approval_json(approval, status):
    return {
        "id": approval.id,
        "organisation": {"id": approval.organisation.id, "name": approval.organisation.name},
        "user": {"id": approval.user.id, "name": approval.user.name},
        "role": approval.role,
        "revision": {"id": approval.revision_id, "number": approval.revision.number},
        "content_hash": approval.content_hash,
        "created_at": _iso(approval.created_at),
        "stale": not status.is_current(approval),
    }


def workflow_json(user, doc):
    status = workflow.approval_status(doc)
    allowed = workflow.allowed_actions(user, doc)
    offered = overview.offered_channels(doc) if {"publish", "schedule"} & set(allowed) else []
    return {
        "document_id": doc.id,
        "state": doc.state,
        "hold_reason": doc.hold_reason,
        "scheduled_at": _iso(doc.scheduled_at),
        "current_revision": {"id": doc.current_revision_id,
                             "number": doc.current_revision.number,
                             "content_hash": doc.current_revision.content_hash},
        "allowed_actions": allowed,
        "channels": [{"id": c.id, "name": c.name, "type": c.type} for c in offered],
        "agreed": status.agreed,
        "organisations": [
            {"organisation_id": o.organisation.id, "approved": o.approved,
             "approvals": [approval_json(a, status) for a in o.approvals]}
            for o in status.organisations
        ],
        "history": [approval_json(a, status) for a in status.history],
        "review_requests": [
            {"id": r.id, "reviewer": {"id": r.reviewer.id, "name": r.reviewer.name},
             "due_at": _iso(r.due_at), "created_at": _iso(r.created_at)}
            for r in workflow.open_requests_for(doc)
        ],
    }


def _params(doc, action, data):
    """Only the parameters an action takes; anything else in the body is ignored."""
    zone = organisation_zone(doc)
    if action == "submit":
        return {"reviewer_ids": _reviewer_ids(data) or [], "due_at": _time(data, "due_at", zone)}
    if action == "approve":
        revision_id = data.get("revision_id")
        valid = isinstance(revision_id, int) and 0 < revision_id <= MAX_ID
        if revision_id is not None and not valid:
            raise ValidationError("revision_id must be a revision id.", field="revision_id")
        return {"revision_id": revision_id}
    if action == "request_changes":
        message = data.get("message", "")
        if not isinstance(message, str):
            raise ValidationError("message must be text.", field="message")
        return {"message": message}
    if action == "schedule":
        return {"at": _time(data, "at", zone), "channels": _channels(doc, data)}
    if action == "reschedule":
        return {"at": _time(data, "at", zone)}
    if action == "publish":
        return {"channels": _channels(doc, data)}
    return {}


def _channels(doc, data):
    """The channel ids of a body (None if absent: every channel that publishes the kind)."""
    ids = data.get("channels")
    if ids is not None and (not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids)):
        raise ValidationError("channels must be a list of channel ids.", field="channels")
    return overview.channel_choice(doc, ids)


def _reviewer_ids(data):
    """The reviewer_ids of a body (None if absent), checked to be a list of ids."""
    reviewers = data.get("reviewer_ids")
    if reviewers is None:
        return None
    if not isinstance(reviewers, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID
            for i in reviewers):
        raise ValidationError("reviewer_ids must be a list of user ids.", field="reviewer_ids")
    return reviewers


def _time(data, key, zone):
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationError(f"{key} must be an ISO 8601 date and time.", field=key)
    return parse_datetime(value, zone, field=key, label=key)


@bp.get(f"{DOC}/workflow")
def get_workflow(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(workflow_json(g.api_user, doc))


@bp.post(f"{DOC}/transitions")
def post_transition(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    refuse_crafted(data, g.api_user)
    action = data.get("action")
    if not isinstance(action, str) or action not in workflow.ACTIONS:
        raise ValidationError(
            f"Unknown or missing action; use one of: {', '.join(workflow.ACTIONS)}.",
            field="action")
    workflow.perform(g.api_user, doc, action, **_params(doc, action, data))
    return jsonify(workflow_json(g.api_user, doc))


@bp.patch(f"{DOC}/review")
def patch_review(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    refuse_crafted(data, g.api_user)
    due_at = workflow.UNCHANGED
    if "due_at" in data:
        due_at = _time(data, "due_at", organisation_zone(doc))
    workflow.update_review(g.api_user, doc, reviewer_ids=_reviewer_ids(data), due_at=due_at)
    return jsonify(workflow_json(g.api_user, doc))


# --- OpenAPI -----------------------------------------------------------------------------

_PERSON = {"type": "object", "properties": {"id": _ID, "name": {"type": "string"}},
           "required": ["id", "name"]}

SCHEMAS = {
    "Approval": {
        "type": "object",
        "properties": {
            "id": _ID,
            "organisation": _PERSON,
            "user": _PERSON,
            "role": {"type": "string"},
            "revision": {"type": "object", "properties": {"id": _ID, "number": _ID},
                         "required": ["id", "number"]},
            "content_hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "created_at": _TIME,
            "stale": {"type": "boolean",
                      "description": "True when the approved revision is not the current one."},
        },
        "required": ["id", "organisation", "user", "role", "revision", "content_hash",
                     "created_at", "stale"],
    },
    "Workflow": {
        "type": "object",
        "properties": {
            "document_id": _ID,
            "state": {"type": "string", "enum": list(workflow.STATES)},
            "hold_reason": {"type": ["string", "null"]},
            "scheduled_at": _NULLABLE_TIME,
            "current_revision": {"type": "object"},
            "allowed_actions": {"type": "array",
                                "items": {"type": "string", "enum": list(workflow.ACTIONS)}},
            "agreed": {"type": "boolean", "description":
                       "The owning organisation and every organisation the document is shared "
                       "with approved the current revision."},
            "organisations": {"type": "array", "items": {"type": "object", "properties": {
                "organisation_id": _ID, "approved": {"type": "boolean"},
                "approvals": {"type": "array", "items": _ref("Approval")}}}},
            "history": {"type": "array", "items": _ref("Approval")},
            "channels": {"type": "array", "description":
                         "The channels publish and schedule may name (when the caller may "
                         "publish the document now): every one that publishes its kind.",
                         "items": {"type": "object", "properties": {
                             "id": _ID, "name": {"type": "string"}, "type": {"type": "string"}},
                             "required": ["id", "name", "type"]}},
            "review_requests": {"type": "array", "items": {"type": "object"}},
        },
        "required": ["document_id", "state", "allowed_actions", "agreed", "organisations",
                     "history", "review_requests"],
    },
    "Transition": {
        "type": "object",
        "properties": {
            "action": {"type": "string", "enum": list(workflow.ACTIONS)},
            "reviewer_ids": {"type": "array", "items": _ID,
                             "description": "submit: who is asked to review (default: those "
                                            "asked in the previous round, else the "
                                            "organisation's approvers)."},
            "due_at": {**_TIME, "description": "submit: when the review is due (future)."},
            "revision_id": {**_ID, "description": "approve: the revision you reviewed; if it "
                                                  "is no longer current, 409."},
            "message": {"type": "string", "minLength": 1,
                        "description": "request_changes: what to change (required)."},
            "at": {**_TIME, "description": "schedule, reschedule: when to publish (future); "
                                           "without an offset, in the organisation's zone."},
            "channels": {"type": "array", "items": _ID, "description":
                         "publish, schedule: the ids of the channels to publish on (each one "
                         "that publishes the document's kind: GET /documents/{id}/workflow lists "
                         "them under `channels`). Left out: every such channel. An empty "
                         "list is refused when the kind has channels."},
        },
        "required": ["action"],
        "description": "recall takes a document in review back to draft and closes its "
                       "review requests. Setting state or approvals, or naming another "
                       "organisation (organisation_id) or user (user_id), is refused with 403.",
    },
}

SCHEMAS["ReviewChange"] = {
    "type": "object",
    "properties": {
        "reviewer_ids": {"type": "array", "items": _ID, "description":
                         "Who is asked now (replaces the set; added reviewers are asked, "
                         "removed ones told). Empty: the organisation's approvers."},
        "due_at": {**_NULLABLE_TIME, "description": "When the review is due (future); null: "
                                                    "no due time."},
    },
    "description": "Only the fields given change.",
}

PATHS = {
    "/documents/{document_id}/workflow": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "getWorkflow", "tags": ["workflow"],
            "summary": "State, allowed actions, approvals per organisation and review requests.",
            "responses": {"200": {"description": "The workflow of the document.",
                                  "content": _json(_ref("Workflow"))}, **AUTH, **NOT_FOUND},
        },
    },
    "/documents/{document_id}/transitions": {
        "parameters": [DOCUMENT_ID],
        "post": {
            "operationId": "transitionDocument", "tags": ["workflow"],
            "summary": "Take a workflow action: submit, recall, approve, request_changes, "
                       "schedule, reschedule, unschedule, publish, withdraw, archive or "
                       "reopen.",
            "description": "Approving records the caller's organisation's approval of the "
                           "current revision and its content hash. Publishing queues the "
                           "approved revision on its channels: the document is `scheduled` "
                           "until the worker has sent it (seconds), then `published`, "
                           "`partly_published` or `publish_failed` (see "
                           "GET /documents/{id}/publications). An action the caller may "
                           "not take is 403; one that the document's state does not allow "
                           "is 409.",
            "requestBody": {"required": True, "content": _json(_ref("Transition"))},
            "responses": {
                "200": {"description": "Done; the workflow as it is now.",
                        "content": _json(_ref("Workflow"))},
                **AUTH, **NOT_FOUND, **BODY_ERRORS,
                "409": error("Not possible in the document's state, or the revision changed."),
                "422": error("Unknown action or bad parameters."),
            },
        },
    },
    "/documents/{document_id}/review": {
        "parameters": [DOCUMENT_ID],
        "patch": {
            "operationId": "changeReview", "tags": ["workflow"],
            "summary": "Change the reviewers or the due time of a document in review.",
            "requestBody": {"required": True, "content": _json(_ref("ReviewChange"))},
            "responses": {
                "200": {"description": "Done; the workflow as it is now.",
                        "content": _json(_ref("Workflow"))},
                **AUTH, **NOT_FOUND, **BODY_ERRORS,
                "409": error("The document is not in review."),
                "422": error("Unknown reviewers, or a due time in the past."),
            },
        },
    },
}
