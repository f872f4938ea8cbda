"""Notifications and preview links in the API: thin over commsdesk.notifications and
commsdesk.previews. PATHS and SCHEMAS are merged into the OpenAPI document."""
from flask import g, jsonify, request
from flask_babel import gettext as _

from .. import notifications, previews
from ..access import MAX_ID, get_document
from ..errors import ValidationError
from . import bp, json_body
from . import iso as _iso
from .documents import ID, int_arg
from .schema import ID as _ID
from .schema import NULLABLE_TIME as _NULLABLE_TIME
from .schema import TIME as _TIME
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref

DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_PAGE = 25, 100, 100_000


def notification_json(note, reader):
    doc = note.document
    return {
        "id": note.id,
        "event": note.event,
        "message": notifications.describe(note.event, doc.title if doc else "", note.actor,
                                          note.data, reader=reader),
        "document": {"id": doc.id, "title": doc.title} if doc else None,
        "actor": {"id": note.actor.id, "name": note.actor.name} if note.actor else None,
        "data": note.data or {},
        "created_at": _iso(note.created_at),
        "read_at": _iso(note.read_at),
    }


def link_json(link):
    return {
        "id": link.id, "label": link.label, "revision_id": link.revision_id,
        "allow_comments": link.allow_comments, "created_by_id": link.created_by_id,
        "created_at": _iso(link.created_at), "expires_at": _iso(link.expires_at),
        "revoked_at": _iso(link.revoked_at), "status": previews.status(link),
    }


@bp.get("/notifications")
def list_notifications():
    user = g.api_user
    unread = request.args.get("unread", "").strip().lower()
    if unread not in ("", "true", "false", "1", "0"):
        raise ValidationError(_("unread must be true or false."), field="unread")
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", DEFAULT_PER_PAGE, MAX_ID), MAX_PER_PAGE)
    items, total = notifications.inbox(user, page, per_page, unread in ("true", "1"))
    return jsonify(items=[notification_json(n, user) for n in items], total=total,
                   unread=notifications.unread_count(user), page=page, per_page=per_page)


@bp.post(f"/notifications/<{ID}:notification_id>/read")
def read_notification(notification_id):
    note = notifications.mark_read(g.api_user, notification_id)
    return jsonify(notification_json(note, g.api_user))


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
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.delete(f"/documents/<{ID}:document_id>/preview-links/<{ID}:link_id>")
def revoke_preview_link(document_id, link_id):
    doc = get_document(g.api_user, document_id)
    previews.revoke_link(g.api_user, doc, link_id)
    return "", 204


# --- OpenAPI ------------------------------------------------------------------------------

_PERSON = _object({"id": _ID, "name": {"type": "string"}}, ("id", "name"))
_AUTH = {"401": _ref("Unauthorized", "responses"), "403": _ref("Forbidden", "responses")}
_NOT_FOUND = {"404": _ref("NotFound", "responses")}
_BODY_ERRORS = {
    "400": {"description": "The body is not valid JSON.", "content": _json(_ref("Error"))},
    "413": {"description": "The body is too large.", "content": _json(_ref("Error"))},
    "415": {"description": "The body is not sent as application/json.",
            "content": _json(_ref("Error"))},
    "422": _ref("Unprocessable", "responses"),
}
_DOC = {"name": "document_id", "in": "path", "required": True, "schema": _ID,
        "description": "A document's id."}

SCHEMAS = {
    "Notification": _object(
        {
            "id": _ID,
            "event": {"type": "string", "enum": list(notifications.EVENTS)},
            "message": {"type": "string",
                        "description": "The notification as a sentence, in the request's "
                                       "language (plain text)."},
            "document": {"oneOf": [_object({"id": _ID, "title": {"type": "string"}},
                                           ("id", "title")), {"type": "null"}]},
            "actor": {"oneOf": [_PERSON, {"type": "null"}],
                      "description": "null for the system or a guest (see data.guest_name)."},
            "data": {"type": "object", "description": "Details of the event, e.g. message."},
            "created_at": _TIME,
            "read_at": _NULLABLE_TIME,
        },
        ("id", "event", "message", "document", "actor", "data", "created_at", "read_at"),
    ),
    "NotificationList": _object(
        {"items": {"type": "array", "items": _ref("Notification"), "description": "Newest first."},
         "total": {"type": "integer"}, "unread": {"type": "integer"},
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "unread", "page", "per_page"),
    ),
    "PreviewLink": _object(
        {"id": _ID, "label": {"type": "string"}, "revision_id": _ID,
         "allow_comments": {"type": "boolean"}, "created_by_id": _ID, "created_at": _TIME,
         "expires_at": _TIME, "revoked_at": _NULLABLE_TIME,
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
    "PreviewLinkCreate": {
        "type": "object", "required": ["label"], "additionalProperties": True,
        "properties": {
            "label": {"type": "string", "minLength": 1, "maxLength": previews.MAX_LABEL,
                      "description": "Who the link is for, e.g. the person's name."},
            "days": {"type": "integer", "minimum": 1, "maximum": previews.MAX_DAYS,
                     "default": previews.DEFAULT_DAYS},
            "allow_comments": {"type": "boolean", "default": True},
        },
    },
}

PATHS = {
    "/notifications": {
        "get": {
            "operationId": "listNotifications", "tags": ["notifications"],
            "summary": "The caller's own notifications, newest first.",
            "description": "Notifications about documents the caller can no longer see are "
                           "left out.",
            "parameters": [
                {"name": "unread", "in": "query", "required": False,
                 "schema": {"type": "string", "enum": ["true", "false", "1", "0"]},
                 "description": "Only unread ones."},
                {"name": "page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                 "description": "Page number."},
                {"name": "per_page", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE},
                 "description": f"At most {MAX_PER_PAGE}."},
            ],
            "responses": {
                "200": {"description": "A page of notifications.",
                        "content": _json(_ref("NotificationList"))},
                **_AUTH, "422": _ref("Unprocessable", "responses"),
            },
        },
    },
    "/notifications/{notification_id}/read": {
        "parameters": [{"name": "notification_id", "in": "path", "required": True,
                        "schema": _ID, "description": "One of the caller's notifications."}],
        "post": {
            "operationId": "readNotification", "tags": ["notifications"],
            "summary": "Mark one of the caller's notifications as read.",
            "responses": {
                "200": {"description": "The notification, read.",
                        "content": _json(_ref("Notification"))},
                **_AUTH, **_NOT_FOUND,
            },
        },
    },
    "/documents/{document_id}/preview-links": {
        "parameters": [_DOC],
        "get": {
            "operationId": "listPreviewLinks", "tags": ["preview links"],
            "summary": "The document's preview links (the owning organisation's editors, "
                       "approvers and admins).",
            "responses": {
                "200": {"description": "The links, without their secret.",
                        "content": _json(_ref("PreviewLinkList"))},
                **_AUTH, **_NOT_FOUND,
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
                **_AUTH, **_NOT_FOUND, **_BODY_ERRORS,
            },
        },
    },
    "/documents/{document_id}/preview-links/{link_id}": {
        "parameters": [_DOC, {"name": "link_id", "in": "path", "required": True,
                              "schema": _ID, "description": "A preview link of the document."}],
        "delete": {
            "operationId": "revokePreviewLink", "tags": ["preview links"],
            "summary": "Revoke a preview link at once (revoking twice is no error).",
            "responses": {"204": {"description": "Revoked."}, **_AUTH, **_NOT_FOUND},
        },
    },
}
