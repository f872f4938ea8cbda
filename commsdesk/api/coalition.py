"""Shares, signatories and the decision trail in the API: thin over commsdesk.coalition and
commsdesk.trail. PATHS and SCHEMAS are merged into the OpenAPI document by openapi.py."""
from flask import g, jsonify
from flask_babel import gettext as _

from .. import coalition, trail
from ..access import get_document
from ..errors import ValidationError
from . import ID, bp, json_body
from . import iso as _iso
from .schema import AUTH, BODY_ERRORS, DOCUMENT_ID, NOT_FOUND, path_id
from .schema import ID as _ID
from .schema import NULLABLE_TIME as _NULLABLE_TIME
from .schema import TIME as _TIME
from .schema import error as _error
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def _org(org):
    return {"id": org.id, "name": org.name, "slug": org.slug}


def share_json(row):
    return {"organisation": _org(row.organisation), "created_at": _iso(row.created_at)}


def signatory_json(row):
    return {"id": row.id, "position": row.position, "name": row.name, "title": row.title,
            "organisation": _org(row.organisation)}


def _string(data, key):
    value = data.get(key)
    if value is not None and not isinstance(value, str):
        raise ValidationError(_("%(name)s must be text.", name=key), field=key)
    return value


def _position(data):
    value = data.get("position")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(_("position must be a whole number."), field="position")
    return value


# --- shares ------------------------------------------------------------------------------

@bp.get(f"/documents/<{ID}:document_id>/shares")
def list_shares(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[share_json(s) for s in coalition.shares(doc)])


@bp.post(f"/documents/<{ID}:document_id>/shares")
def create_share(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    slug = _string(data, "organisation")
    row = coalition.share(g.api_user, doc, slug)
    return jsonify(share_json(row)), 201


@bp.delete(f"/documents/<{ID}:document_id>/shares/<string(maxlength=64):org_slug>")
def delete_share(document_id, org_slug):
    doc = get_document(g.api_user, document_id)
    coalition.unshare(g.api_user, doc, org_slug)
    return "", 204


# --- signatories -------------------------------------------------------------------------

@bp.get(f"/documents/<{ID}:document_id>/signatories")
def list_signatories(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[signatory_json(s) for s in coalition.signatories(doc)])


@bp.post(f"/documents/<{ID}:document_id>/signatories")
def create_signatory(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    # Only name, title and position are read: the organisation is always the caller's.
    row = coalition.add_signatory(g.api_user, doc, _string(data, "name"),
                                  _string(data, "title") or "", position=_position(data))
    return jsonify(signatory_json(row)), 201


@bp.patch(f"/documents/<{ID}:document_id>/signatories/<{ID}:signatory_id>")
def update_signatory(document_id, signatory_id):
    doc = get_document(g.api_user, document_id)
    row = coalition.get_signatory(g.api_user, doc, signatory_id)
    data = json_body()
    coalition.update_signatory(g.api_user, doc, row, name=_string(data, "name"),
                               title=_string(data, "title"), position=_position(data))
    return jsonify(signatory_json(row))


@bp.delete(f"/documents/<{ID}:document_id>/signatories/<{ID}:signatory_id>")
def delete_signatory(document_id, signatory_id):
    doc = get_document(g.api_user, document_id)
    row = coalition.get_signatory(g.api_user, doc, signatory_id)
    coalition.remove_signatory(g.api_user, doc, row)
    return "", 204


# --- decision trail ----------------------------------------------------------------------

@bp.get(f"/documents/<{ID}:document_id>/trail")
def get_trail(document_id):
    _doc, data = trail.export_trail(g.api_user, document_id, "json")
    return jsonify(data)


# --- OpenAPI -----------------------------------------------------------------------------

_TEXT = {"type": "string", "maxLength": coalition.MAX_NAME}
_PERSON = {"anyOf": [_ref("Person"), {"type": "null"}]}
_READ = {**AUTH, **NOT_FOUND}
_DOC = [DOCUMENT_ID]
_SIGNATORY_ID = path_id("signatory_id", "A signatory of the document.")
_ORG_SLUG = {"name": "org_slug", "in": "path", "required": True,
             "schema": {"type": "string", "pattern": "^[a-z0-9-]+$", "maxLength": 64},
             "description": "The slug of an organisation the document is shared with."}
_CONFLICT = _error("The document was published, withdrawn or archived: reopen it before "
                   "changing its signatories.")

SCHEMAS = {
    "OrganisationRef": _object(
        {"id": _ID, "name": {"type": "string"}, "slug": {"type": "string"}},
        ("id", "name", "slug")),
    "Share": _object(
        {"organisation": _ref("OrganisationRef"), "created_at": _TIME},
        ("organisation", "created_at")),
    "ShareList": _object({"items": {"type": "array", "items": _ref("Share"),
                                    "description": "In the order they were shared."}},
                         ("items",)),
    "ShareCreate": _object(
        {"organisation": {"type": "string", "description": "The partner organisation's slug."}},
        ("organisation",), extra=True,
        description="Any other property is ignored."),
    "Signatory": _object(
        {"id": _ID, "position": {"type": "integer", "minimum": 1,
                                 "description": "1 signs first."},
         "name": {"type": "string"}, "title": {"type": "string"},
         "organisation": _ref("OrganisationRef")},
        ("id", "position", "name", "title", "organisation")),
    "SignatoryList": _object({"items": {"type": "array", "items": _ref("Signatory"),
                                        "description": "In the agreed order."}}, ("items",)),
    "SignatoryCreate": _object(
        {"name": {**_TEXT, "minLength": 1}, "title": _TEXT,
         "position": {"type": "integer", "description": "Owning organisation's editors "
                                                        "only (403 for others)."}},
        ("name",), extra=True,
        description="The signatory belongs to the caller's organisation; any other property "
                    "(organisation_id, document_id, ...) is ignored."),
    "SignatoryUpdate": _object(
        {"name": {**_TEXT, "minLength": 1}, "title": _TEXT,
         "position": {"type": "integer", "description": "Owning organisation's editors "
                                                        "only (403 for others); the others "
                                                        "move to make room."}},
        extra=True,
        description="name and title only of the caller's own organisation's signatories "
                    "(403 otherwise). Any other property is ignored."),
    "TrailPublication": _object(
        {"channel": _object({"id": _ID, "name": {"type": "string"}, "type": {"type": "string"}},
                            ("id", "name", "type")),
         "sent_at": _TIME,
         "url": {"type": ["string", "null"]},
         "revision": _object({"id": _ID, "number": _ID}, ("id", "number")),
         "content_hash": {"type": "string", "description": "SHA-256 of the revision that "
                                                           "went out."},
         "embargo_until": _NULLABLE_TIME,
         "withdrawn_at": _NULLABLE_TIME},
        ("channel", "sent_at", "url", "revision", "content_hash", "embargo_until",
         "withdrawn_at"),
        description="A publication that went out, in the decision trail.",
    ),
    "TrailApproval": _object(
        {"organisation": _ref("OrganisationRef"), "user": _PERSON,
         "role": {"type": "string"},
         "revision": _object({"id": _ID, "number": {"type": "integer"}}, ("id", "number")),
         "content_hash": {"type": "string", "description": "SHA-256 of the approved content."},
         "approved_at": _TIME,
         "current": {"type": "boolean", "description": "Whether it approves the current "
                                                       "revision (false: stale)."},
         "stale_at": _NULLABLE_TIME},
        ("organisation", "user", "role", "revision", "content_hash", "approved_at", "current",
         "stale_at")),
    "DecisionTrail": _object(
        {
            "document": _object(
                {"id": _ID, "title": {"type": "string"}, "kind": {"type": "string"},
                 "state": {"type": "string"}, "organisation": _ref("OrganisationRef"),
                 "owner": _PERSON, "created_at": _TIME},
                ("id", "title", "kind", "state", "organisation", "owner", "created_at")),
            "final_text": _object(
                {"revision": _object(
                    {"id": _ID, "number": {"type": "integer"},
                     "content_hash": {"type": "string"}, "created_at": _TIME,
                     "author": _PERSON},
                    ("id", "number", "content_hash", "created_at", "author")),
                 "content": _ref("Content"),
                 "lead_html": {"type": "string", "description": "Sanitised HTML."},
                 "body_html": {"type": "string", "description": "Sanitised HTML."},
                 "fields": {"type": "array", "items": _object(
                     {"name": {"type": "string"}, "label": {"type": "string"},
                      "value": {"type": ["string", "integer"]}}, ("name", "label", "value"))},
                 "variants": {"type": "array", "items": _object(
                     {"platform": {"type": "string"}, "text": {"type": "string"}},
                     ("platform", "text"))}},
                ("revision", "content", "lead_html", "body_html", "fields", "variants")),
            "agreed": {"type": "boolean", "description": "Every required organisation "
                                                         "approved the current revision."},
            "required_organisations": {"type": "array", "items": _ref("OrganisationRef"),
                                       "description": "The owner first, then partners."},
            "approvals": {"type": "array", "items": _ref("TrailApproval"),
                          "description": "Every approval of any revision, oldest first."},
            "signatories": {"type": "array", "items": _ref("Signatory"),
                            "description": "In the agreed order."},
            "shares": {"type": "array", "items": _object(
                {"organisation": _ref("OrganisationRef"), "shared_at": _TIME,
                 "shared_by": _PERSON}, ("organisation", "shared_at", "shared_by"))},
            "state_history": {"type": "array", "items": _object(
                {"action": {"type": "string"}, "at": _TIME, "actor": _PERSON,
                 "before": {"type": ["string", "null"]}, "after": {"type": ["string", "null"]},
                 "revision": {"type": ["integer", "null"]},
                 "reason": {"type": ["string", "null"]},
                 "message": {"type": ["string", "null"]}},
                ("action", "at", "actor", "before", "after", "revision"))},
            "publications": {"type": "array", "items": _ref("TrailPublication"),
                             "description": "Where and when it went out: every sent "
                                            "publication, oldest first."},
            "submissions": {"type": "array", "items": _ref("TrailSubmission"),
                            "description": "Offers to newspapers, oldest first."},
            "generated_at": _TIME,
            "generated_by": _ref("Person"),
        },
        ("document", "final_text", "agreed", "required_organisations", "approvals",
         "signatories", "shares", "state_history", "publications", "generated_at",
         "generated_by"),
        description="The decision trail, for the archive and public-records requests.",
    ),
}

PATHS = {
    "/documents/{document_id}/shares": {
        "parameters": _DOC,
        "get": {
            "operationId": "listShares", "tags": ["coalition"],
            "summary": "The organisations the document is shared with.",
            "responses": {"200": {"description": "The shares.",
                                  "content": _json(_ref("ShareList"))}, **_READ},
        },
        "post": {
            "operationId": "shareDocument", "tags": ["coalition"],
            "summary": "Share the document with a partner organisation (owning "
                       "organisation's admins, editors and approvers).",
            "description": "The partner must then approve too: an approved document goes "
                           "back to review. Sharing with the own organisation or twice is "
                           "422.",
            "requestBody": {"required": True, "content": _json(_ref("ShareCreate"))},
            "responses": {"201": {"description": "Shared.", "content": _json(_ref("Share"))},
                          **_READ, **BODY_ERRORS},
        },
    },
    "/documents/{document_id}/shares/{org_slug}": {
        "parameters": [*_DOC, _ORG_SLUG],
        "delete": {
            "operationId": "unshareDocument", "tags": ["coalition"],
            "summary": "Stop sharing: the partner loses access at once.",
            "responses": {"204": {"description": "No longer shared."}, **_READ},
        },
    },
    "/documents/{document_id}/signatories": {
        "parameters": _DOC,
        "get": {
            "operationId": "listSignatories", "tags": ["coalition"],
            "summary": "The signatories in the agreed order.",
            "responses": {"200": {"description": "The signatories.",
                                  "content": _json(_ref("SignatoryList"))}, **_READ},
        },
        "post": {
            "operationId": "addSignatory", "tags": ["coalition"],
            "summary": "Add a signatory for the caller's own organisation.",
            "description": "Signatories are document metadata: no revision is made and "
                           "approvals stay.",
            "requestBody": {"required": True, "content": _json(_ref("SignatoryCreate"))},
            "responses": {"201": {"description": "Added.",
                                  "content": _json(_ref("Signatory"))},
                          **_READ, **BODY_ERRORS, "409": _CONFLICT},
        },
    },
    "/documents/{document_id}/signatories/{signatory_id}": {
        "parameters": [*_DOC, _SIGNATORY_ID],
        "patch": {
            "operationId": "updateSignatory", "tags": ["coalition"],
            "summary": "Change a signatory's name or title, or its position.",
            "requestBody": {"required": True, "content": _json(_ref("SignatoryUpdate"))},
            "responses": {"200": {"description": "The signatory as it is now.",
                                  "content": _json(_ref("Signatory"))},
                          **_READ, **BODY_ERRORS, "409": _CONFLICT},
        },
        "delete": {
            "operationId": "removeSignatory", "tags": ["coalition"],
            "summary": "Remove one of the caller's own organisation's signatories.",
            "responses": {"204": {"description": "Removed."}, **_READ, "409": _CONFLICT},
        },
    },
    "/documents/{document_id}/trail": {
        "parameters": _DOC,
        "get": {
            "operationId": "getDecisionTrail", "tags": ["coalition"],
            "summary": "The decision trail: final text, approvals with content hashes, "
                       "signatories, shares and state history. The export is audited.",
            "responses": {"200": {"description": "The decision trail.",
                                  "content": _json(_ref("DecisionTrail"))}, **_READ},
        },
    },
}
