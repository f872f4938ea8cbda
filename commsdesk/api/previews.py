"""Preview links in the API: thin over commsdesk.previews."""
from flask import g, jsonify
from flask_babel import gettext as _

from .. import previews
from ..access import get_document
from ..errors import ValidationError
from . import ID, bp, json_body
from . import iso as _iso
from .schema import AUTH, BODY_ERRORS, DOCUMENT_ID, NOT_FOUND, NULLABLE_TIME, TIME, path_id
from .schema import ID as _ID
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def link_json(link):
    """A PreviewLink, without its secret."""
    return {
        "id": link.id, "label": link.label, "revision_id": link.revision_id,
        "allow_comments": link.allow_comments, "created_by_id": link.created_by_id,
        "created_at": _iso(link.created_at), "expires_at": _iso(link.expires_at),
        "revoked_at": _iso(link.revoked_at), "status": previews.status(link),
    }


@bp.get(f"/documents/<{ID}:document_id>/preview-links")
def list_preview_links(document_id):
    doc = get_document(g.api_user, document_id)
    return jsonify(items=[link_json(link) for link in previews.links(g.api_user, doc)])


@bp.post(f"/documents/<{ID}:document_id>/preview-links")
def create_preview_link(document_id):
    doc = get_document(g.api_user, document_id)
    data = json_body()
    allow = data.get("allow_comments", True)
    if not isinstance(allow, bool):
        raise ValidationError(_("allow_comments must be true or false."), field="allow_comments")
    days = data.get("days", previews.DEFAULT_DAYS)
    if not isinstance(days, int) or isinstance(days, bool):
        raise ValidationError(_("The link must last between 1 and %(n)d days.",
                                n=previews.MAX_DAYS), field="days")
    link, raw = previews.create_link(g.api_user, doc, data.get("label"), days, allow)
    response = jsonify({**link_json(link), "url": previews.url_for_token(raw)})
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"  # the answer holds the secret
    return response


@bp.delete(f"/documents/<{ID}:document_id>/preview-links/<{ID}:link_id>")
def revoke_preview_link(document_id, link_id):
    doc = get_document(g.api_user, document_id)
    previews.revoke_link(g.api_user, doc, link_id)
    return "", 204


# --- OpenAPI ------------------------------------------------------------------------------

SCHEMAS = {
    "PreviewLink": _object(
        {"id": _ID, "label": {"type": "string"}, "revision_id": _ID,
         "allow_comments": {"type": "boolean"}, "created_by_id": _ID, "created_at": TIME,
         "expires_at": TIME, "revoked_at": NULLABLE_TIME,
         "status": {"type": "string", "enum": ["active", "expired", "revoked"]},
         "url": {"type": "string",
                 "description": "Only when created: the secret link, shown this once."}},
        ("id", "label", "revision_id", "allow_comments", "created_by_id", "created_at",
         "expires_at", "revoked_at", "status"),
    ),
    "PreviewLinkList": _object(
        {"items": {"type": "array", "items": _ref("PreviewLink"), "description": "Newest first."}},
        ("items",),
    ),
    "PreviewLinkCreate": _object(
        {
            "label": {"type": "string", "minLength": 1, "maxLength": previews.MAX_LABEL,
                      "description": "Who the link is for, e.g. the person's name."},
            "days": {"type": "integer", "minimum": 1, "maximum": previews.MAX_DAYS,
                     "default": previews.DEFAULT_DAYS},
            "allow_comments": {"type": "boolean", "default": True},
        },
        ("label",), extra=True,
    ),
}

PATHS = {
    "/documents/{document_id}/preview-links": {
        "parameters": [DOCUMENT_ID],
        "get": {
            "operationId": "listPreviewLinks", "tags": ["preview links"],
            "summary": "The document's preview links (the owning organisation's editors, "
                       "approvers and admins).",
            "responses": {
                "200": {"description": "The links, without their secret.",
                        "content": _json(_ref("PreviewLinkList"))},
                **AUTH, **NOT_FOUND,
            },
        },
        "post": {
            "operationId": "createPreviewLink", "tags": ["preview links"],
            "summary": "Create a secret, expiring link to the current revision.",
            "description": "The answer's `url` holds the secret; it is not stored and is "
                           "shown only in this answer.",
            "requestBody": {"required": True, "content": _json(_ref("PreviewLinkCreate"))},
            "responses": {
                "201": {"description": "Created; `url` is the link to send.",
                        "content": _json(_ref("PreviewLink"))},
                **AUTH, **NOT_FOUND, **BODY_ERRORS,
            },
        },
    },
    "/documents/{document_id}/preview-links/{link_id}": {
        "parameters": [DOCUMENT_ID, path_id("link_id", "A preview link of the document.")],
        "delete": {
            "operationId": "revokePreviewLink", "tags": ["preview links"],
            "summary": "Revoke a preview link at once (revoking twice is no error).",
            "responses": {"204": {"description": "Revoked."}, **AUTH, **NOT_FOUND},
        },
    },
}
