"""Notifications in the API: thin over commsdesk.notifications."""
from flask import g, jsonify, request
from flask_babel import gettext as _

from .. import notifications
from ..access import MAX_ID
from ..errors import ValidationError
from . import ID, bp
from . import iso as _iso
from .documents import int_arg
from .schema import (
    AUTH,
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    UNPROCESSABLE,
    page_params,
    param,
    path_id,
)
from .schema import ID as _ID
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def notification_json(note, reader):
    """A Notification, its message in the reader's terms."""
    doc = note.document
    return {
        "id": note.id,
        "event": note.event,
        "message": notifications.describe(note.event, notifications.title_of(note),
                                          note.actor, note.data, reader=reader),
        "document": {"id": doc.id, "title": doc.title} if doc else None,
        "actor": {"id": note.actor.id, "name": note.actor.name} if note.actor else None,
        "data": note.data or {},
        "created_at": _iso(note.created_at),
        "read_at": _iso(note.read_at),
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


# --- OpenAPI ------------------------------------------------------------------------------

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
            "actor": {"oneOf": [_ref("Person"), {"type": "null"}],
                      "description": "null for the system or a guest (see data.guest_name)."},
            "data": {"type": "object", "description": "Details of the event, e.g. message."},
            "created_at": TIME,
            "read_at": NULLABLE_TIME,
        },
        ("id", "event", "message", "document", "actor", "data", "created_at", "read_at"),
    ),
    "NotificationList": _object(
        {"items": {"type": "array", "items": _ref("Notification"), "description": "Newest first."},
         "total": {"type": "integer"}, "unread": {"type": "integer"},
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "unread", "page", "per_page"),
    ),
}

PATHS = {
    "/notifications": {
        "get": {
            "operationId": "listNotifications", "tags": ["notifications"],
            "summary": "The caller's own notifications, newest first.",
            "description": "Notifications about documents the caller can no longer see are "
                           "left out.",
            "parameters": [
                param("unread", "query", {"type": "string", "enum": ["true", "false", "1", "0"]},
                      "Only unread ones."),
                *page_params("Notifications"),
            ],
            "responses": {
                "200": {"description": "A page of notifications.",
                        "content": _json(_ref("NotificationList"))},
                **AUTH, **UNPROCESSABLE,
            },
        },
    },
    "/notifications/{notification_id}/read": {
        "parameters": [path_id("notification_id", "One of the caller's notifications.")],
        "post": {
            "operationId": "readNotification", "tags": ["notifications"],
            "summary": "Mark one of the caller's notifications as read.",
            "responses": {
                "200": {"description": "The notification, read.",
                        "content": _json(_ref("Notification"))},
                **AUTH, **NOT_FOUND,
            },
        },
    },
}
