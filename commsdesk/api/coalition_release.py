"""A joint text's coordinated release in the API: every party's plan, the embargo time, a
party's channels, hold all, release, and an organisation taking its approval back; thin over
commsdesk.coalition_release. PATHS and SCHEMAS are merged into the OpenAPI document."""
from flask import g, jsonify
from flask_babel import gettext as _

from .. import coalition_release
from ..access import MAX_ID, get_document
from ..errors import ValidationError
from ..publishing.labels import PUBLICATION_STATE_LABELS
from ..times import organisation_zone, parse_datetime
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
    ref,
)
from .schema import ID as ID_SCHEMA

DOC = f"/documents/<{ID}:document_id>"
_ACTIONS = ("set_time", "plan", "hold", "release", "withdraw_approval")


def _allowed(user, doc, panel):
    names = {"set_time": panel["can_set_time"], "plan": panel["can_plan"],
             "hold": panel["can_hold"], "release": panel["can_release"],
             "withdraw_approval": panel["can_withdraw"]}
    return [name for name in _ACTIONS if names[name]]


def release_json(user, doc):
    """Every party's plan and the release as this user sees it (names and states only)."""
    panel = coalition_release.panel(user, doc) or {}
    joint = panel.get("release")
    return {
        "document_id": doc.id,
        "shared": bool(panel),
        "embargo_at": iso(joint.embargo_at) if joint else None,
        "held": bool(joint and joint.held_at),
        "held_at": iso(joint.held_at) if joint else None,
        "held_by": joint.held_by.name if joint and joint.held_by else None,
        "hold_reason": joint.hold_reason if joint else None,
        "released_at": iso(joint.released_at) if joint else None,
        "parties": [
            {"organisation": {"id": org.id, "name": org.name, "slug": org.slug},
             "owner": owner,
             "publications": [
                 {"id": r.id, "channel": {"name": r.channel.name, "type": r.channel.type},
                  "state": r.state,
                  "state_label": str(PUBLICATION_STATE_LABELS.get(r.state, r.state)),
                  "due_at": iso(r.due_at), "sent_at": iso(r.sent_at), "url": r.url}
                 for r in rows]}
            for org, owner, rows in panel.get("plans", [])],
        "allowed_actions": _allowed(user, doc, panel) if panel else [],
    }


def _time(data, doc, required):
    value = data.get("at")
    if value is not None and not isinstance(value, str):
        raise ValidationError(_("at must be an ISO 8601 date and time."), field="at")
    if value is None and required:
        raise ValidationError(_("Give the release time."), field="at")
    return parse_datetime(value, organisation_zone(doc), field="at", label="at")


def _reason(data):
    value = data.get("reason")
    if not isinstance(value, str):
        raise ValidationError(_("Say why: the reason is required."), field="reason")
    return value


def _channels(data):
    ids = data.get("channels")
    if not isinstance(ids, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID for i in ids):
        raise ValidationError(_("channels must be a list of channel ids."), field="channels")
    return ids


@bp.get(f"{DOC}/release")
def get_release(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(release_json(g.api_user, doc))


@bp.put(f"{DOC}/release")
def put_release(document_id):
    doc = get_document(g.api_user, document_id)
    coalition_release.set_time(g.api_user, doc, _time(json_body(), doc, required=True))
    return jsonify(release_json(g.api_user, doc))


@bp.post(f"{DOC}/release/plan")
def plan_release(document_id):
    doc = get_document(g.api_user, document_id)
    coalition_release.plan(g.api_user, doc, _channels(json_body()))
    return jsonify(release_json(g.api_user, doc))


@bp.post(f"{DOC}/release/hold")
def hold_release(document_id):
    doc = get_document(g.api_user, document_id)
    coalition_release.hold_all(g.api_user, doc, _reason(json_body()))
    return jsonify(release_json(g.api_user, doc))


@bp.post(f"{DOC}/release/release")
def resume_release(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    coalition_release.release(g.api_user, doc, _time(data, doc, required=False))
    return jsonify(release_json(g.api_user, doc))


@bp.post(f"{DOC}/approval/withdraw")
def withdraw_approval(document_id):
    doc = get_document(g.api_user, document_id)
    coalition_release.withdraw_approval(g.api_user, doc, _reason(json_body()))
    return jsonify(release_json(g.api_user, doc))


# --- OpenAPI -------------------------------------------------------------------------------

_ORG = obj({"id": ID_SCHEMA, "name": {"type": "string"}, "slug": {"type": "string"}},
           ("id", "name", "slug"))
_ROW = obj({"id": ID_SCHEMA,
            "channel": obj({"name": {"type": "string"}, "type": {"type": "string"}},
                           ("name", "type")),
            "state": {"type": "string"}, "state_label": {"type": "string"}, "due_at": TIME,
            "sent_at": NULLABLE_TIME, "url": {"type": ["string", "null"]}},
           ("id", "channel", "state", "state_label", "due_at", "sent_at", "url"))
SCHEMAS = {
    "JointRelease": obj(
        {
            "document_id": ID_SCHEMA,
            "shared": {"type": "boolean", "description": "Only a shared text has a joint "
                                                         "release."},
            "embargo_at": {**NULLABLE_TIME, "description": "The coordinated time: nothing "
                                                           "goes out before it."},
            "held": {"type": "boolean"},
            "held_at": NULLABLE_TIME,
            "held_by": {"type": ["string", "null"]},
            "hold_reason": {"type": ["string", "null"]},
            "released_at": NULLABLE_TIME,
            "parties": {"type": "array", "description": "The owner first, then the partners: "
                        "each party's planned publications of the current revision.",
                        "items": obj({"organisation": _ORG, "owner": {"type": "boolean"},
                                      "publications": {"type": "array", "items": _ROW}},
                                     ("organisation", "owner", "publications"))},
            "allowed_actions": {"type": "array", "items": {"type": "string",
                                                           "enum": list(_ACTIONS)}},
        },
        ("document_id", "shared", "embargo_at", "held", "held_at", "held_by", "hold_reason",
         "released_at", "parties", "allowed_actions"),
    ),
    "JointReleaseTime": obj({"at": {**TIME, "description": "Naive times are read in the "
                                    "owning organisation's zone."}}, ("at",)),
    "JointReleasePlan": obj({"channels": {"type": "array", "items": ID_SCHEMA, "minItems": 1,
                                          "description": "Ids of the caller's organisation's "
                                                         "channels."}}, ("channels",)),
    "JointReleaseReason": obj({"reason": {"type": "string", "minLength": 1,
                                          "maxLength": 2000}}, ("reason",)),
    "JointReleaseResume": obj({"at": {**TIME, "description": "A new time; required when "
                                      "the embargo time has passed."}}),
}

_OK = {"200": {"description": "The joint release as it is now.",
               "content": json_content(ref("JointRelease"))}}
_CONFLICT = {"409": error("The text is not shared, not agreed, or the release is not in a "
                          "state that allows this.")}


def _post(operation_id, summary, body, description):
    return {"parameters": [DOCUMENT_ID], "post": {
        "operationId": operation_id, "tags": ["coalition"], "summary": summary,
        "description": description,
        "requestBody": {"required": True, "content": json_content(ref(body))},
        "responses": {**_OK, **AUTH, **NOT_FOUND, **BODY_ERRORS, **_CONFLICT}}}


PATHS = {
    "/documents/{document_id}/release": {
        "parameters": [DOCUMENT_ID],
        "get": {"operationId": "getJointRelease", "tags": ["coalition"],
                "summary": "The joint release of a shared text: the embargo time, any hold, "
                           "and every party's plan (organisation, channels, states).",
                "responses": {**_OK, **AUTH, **NOT_FOUND}},
        "put": {"operationId": "setJointReleaseTime", "tags": ["coalition"],
                "summary": "Set or move the coordinated embargo time (the owning "
                           "organisation's editors and approvers; the text must be agreed). "
                           "Every party's waiting publications move with it.",
                "requestBody": {"required": True,
                                "content": json_content(ref("JointReleaseTime"))},
                "responses": {**_OK, **AUTH, **NOT_FOUND, **BODY_ERRORS, **_CONFLICT}},
    },
    "/documents/{document_id}/release/plan": _post(
        "planJointRelease", "Plan the caller's organisation's own channels for the release "
        "(replaces its earlier plan).", "JointReleasePlan",
        "For each party's editors, approvers and admins; channels must be the caller's "
        "organisation's and publish the kind (422 otherwise)."),
    "/documents/{document_id}/release/hold": _post(
        "holdJointRelease", "Hold every party's pending publications at once, with a reason.",
        "JointReleaseReason", "For any party's approver of the kind; everyone involved is "
        "told."),
    "/documents/{document_id}/release/release": _post(
        "releaseJointRelease", "Release a hold: the held publications wait for the embargo "
        "time again (or a new one).", "JointReleaseResume",
        "For the owning organisation's approver only; 422 when the time has passed and no "
        "new one is given."),
    "/documents/{document_id}/approval/withdraw": _post(
        "withdrawApproval", "Take back the caller's organisation's approval of the current "
        "revision, with a reason: every party's pending publications are held and the text "
        "goes back to review.", "JointReleaseReason",
        "For an approver of the kind in an organisation that approved the current revision."),
}
