"""The editorial calendar in the API: thin over scheduling, the same entries as the pages."""
from flask import g, jsonify, request, url_for

from .. import scheduling
from ..times import organisation_zone
from . import bp
from . import iso as _iso
from .schema import AUTH, UNPROCESSABLE, param
from .schema import ID as _ID
from .schema import TIME as _TIME
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def entry_json(user, entry, zone):
    """An entry: what, when (UTC and local), on which channels, and where to look."""
    doc = entry.document
    return {
        "uid": entry.uid,
        "type": entry.type,
        "at": _iso(entry.at),
        "local_at": entry.at.astimezone(zone).isoformat(),
        "title": entry.title,
        "kind": entry.kind,
        "state": entry.state,
        "state_label": str(entry.state_label),
        "channels": [{"id": c.id, "name": c.name, "type": c.type} for c in entry.channels],
        "url": entry.url,
        "reviewers": list(entry.reviewers),
        "document": {"id": doc.id, "title": doc.title, "kind": doc.kind, "state": doc.state,
                     "organisation_id": doc.organisation_id},
        "can_reschedule": scheduling.can_reschedule(user, entry),
        "link": url_for("documents.show", document_id=doc.id),
    }


@bp.get("/calendar")
def list_calendar():
    user = g.api_user
    zone = organisation_zone(user)
    args = request.args
    start, end = scheduling.api_range(args.get("from"), args.get("to"), zone)
    filters = scheduling.parse_filters(args.getlist("type"), args.getlist("kind"),
                                       args.getlist("channel"))
    found = scheduling.entries(user, start, end, filters)
    return jsonify(items=[entry_json(user, e, zone) for e in found], total=len(found),
                   time_zone=str(zone), **{"from": _iso(start), "to": _iso(end)})


# --- OpenAPI ------------------------------------------------------------------------------

_STRING = {"type": "string"}
_LIST = {"type": "array", "items": _STRING}

SCHEMAS = {
    "CalendarEntry": _object(
        {
            "uid": {"type": "string", "description": "Stable for the same item, also when it "
                                                    "is rescheduled (the iCal feed's UID)."},
            "type": {"type": "string", "enum": list(scheduling.TYPES),
                     "description": "scheduled: due to go out; published: went out on a "
                                    "channel; deadline: the document's deadline; review: "
                                    "an open review's due time."},
            "at": {**_TIME, "description": "When, in UTC."},
            "local_at": {**_TIME, "description": "The same moment in the organisation's "
                                                 "zone, with its offset."},
            "title": _STRING,
            "kind": _STRING,
            "state": {"type": "string", "description": "scheduled: queued, sending or held; "
                                                       "published: sent or withdrawn; "
                                                       "otherwise the document's state."},
            "state_label": {"type": "string", "description": "The state in words, in the "
                                                             "request's language."},
            "channels": {"type": "array", "items": _object(
                {"id": _ID, "name": _STRING, "type": _STRING}, ("id", "name", "type"))},
            "url": {"type": ["string", "null"],
                    "description": "published: where it went out."},
            "reviewers": {**_LIST, "description": "review: the names of those asked."},
            "document": _object(
                {"id": _ID, "title": _STRING, "kind": _STRING, "state": _STRING,
                 "organisation_id": _ID},
                ("id", "title", "kind", "state", "organisation_id")),
            "can_reschedule": {"type": "boolean", "description": "Whether the caller may "
                               "move it (POST /documents/{id}/transitions, reschedule)."},
            "link": {"type": "string", "description": "The path of the document's web page."},
        },
        ("uid", "type", "at", "local_at", "title", "kind", "state", "state_label", "channels",
         "url", "reviewers", "document", "can_reschedule", "link"),
    ),
    "Calendar": _object(
        {"items": {"type": "array", "items": _ref("CalendarEntry"),
                   "description": "In time order."},
         "total": {"type": "integer"},
         "from": _TIME, "to": _TIME,
         "time_zone": {"type": "string", "description": "The organisation's zone."}},
        ("items", "total", "from", "to", "time_zone"),
    ),
}

_FILTER = {"type": "string"}
PATHS = {
    "/calendar": {
        "get": {
            "operationId": "listCalendar", "tags": ["calendar"],
            "summary": "The editorial calendar: scheduled and published items per channel, "
                       "deadlines and review due times, over the documents the caller may "
                       "see (also those shared with the caller's organisation).",
            "parameters": [
                param("from", "query", _FILTER,
                      "Start (inclusive): an ISO 8601 date or date-time; without an offset it "
                      "is read in the organisation's zone. Default: the start of today."),
                param("to", "query", _FILTER,
                      "End (exclusive), as `from`. Default: 31 days after `from`; at most "
                      f"{scheduling.MAX_DAYS} days after it."),
                param("type", "query", _FILTER,
                      "Only these types (scheduled, published, deadline, review); "
                      "comma-separated or repeated."),
                param("kind", "query", _FILTER,
                      "Only documents of these kinds; comma-separated or repeated."),
                param("channel", "query", _FILTER,
                      "Only items on these channels (ids); comma-separated or repeated. "
                      "Deadlines and reviews have no channel and are left out."),
            ],
            "responses": {
                "200": {"description": "The entries in the period.",
                        "content": _json(_ref("Calendar"))},
                **AUTH,
                **UNPROCESSABLE,
            },
        },
    },
}
