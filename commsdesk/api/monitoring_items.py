"""Monitored items in the API: thin over commsdesk.monitoring.triage and .respond. PATHS and
SCHEMAS are merged into the OpenAPI document by openapi.py."""
from flask import g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..access import MAX_ID
from ..errors import ValidationError
from ..extensions import db
from ..models import ITEM_STATES, ItemMatch
from ..monitoring import respond, triage
from . import ID, bp, iso, json_body
from .documents import document_json, int_arg
from .schema import (
    AUTH,
    BODY_ERRORS,
    DEFAULT_PER_PAGE,
    MAX_PAGE,
    MAX_PER_PAGE,
    NOT_FOUND,
    NULLABLE_TIME,
    TIME,
    UNPROCESSABLE,
    error,
    json_content,
    obj,
    page_params,
    param,
    path_id,
    ref,
)
from .schema import ID as ID_SCHEMA

BASE = "/monitoring/items"


def _person(user):
    return {"id": user.id, "name": user.name} if user else None


def item_json(row, terms=(), full=False):
    """An Item (full: with its matches, notes and drafts) as the API shows it."""
    data = {
        "id": row.id, "kind": row.kind, "title": row.title, "link": row.link,
        "author": row.author,
        "source": {"id": row.source.id, "name": row.source.name} if row.source else None,
        "published_at": iso(row.published_at), "fetched_at": iso(row.fetched_at),
        "state": row.state, "assigned_to": _person(row.assigned_to), "terms": list(terms),
        "url": url_for("api.get_monitoring_item", item_id=row.id),
    }
    if full:
        data["summary_html"] = row.summary_html
        data["matches"] = [
            {"watch_list": {"id": m.watch_list.id, "name": m.watch_list.name},
             "term": m.term, "page": m.page, "snippet": m.snippet}
            for m in row_matches(row)]
        data["notes"] = [note_json(n) for n in triage.notes(row)]
        data["drafts"] = [{"id": d.id, "kind": d.kind, "title": d.title, "state": d.state}
                          for d in triage.drafts(g.api_user, row)]
    return data


def row_matches(row):
    """The watch lists' matches recorded for the item, by page."""
    return db.session.execute(select(ItemMatch).where(ItemMatch.item_id == row.id)
                              .order_by(ItemMatch.page, ItemMatch.id)).scalars().all()


def note_json(note):
    return {"id": note.id, "body": note.body, "author": _person(note.author),
            "created_at": iso(note.created_at)}


def _filters():
    args = request.args
    state = args.get("state") or None
    if state is not None and state not in ITEM_STATES:
        raise ValidationError(_("Unknown state: %(state)s", state=state), field="state")
    assigned = args.get("assigned") or None
    if assigned not in (None, "me"):
        assigned = int_arg("assigned")
    matched = args.get("matched", "").strip().lower()
    if matched not in ("", "true", "false", "1", "0"):
        raise ValidationError(_("matched must be true or false."), field="matched")
    return {"state": state, "source_id": int_arg("source_id"),
            "watch_list_id": int_arg("watch_list_id"), "assigned": assigned,
            "matched_only": matched in ("true", "1")}


@bp.get(BASE)
def list_monitoring_items():
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", DEFAULT_PER_PAGE, MAX_ID), MAX_PER_PAGE)
    result = triage.inbox(g.api_user, page=page, per_page=per_page, **_filters())
    return jsonify(items=[item_json(row, terms) for row, terms in result.rows],
                   total=result.total, counts=result.counts, page=page, per_page=per_page)


def _full(row):
    return item_json(row, triage.matched_terms([row.id]).get(row.id, []), full=True)


@bp.get(f"{BASE}/<{ID}:item_id>")
def get_monitoring_item(item_id):
    return jsonify(_full(triage.item(g.api_user, item_id)))


@bp.patch(f"{BASE}/<{ID}:item_id>")
def update_monitoring_item(item_id):
    row = triage.item(g.api_user, item_id)
    data = json_body()
    if "state" in data:
        if not isinstance(data["state"], str):
            raise ValidationError(_("state must be one of: %(states)s.",
                                    states=", ".join(ITEM_STATES)), field="state")
        triage.set_state(g.api_user, row, data["state"])
    if "assigned_to_id" in data:
        triage.assign(g.api_user, row, data["assigned_to_id"])
    return jsonify(_full(row))


@bp.post(f"{BASE}/<{ID}:item_id>/notes")
def add_monitoring_note(item_id):
    row = triage.item(g.api_user, item_id)
    note = triage.add_note(g.api_user, row, json_body().get("body"))
    return jsonify(note_json(note)), 201


@bp.delete(f"{BASE}/<{ID}:item_id>/notes/<{ID}:note_id>")
def remove_monitoring_note(item_id, note_id):
    row = triage.item(g.api_user, item_id)
    triage.remove_note(g.api_user, row, note_id)
    return "", 204


@bp.post(f"{BASE}/<{ID}:item_id>/respond")
def respond_to_monitoring_item(item_id):
    row = triage.item(g.api_user, item_id)
    doc = respond.respond(g.api_user, row, json_body().get("kind"))
    response = jsonify(document_json(doc))
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_document_view", document_id=doc.id)
    return response


# --- OpenAPI ------------------------------------------------------------------------------

_PERSON = {"oneOf": [ref("Person"), {"type": "null"}]}
_NOTE = obj({"id": ID_SCHEMA, "body": {"type": "string"}, "author": _PERSON,
             "created_at": TIME}, ("id", "body", "author", "created_at"))
_SUMMARY_FIELDS = {
    "id": ID_SCHEMA,
    "kind": {"type": "string", "enum": ["entry", "pdf"]},
    "title": {"type": "string"}, "link": {"type": "string"}, "author": {"type": "string"},
    "source": {"oneOf": [obj({"id": ID_SCHEMA, "name": {"type": "string"}}, ("id", "name")),
                         {"type": "null"}]},
    "published_at": NULLABLE_TIME, "fetched_at": TIME,
    "state": {"type": "string", "enum": list(ITEM_STATES)},
    "assigned_to": _PERSON,
    "terms": {"type": "array", "items": {"type": "string"},
              "description": "The watch lists' terms found in it."},
    "url": {"type": "string", "description": "This item's API path."},
}
_ITEM_SUMMARY = obj(_SUMMARY_FIELDS, tuple(_SUMMARY_FIELDS))
_MATCH = obj({"watch_list": obj({"id": ID_SCHEMA, "name": {"type": "string"}}, ("id", "name")),
              "term": {"type": "string"},
              "page": {"type": ["integer", "null"], "description": "1-based page of a PDF."},
              "snippet": {"type": "string", "description": "Plain text around the match."}},
             ("watch_list", "term", "page", "snippet"))
_DRAFT = obj({"id": ID_SCHEMA, "kind": {"type": "string"}, "title": {"type": "string"},
              "state": {"type": "string"}}, ("id", "kind", "title", "state"))
_FULL = {"summary_html": {"type": "string", "description": "Sanitised HTML."},
         "matches": {"type": "array", "items": _MATCH},
         "notes": {"type": "array", "items": ref("MonitoringItemNote"),
                   "description": "Oldest first."},
         "drafts": {"type": "array", "items": _DRAFT,
                    "description": "Drafts answering the item that the caller may see."}}

SCHEMAS = {
    "MonitoringItemSummary": _ITEM_SUMMARY,
    "MonitoringItem": obj({**_SUMMARY_FIELDS, **_FULL}, (*_SUMMARY_FIELDS, *_FULL)),
    "MonitoringItemNote": _NOTE,
    "MonitoringItemList": obj(
        {"items": {"type": "array", "items": ref("MonitoringItemSummary"),
                   "description": "Newest first."},
         "total": {"type": "integer"},
         "counts": obj({s: {"type": "integer"} for s in ITEM_STATES}, ITEM_STATES,
                       description="Items per state under the same filters."),
         "page": {"type": "integer"}, "per_page": {"type": "integer"}},
        ("items", "total", "counts", "page", "per_page")),
    "MonitoringItemPatch": obj(
        {"state": {"type": "string", "enum": list(ITEM_STATES)},
         "assigned_to_id": {"type": ["integer", "null"],
                            "description": "An active user of the organisation; null: "
                                           "nobody."}}),
    "MonitoringNoteInput": obj({"body": {"type": "string", "maxLength": triage.MAX_NOTE}},
                               ("body",)),
    "MonitoringRespondInput": obj({"kind": {"type": "string", "enum": list(respond.KINDS)}},
                                  ("kind",)),
}

_ITEM_ID = path_id("item_id", "A monitored item of the caller's organisation.")
_NOTE_ID = path_id("note_id", "One of the item's notes.")
_TAGS = ["monitoring"]


def _answer(code, name, text):
    return {code: {"description": text, "content": json_content(ref(name))}}


def _body(name):
    return {"required": True, "content": json_content(ref(name))}


PATHS = {
    BASE: {
        "get": {
            "operationId": "listMonitoringItems", "tags": _TAGS,
            "summary": "The organisation's monitored items (the triage inbox), newest first.",
            "parameters": [
                param("state", "query", {"type": "string", "enum": list(ITEM_STATES)},
                      "Only this state; default: everything but archived."),
                param("source_id", "query", ID_SCHEMA, "Only from this source."),
                param("watch_list_id", "query", ID_SCHEMA, "Only those this watch list "
                                                           "matched."),
                param("assigned", "query", {"type": "string"},
                      "\"me\" or a user id: only items given to them."),
                param("matched", "query", {"type": "string",
                                           "enum": ["true", "false", "1", "0"]},
                      "Only items a watch list matched."),
                *page_params("Items"),
            ],
            "responses": {**_answer("200", "MonitoringItemList", "A page of items."),
                          **AUTH, **UNPROCESSABLE},
        },
    },
    f"{BASE}/{{item_id}}": {
        "parameters": [_ITEM_ID],
        "get": {"operationId": "getMonitoringItem", "tags": _TAGS,
                "summary": "One item with its matches, notes and the drafts made from it.",
                "responses": {**_answer("200", "MonitoringItem", "The item."), **AUTH,
                              **NOT_FOUND}},
        "patch": {"operationId": "updateMonitoringItem", "tags": _TAGS,
                  "summary": "Move the item (flag, unflag → read, archive, unarchive → read) "
                             "or give it to a colleague (who is notified).",
                  "requestBody": _body("MonitoringItemPatch"),
                  "responses": {**_answer("200", "MonitoringItem", "The item as it is now."),
                                **AUTH, **NOT_FOUND, **BODY_ERRORS,
                                "409": error("Its state does not allow this move.")}},
    },
    f"{BASE}/{{item_id}}/notes": {
        "parameters": [_ITEM_ID],
        "post": {"operationId": "addMonitoringItemNote", "tags": _TAGS,
                 "summary": "Add a note to the item.",
                 "requestBody": _body("MonitoringNoteInput"),
                 "responses": {**_answer("201", "MonitoringItemNote", "The note."), **AUTH,
                               **NOT_FOUND, **BODY_ERRORS}},
    },
    f"{BASE}/{{item_id}}/notes/{{note_id}}": {
        "parameters": [_ITEM_ID, _NOTE_ID],
        "delete": {"operationId": "removeMonitoringItemNote", "tags": _TAGS,
                   "summary": "Remove one of one's own notes (403 for another's).",
                   "responses": {"204": {"description": "Removed."}, **AUTH, **NOT_FOUND}},
    },
    f"{BASE}/{{item_id}}/respond": {
        "parameters": [_ITEM_ID],
        "post": {"operationId": "respondToMonitoringItem", "tags": _TAGS,
                 "summary": "Make a draft answering the item (a letter to the editor, an "
                            "op-ed, a press comment, a social post), quoting it and linked "
                            "to it.",
                 "requestBody": _body("MonitoringRespondInput"),
                 "responses": {**_answer("201", "Document", "The new draft."), **AUTH,
                               **NOT_FOUND, **BODY_ERRORS}},
    },
}
