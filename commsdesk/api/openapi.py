"""The OpenAPI 3.1 document describing /api/v1, assembled from each resource module's PATHS
and SCHEMAS; tests check it against the routes and every response."""
import functools

from flask import jsonify

from . import (
    audit,
    bp,
    calendar,
    channels,
    coalition,
    coalition_release,
    discussion_schema,
    documents_schema,
    media,
    monitoring_items,
    monitoring_sources,
    monitoring_watch,
    notifications,
    previews,
    publications,
    search,
    submissions,
    todo,
    workflow,
)
from .schema import ID, error, json_content, obj, param

RESOURCES = (documents_schema, discussion_schema, notifications, previews, coalition, workflow,
             todo, audit, media, calendar, channels, publications, coalition_release,
             submissions, monitoring_sources, monitoring_watch, monitoring_items, search)

INFO = {
    "title": "commsdesk API",
    "version": "1",
    "description": (
        "Documents and their revisions, for one organisation: every request sees only "
        "the documents of the token owner's organisation, and anything else is answered "
        "404. Authenticate with `Authorization: Bearer <token>`.\n\n"
        "**Concurrency.** GET of a document returns its current revision id as `ETag`. "
        "PATCH must send it back in `If-Match`: without it the answer is 428; if it names "
        "an older revision of the document the answer is 409 (nothing changed, the body "
        "says `current_revision_id`); if it names no revision of the document, 412.\n\n"
        "**Errors** are JSON: `{\"error\": {\"status\", \"message\", ...}}`."
    ),
}

# This document itself, served without a token.
PATHS = {
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi", "tags": ["meta"], "security": [],
            "summary": "This OpenAPI document (no authentication needed).",
            "responses": {"200": {"description": "The OpenAPI document.",
                                  "content": json_content({"type": "object"})}},
        },
    },
}

# Components every resource refers to.
SCHEMAS = {
    "Error": obj(
        {"error": obj(
            {
                "status": {"type": "integer", "description": "The HTTP status code."},
                "message": {"type": "string", "description": "What went wrong, for people."},
                "field": {"type": "string", "description": "The input at fault, if one is."},
                "current_revision_id": {
                    **ID, "description": "With 409: the document's current revision."},
                "limit": {"type": "integer", "description": "With 413: the largest body."},
                "state": {"type": "string", "description": "With 409 for a document whose "
                                                           "state does not allow editing."},
            },
            required=("status", "message"), extra=True,
        )},
        required=("error",),
    ),
    "Person": obj({"id": ID, "name": {"type": "string"}}, ("id", "name")),
}
COMPONENTS = {
    "securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer",
                   "description": "An API token issued to a user; it acts with that "
                                  "user's role in the user's organisation."},
    },
    "parameters": {
        "DocumentId": param("document_id", "path", ID, "A document's id."),
        "IfMatch": param(
            "If-Match", "header", {"type": "string"},
            'The ETag of the revision the change is based on, e.g. "12".', required=True),
    },
    "headers": {
        "ETag": {"description": 'The current revision id, quoted: "12". Send it back in '
                                "If-Match.", "schema": {"type": "string"}},
    },
    "responses": {
        "Unauthorized": error(
            "The token is missing, unknown, revoked, or its user is disabled.",
            {"WWW-Authenticate": {"schema": {"type": "string"}}}),
        "Forbidden": error("The user may not do this (e.g. a contributor changing "
                           "someone else's document), or has no organisation."),
        "NotFound": error("No such document or revision for this organisation."),
        "Unprocessable": error("The input is not acceptable; `field` names it if it can. "
                               "Also for a body that is JSON but not an object, is nested "
                               "more than 16 levels deep, or holds NUL characters or "
                               "unpaired surrogates."),
    },
}


def _merge(parts):
    """One dict from several; a name declared twice is a mistake, not an override."""
    merged = {}
    for part in parts:
        twice = merged.keys() & part.keys()
        if twice:
            raise ValueError(f"Declared twice in the OpenAPI document: {sorted(twice)}")
        merged.update(part)
    return merged


@functools.cache
def build_spec():
    """The whole document, assembled once; the modules' PATHS and SCHEMAS are only read."""
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": "documents"}, {"name": "revisions"}, {"name": "meta"}],
        "paths": _merge([PATHS, *(module.PATHS for module in RESOURCES)]),
        "components": {
            **COMPONENTS,
            "schemas": _merge([SCHEMAS, *(module.SCHEMAS for module in RESOURCES)]),
        },
    }


SPEC = build_spec()  # what the tests validate every response against


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())
