"""Newspaper outlets and a document's submissions in the API: thin over commsdesk.outlets and
commsdesk.submissions. PATHS and SCHEMAS are merged into the OpenAPI document by openapi.py."""
from flask import g, jsonify

from .. import outlets, submissions
from ..access import get_document
from ..models import SUBMISSION_STATES, utcnow
from . import ID, bp, iso, json_body
from .schema import (
    AUTH,
    BODY_ERRORS,
    DOCUMENT_ID,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    error,
    json_content,
    obj,
    path_id,
    ref,
)
from .schema import ID as ID_SCHEMA

ACTIONS = tuple(submissions.TRANSITIONS)


def outlet_json(outlet):
    return {"id": outlet.id, "name": outlet.name, "email": outlet.email,
            "length_limit": outlet.length_limit, "wants_exclusive": outlet.wants_exclusive,
            "exclusivity_note": outlet.exclusivity_note, "reply_days": outlet.reply_days,
            "active": outlet.active, "created_at": iso(outlet.created_at)}


def submission_json(user, doc, row):
    return {
        "id": row.id,
        "document": {"id": doc.id, "title": doc.title},
        "outlet": {"id": row.outlet.id, "name": row.outlet.name},
        "state": row.state,
        "state_label": str(submissions.STATE_LABELS[row.state]),
        "revision": {"id": row.revision_id, "number": row.revision.number},
        "content_hash": row.content_hash,
        "exclusive": row.exclusive,
        "offered_at": iso(row.offered_at),
        "reply_by": iso(row.reply_by),
        "overdue": submissions.is_overdue(row, utcnow()),
        "decided_at": iso(row.decided_at),
        "published_on": row.published_on.isoformat() if row.published_on else None,
        "published_url": row.published_url,
        "presentation": row.presentation,
        "note": row.note,
        "created_by": {"id": row.created_by.id, "name": row.created_by.name}
        if row.created_by else None,
        "email_id": row.email_id,
        "allowed_actions": submissions.allowed_actions(user, doc, row),
    }


@bp.get("/outlets")
def list_outlets():
    outlets.require_manage(g.api_user)
    rows = outlets.for_organisation(g.api_user.organisation_id)
    return jsonify(items=[outlet_json(o) for o in rows])


@bp.post("/outlets")
def create_outlet():
    outlets.require_manage(g.api_user)
    outlet = outlets.save(g.api_user, json_body())
    return jsonify(outlet_json(outlet)), 201


@bp.patch(f"/outlets/<{ID}:outlet_id>")
def update_outlet(outlet_id):
    outlet = outlets.get_outlet(g.api_user, outlet_id)
    outlets.require_manage(g.api_user)
    return jsonify(outlet_json(outlets.save(g.api_user, json_body(), outlet)))


@bp.get(f"/documents/<{ID}:document_id>/submissions")
def list_submissions(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[submission_json(g.api_user, doc, r)
                          for r in submissions.for_document(doc)])


@bp.post(f"/documents/<{ID}:document_id>/submissions")
def create_submission(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    presentation = data.get("presentation")
    if presentation is None:
        presentation = submissions.default_presentation(doc)
    row = submissions.submit(g.api_user, doc, data.get("outlet_id"), presentation,
                             data.get("note") or "", data.get("reply_by"))
    return jsonify(submission_json(g.api_user, doc, row)), 201


@bp.post(f"/documents/<{ID}:document_id>/submissions/<{ID}:submission_id>/transitions")
def change_submission(document_id, submission_id):
    doc = get_document(g.api_user, document_id)
    row = submissions.get_submission(doc, submission_id)
    data = json_body()
    submissions.change_state(g.api_user, doc, row, data.get("action"),
                             published_on=data.get("published_on"),
                             published_url=data.get("published_url"))
    return jsonify(submission_json(g.api_user, doc, row))


# --- OpenAPI -------------------------------------------------------------------------------

_OUTLET_FIELDS = {
    "name": {"type": "string", "maxLength": 200},
    "email": {"type": "string", "format": "email", "description": "The debate desk's address."},
    "length_limit": {"type": ["integer", "null"], "minimum": 1, "maximum": outlets.MAX_LIMIT,
                     "description": "Characters of lead and body as the editor counts them; "
                                    "null: no limit."},
    "wants_exclusive": {"type": "boolean", "description": "While an offer to it is open, the "
                                                          "text is offered nowhere else."},
    "exclusivity_note": {"type": "string", "maxLength": outlets.MAX_NOTE},
    "reply_days": {"type": "integer", "minimum": 1, "maximum": outlets.MAX_REPLY_DAYS,
                   "description": "Typical reply time; an offer's reply_by defaults to this "
                                  "many days after it is made."},
    "active": {"type": "boolean", "description": "false: deactivated, not offered to."},
}
SCHEMAS = {
    "Outlet": obj({"id": ID_SCHEMA, **_OUTLET_FIELDS, "created_at": TIME},
                  ("id", *_OUTLET_FIELDS, "created_at")),
    "OutletList": obj({"items": {"type": "array", "items": ref("Outlet")}}, ("items",)),
    "OutletInput": obj(_OUTLET_FIELDS, description="To create: name, email and reply_days "
                                                   "are required; to update, any subset."),
    "Submission": obj(
        {
            "id": ID_SCHEMA,
            "document": obj({"id": ID_SCHEMA, "title": {"type": "string"}}, ("id", "title")),
            "outlet": obj({"id": ID_SCHEMA, "name": {"type": "string"}}, ("id", "name")),
            "state": {"type": "string", "enum": list(SUBMISSION_STATES)},
            "state_label": {"type": "string"},
            "revision": obj({"id": ID_SCHEMA, "number": ID_SCHEMA}, ("id", "number")),
            "content_hash": {"type": "string", "description": "SHA-256 of the offered text."},
            "exclusive": {"type": "boolean", "description": "Offered under the outlet's "
                                                            "exclusivity rule."},
            "offered_at": TIME, "reply_by": TIME,
            "overdue": {"type": "boolean", "description": "Offered, unanswered, past reply_by."},
            "decided_at": NULLABLE_TIME,
            "published_on": {"type": ["string", "null"], "format": "date"},
            "published_url": {"type": ["string", "null"]},
            "presentation": {"type": "string"}, "note": {"type": "string"},
            "created_by": {"oneOf": [ref("Person"), {"type": "null"}]},
            "email_id": {"type": ["integer", "null"], "description": "The email to the desk."},
            "allowed_actions": {"type": "array",
                                "items": {"type": "string", "enum": list(ACTIONS)}},
        },
        ("id", "document", "outlet", "state", "state_label", "revision", "content_hash",
         "exclusive", "offered_at", "reply_by", "overdue", "decided_at", "published_on",
         "published_url", "presentation", "note", "created_by", "email_id",
         "allowed_actions"),
    ),
    "TrailSubmission": obj(
        {"outlet": obj({"id": ID_SCHEMA, "name": {"type": "string"}}, ("id", "name")),
         "state": {"type": "string", "enum": list(SUBMISSION_STATES)},
         "offered_at": TIME, "decided_at": NULLABLE_TIME,
         "published_on": {"type": ["string", "null"], "format": "date"},
         "published_url": {"type": ["string", "null"]},
         "revision": obj({"id": ID_SCHEMA, "number": ID_SCHEMA}, ("id", "number")),
         "content_hash": {"type": "string"},
         "offered_by": {"oneOf": [ref("Person"), {"type": "null"}]}},
        ("outlet", "state", "offered_at", "decided_at", "published_on", "published_url",
         "revision", "content_hash", "offered_by"),
        description="An offer to a newspaper, in the decision trail."),
    "SubmissionList": obj({"items": {"type": "array", "items": ref("Submission"),
                                     "description": "Newest first."}}, ("items",)),
    "SubmissionInput": obj(
        {"outlet_id": ID_SCHEMA,
         "presentation": {"type": "string", "maxLength": 1000,
                          "description": "About the authors; default: the signatories' "
                                         "names and titles."},
         "note": {"type": "string", "maxLength": 2000, "description": "To the desk."},
         "reply_by": {"type": "string", "format": "date-time"}},
        ("outlet_id",)),
    "SubmissionTransition": obj(
        {"action": {"type": "string", "enum": list(ACTIONS)},
         "published_on": {"type": "string", "format": "date", "description": "publish only."},
         "published_url": {"type": "string", "description": "publish only; http(s)."}},
        ("action",)),
}

_OUTLET_ID = path_id("outlet_id", "An outlet's id.")
_SUBMISSION_ID = path_id("submission_id", "A submission's id.")
_MANAGERS = "For the organisation's editors and admins (403 for other roles)."


def _body(name):
    return {"required": True, "content": json_content(ref(name))}


def _answer(code, name, text):
    return {code: {"description": text, "content": json_content(ref(name))}}


PATHS = {
    "/outlets": {
        "get": {"operationId": "listOutlets", "tags": ["submissions"],
                "summary": "The organisation's newspaper outlets.", "description": _MANAGERS,
                "responses": {**_answer("200", "OutletList", "The outlets."), **AUTH}},
        "post": {"operationId": "createOutlet", "tags": ["submissions"],
                 "summary": "Add an outlet.", "description": _MANAGERS,
                 "requestBody": _body("OutletInput"),
                 "responses": {**_answer("201", "Outlet", "The new outlet."), **AUTH,
                               **BODY_ERRORS}},
    },
    "/outlets/{outlet_id}": {
        "parameters": [_OUTLET_ID],
        "patch": {"operationId": "updateOutlet", "tags": ["submissions"],
                  "summary": "Change an outlet, or deactivate it (active: false).",
                  "description": _MANAGERS, "requestBody": _body("OutletInput"),
                  "responses": {**_answer("200", "Outlet", "The outlet as it is now."),
                                **AUTH, **NOT_FOUND, **BODY_ERRORS}},
    },
    "/documents/{document_id}/submissions": {
        "parameters": [DOCUMENT_ID],
        "get": {"operationId": "listSubmissions", "tags": ["submissions"],
                "summary": "Where the op-ed or letter was offered and what became of it "
                           "(partners read them too).",
                "responses": {**_answer("200", "SubmissionList", "The submissions."),
                              **AUTH, **NOT_FOUND}},
        "post": {"operationId": "createSubmission", "tags": ["submissions"],
                 "summary": "Offer the approved text to an outlet: it is emailed to the desk.",
                 "description": "The owning organisation's editors and admins. 409 when the "
                                "text is not approved (agreed) or an exclusive offer is open; "
                                "422 when it is longer than the outlet takes.",
                 "requestBody": _body("SubmissionInput"),
                 "responses": {**_answer("201", "Submission", "The offer."), **AUTH,
                               **NOT_FOUND, **BODY_ERRORS,
                               "409": error("Not approved, or exclusivity forbids it.")}},
    },
    "/documents/{document_id}/submissions/{submission_id}/transitions": {
        "parameters": [DOCUMENT_ID, _SUBMISSION_ID],
        "post": {"operationId": "changeSubmission", "tags": ["submissions"],
                 "summary": "Record the desk's answer (accept, refuse), publication (with "
                            "published_on and published_url) or withdraw the offer (the desk "
                            "is emailed).",
                 "requestBody": _body("SubmissionTransition"),
                 "responses": {**_answer("200", "Submission", "The submission as it is now."),
                               **AUTH, **NOT_FOUND, **BODY_ERRORS,
                               "409": error("Its state does not allow this.")}},
    },
}
