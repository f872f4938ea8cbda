"""Monitoring sources in the API: thin over commsdesk.monitoring.sources. Everyone in the
organisation reads them with their health; editors and admins add, change and remove them.
PATHS and SCHEMAS are merged into the OpenAPI document by openapi.py."""
from flask import g, jsonify

from ..models import CHECK_OUTCOMES, SOURCE_KINDS
from ..monitoring import sources
from . import ID, bp, iso, json_body
from .schema import (
    AUTH,
    BODY_ERRORS,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    json_content,
    obj,
    path_id,
    ref,
)
from .schema import ID as ID_SCHEMA

EDITABLE = ("name", "url", "interval_minutes", "active")


def check_json(check):
    return {"at": iso(check.at), "outcome": check.outcome, "status": check.status,
            "new_items": check.new_items, "duration_ms": check.duration_ms,
            "error": check.error}


def source_json(source, with_checks=False):
    """A source with its health (and its latest checks, if asked)."""
    health = sources.health(source)
    data = {
        "id": source.id, "kind": source.kind, "name": source.name, "url": source.url,
        "site_url": source.site_url or None, "interval_minutes": source.interval_minutes,
        "active": source.active, "created_at": iso(source.created_at),
        "health": {"status": health.status, "success_ratio": health.ratio,
                   "last_error": health.last_error, "last_polled_at": iso(source.last_polled_at),
                   "last_success_at": iso(source.last_success_at),
                   "next_poll_at": iso(source.next_poll_at) if source.active else None,
                   "failures": source.failures or 0, "new_items": health.new_items},
    }
    if with_checks:
        data["checks"] = [check_json(c) for c in health.checks]
    return data


@bp.get("/monitoring/sources")
def list_sources():
    # Every API user belongs to an organisation (api.authenticate), and may monitor it.
    rows = sources.for_organisation(g.api_user.organisation_id)
    return jsonify(items=[source_json(s) for s in rows])


@bp.post("/monitoring/sources")
def create_source():
    sources.require_manage(g.api_user)
    data = json_body()
    source = sources.add(g.api_user, data.get("url"), name=data.get("name"),
                         kind=data.get("kind", "feed"),
                         interval_minutes=data.get("interval_minutes", 30))
    body = source_json(source, with_checks=True)
    body["discovered_on"] = source.resolved.page or None
    return jsonify(body), 201


@bp.get(f"/monitoring/sources/<{ID}:source_id>")
def get_source(source_id):
    source = sources.get_source(g.api_user, source_id)
    return jsonify(source_json(source, with_checks=True))


@bp.patch(f"/monitoring/sources/<{ID}:source_id>")
def update_source(source_id):
    source = sources.get_source(g.api_user, source_id)
    sources.require_manage(g.api_user)
    data = json_body()
    changes = {key: data[key] for key in EDITABLE if key in data}
    sources.update(g.api_user, source, changes)
    return jsonify(source_json(source, with_checks=True))


@bp.delete(f"/monitoring/sources/<{ID}:source_id>")
def delete_source(source_id):
    source = sources.get_source(g.api_user, source_id)
    sources.remove(g.api_user, source)
    return "", 204


# --- OpenAPI -------------------------------------------------------------------------------

_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}
_INTERVAL = {"type": "integer", "minimum": sources.MIN_INTERVAL, "maximum": sources.MAX_INTERVAL,
             "description": "Minutes between checks."}
_CHECK = obj(
    {"at": TIME, "outcome": {"type": "string", "enum": list(CHECK_OUTCOMES)},
     "status": {"type": ["integer", "null"], "description": "The HTTP status, if any."},
     "new_items": {"type": "integer"}, "duration_ms": {"type": "integer"},
     "error": {**_NULLABLE_TEXT, "description": "What went wrong, in plain words."}},
    ("at", "outcome", "status", "new_items", "duration_ms", "error"))
_HEALTH = obj(
    {"status": {"type": "string", "enum": ["new", "ok", "failing", "paused"]},
     "success_ratio": {"type": ["number", "null"], "minimum": 0, "maximum": 1,
                       "description": f"Share of successful checks among the last "
                                      f"{sources.HEALTH_WINDOW}; null before the first."},
     "last_error": {**_NULLABLE_TEXT, "description": "The last error in plain words; null "
                                                     "after a success."},
     "last_polled_at": NULLABLE_TIME, "last_success_at": NULLABLE_TIME,
     "next_poll_at": NULLABLE_TIME,
     "failures": {"type": "integer", "description": "Failed checks in a row."},
     "new_items": {"type": "integer", "description": "New items in the last check."}},
    ("status", "success_ratio", "last_error", "last_polled_at", "last_success_at",
     "next_poll_at", "failures", "new_items"))
_SOURCE = {
    "id": ID_SCHEMA,
    "kind": {"type": "string", "enum": list(SOURCE_KINDS),
             "description": "feed: RSS or Atom; documents_page: a page listing meeting "
                            "documents as PDF links."},
    "name": _TEXT, "url": {"type": "string", "description": "What is fetched."},
    "site_url": _NULLABLE_TEXT, "interval_minutes": _INTERVAL,
    "active": {"type": "boolean", "description": "false: paused."},
    "created_at": TIME, "health": _HEALTH,
}
_SOURCE_REQUIRED = ("id", "kind", "name", "url", "site_url", "interval_minutes", "active",
                    "created_at", "health")
SCHEMAS = {
    "MonitoringSource": obj(
        {**_SOURCE, "checks": {"type": "array", "items": _CHECK,
                               "description": "The latest checks, newest first."},
         "discovered_on": {**_NULLABLE_TEXT,
                           "description": "On creation: the web page the feed was found "
                                          "on, when the URL given was a page."}},
        _SOURCE_REQUIRED),
    "MonitoringSourceList": obj({"items": {"type": "array", "items": ref("MonitoringSource"),
                                           "description": "By name."}}, ("items",)),
    "MonitoringSourceInput": obj(
        {"url": {"type": "string", "maxLength": sources.MAX_URL,
                 "description": "A feed, or a web page naming one in <link rel=alternate> "
                                "(its first feed is followed)."},
         "name": {"type": ["string", "null"], "maxLength": sources.MAX_NAME,
                  "description": "Default: the feed's title."},
         "kind": {"type": "string", "enum": list(SOURCE_KINDS), "default": "feed"},
         "interval_minutes": {**_INTERVAL, "default": 30}},
        ("url",)),
    "MonitoringSourceChange": obj(
        {"name": {"type": "string", "maxLength": sources.MAX_NAME},
         "url": {"type": "string", "maxLength": sources.MAX_URL},
         "interval_minutes": _INTERVAL,
         "active": {"type": "boolean", "description": "false pauses, true resumes."}},
        description="Any subset of the fields."),
}

_SOURCE_ID = path_id("source_id", "A source's id.")
_MANAGERS = "Reading: everyone in the organisation. Changing: its editors and admins (403)."


def _answer(code, name, text):
    return {code: {"description": text, "content": json_content(ref(name))}}


def _body(name):
    return {"required": True, "content": json_content(ref(name))}


PATHS = {
    "/monitoring/sources": {
        "get": {"operationId": "listMonitoringSources", "tags": ["monitoring"],
                "summary": "The sources the organisation follows, with their health.",
                "responses": {**_answer("200", "MonitoringSourceList", "The sources."),
                              **AUTH}},
        "post": {"operationId": "createMonitoringSource", "tags": ["monitoring"],
                 "summary": "Follow a feed (found from a page's URL too) or a page of "
                            "meeting documents.",
                 "description": _MANAGERS + " 422 when the address cannot be followed, "
                                "with the reason in plain words.",
                 "requestBody": _body("MonitoringSourceInput"),
                 "responses": {**_answer("201", "MonitoringSource", "The new source."),
                               **AUTH, **BODY_ERRORS}},
    },
    "/monitoring/sources/{source_id}": {
        "parameters": [_SOURCE_ID],
        "get": {"operationId": "getMonitoringSource", "tags": ["monitoring"],
                "summary": "A source, its health and its latest checks.",
                "responses": {**_answer("200", "MonitoringSource", "The source."), **AUTH,
                              **NOT_FOUND}},
        "patch": {"operationId": "updateMonitoringSource", "tags": ["monitoring"],
                  "summary": "Rename, re-address, re-time, pause or resume a source.",
                  "description": _MANAGERS, "requestBody": _body("MonitoringSourceChange"),
                  "responses": {**_answer("200", "MonitoringSource", "The source as it is "
                                                                     "now."),
                                **AUTH, **NOT_FOUND, **BODY_ERRORS}},
        "delete": {"operationId": "deleteMonitoringSource", "tags": ["monitoring"],
                   "summary": "Stop following a source (its items stay).",
                   "description": _MANAGERS,
                   "responses": {"204": {"description": "Removed."}, **AUTH, **NOT_FOUND}},
    },
}
