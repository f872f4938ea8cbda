"""Watch lists in the API: thin over commsdesk.monitoring.watch_lists. PATHS and SCHEMAS are
merged into the OpenAPI document by openapi.py."""
from flask import g, jsonify
from flask_babel import gettext as _

from ..errors import ValidationError
from ..models import WATCH_DELIVERY
from ..monitoring import watch_lists
from . import ID, bp, iso, json_body
from .schema import AUTH, BODY_ERRORS, NOT_FOUND, TIME, json_content, obj, path_id, ref
from .schema import ID as ID_SCHEMA

FIELDS = ("name", "terms", "delivery", "recipient_ids", "active")


def watch_list_json(watch_list, counts=None):
    return {"id": watch_list.id, "name": watch_list.name, "terms": list(watch_list.terms or ()),
            "delivery": watch_list.delivery, "active": watch_list.active,
            "recipients": [{"id": u.id, "name": u.name} for u in watch_list.recipients],
            "matches_last_7_days": (counts or {}).get(watch_list.id, 0),
            "created_at": iso(watch_list.created_at)}


def _save(watch_list, data):
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise ValidationError(_("Unknown field: %(field)s", field=unknown[0]),
                              field=unknown[0])
    current = {"name": watch_list.name, "terms": list(watch_list.terms or ()),
               "delivery": watch_list.delivery, "active": watch_list.active,
               "recipient_ids": [u.id for u in watch_list.recipients]} if watch_list else {
        "name": None, "terms": None, "delivery": "instant", "active": True,
        "recipient_ids": []}
    merged = {key: data[key] if key in data else current[key] for key in FIELDS}
    if not isinstance(merged["active"], bool):
        raise ValidationError(_("active must be true or false."), field="active")
    return watch_lists.save(g.api_user, watch_list, merged["name"], merged["terms"],
                            merged["delivery"], merged["recipient_ids"], merged["active"])


def _counts():
    return watch_lists.recent_counts(g.api_user.organisation_id)


@bp.get("/monitoring/watch-lists")
def list_watch_lists():
    rows = watch_lists.for_organisation(g.api_user)
    counts = _counts()
    return jsonify(items=[watch_list_json(wl, counts) for wl in rows])


@bp.post("/monitoring/watch-lists")
def create_watch_list():
    watch_lists.require_manage(g.api_user)
    watch_list = _save(None, json_body())
    return jsonify(watch_list_json(watch_list, _counts())), 201


@bp.get(f"/monitoring/watch-lists/<{ID}:watch_list_id>")
def get_watch_list(watch_list_id):
    watch_list = watch_lists.get_watch_list(g.api_user, watch_list_id)
    return jsonify(watch_list_json(watch_list, _counts()))


@bp.patch(f"/monitoring/watch-lists/<{ID}:watch_list_id>")
def update_watch_list(watch_list_id):
    watch_list = watch_lists.get_watch_list(g.api_user, watch_list_id)
    watch_lists.require_manage(g.api_user)
    return jsonify(watch_list_json(_save(watch_list, json_body()), _counts()))


@bp.delete(f"/monitoring/watch-lists/<{ID}:watch_list_id>")
def delete_watch_list(watch_list_id):
    watch_list = watch_lists.get_watch_list(g.api_user, watch_list_id)
    watch_lists.remove(g.api_user, watch_list)
    return "", 204


# --- OpenAPI -------------------------------------------------------------------------------

_TERMS = {"type": "array", "minItems": 1, "maxItems": watch_lists.MAX_TERMS,
          "items": {"type": "string"},
          "description": "Words (they also find their other forms: förskola finds förskolan) "
                         "and phrases in double quotes (exactly those words)."}
_INPUT = {
    "name": {"type": "string", "maxLength": watch_lists.MAX_NAME},
    "terms": _TERMS,
    "delivery": {"type": "string", "enum": list(WATCH_DELIVERY),
                 "description": "instant: inbox and email at once; digest: a daily email."},
    "recipient_ids": {"type": "array", "items": ID_SCHEMA,
                      "description": "Active users of the organisation."},
    "active": {"type": "boolean"},
}
SCHEMAS = {
    "WatchList": obj(
        {"id": ID_SCHEMA, "name": _INPUT["name"], "terms": {**_TERMS, "minItems": 0},
         "delivery": _INPUT["delivery"], "active": {"type": "boolean"},
         "recipients": {"type": "array", "items": ref("Person")},
         "matches_last_7_days": {"type": "integer", "minimum": 0}, "created_at": TIME},
        ("id", "name", "terms", "delivery", "active", "recipients", "matches_last_7_days",
         "created_at")),
    "WatchListList": obj({"items": {"type": "array", "items": ref("WatchList")}}, ("items",)),
    "WatchListInput": obj(_INPUT, description="To create: name and terms are required; to "
                                              "update, any subset."),
}

_WATCH_LIST_ID = path_id("watch_list_id", "A watch list's id.")
_MANAGERS = "For the organisation's editors and admins (403 for other roles)."
_TAGS = ["monitoring"]


def _answer(code, name, text):
    return {code: {"description": text, "content": json_content(ref(name))}}


_BODY = {"required": True, "content": json_content(ref("WatchListInput"))}
PATHS = {
    "/monitoring/watch-lists": {
        "get": {"operationId": "listWatchLists", "tags": _TAGS,
                "summary": "The organisation's watch lists.",
                "responses": {**_answer("200", "WatchListList", "The watch lists."), **AUTH}},
        "post": {"operationId": "createWatchList", "tags": _TAGS,
                 "summary": "Add a watch list (matched at once against the last 30 days of "
                            "items, without notifying).", "description": _MANAGERS,
                 "requestBody": _BODY,
                 "responses": {**_answer("201", "WatchList", "The new watch list."), **AUTH,
                               **BODY_ERRORS}},
    },
    "/monitoring/watch-lists/{watch_list_id}": {
        "parameters": [_WATCH_LIST_ID],
        "get": {"operationId": "getWatchList", "tags": _TAGS, "summary": "One watch list.",
                "responses": {**_answer("200", "WatchList", "The watch list."), **AUTH,
                              **NOT_FOUND}},
        "patch": {"operationId": "updateWatchList", "tags": _TAGS,
                  "summary": "Change a watch list.", "description": _MANAGERS,
                  "requestBody": _BODY,
                  "responses": {**_answer("200", "WatchList", "The watch list as it is now."),
                                **AUTH, **NOT_FOUND, **BODY_ERRORS}},
        "delete": {"operationId": "deleteWatchList", "tags": _TAGS,
                   "summary": "Remove a watch list and its matches.", "description": _MANAGERS,
                   "responses": {"204": {"description": "Removed."}, **AUTH, **NOT_FOUND}},
    },
}
