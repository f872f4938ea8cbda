"""Search in the API (GET /api/v1/search; thin over commsdesk.search)."""
from flask import g, jsonify, request
from flask_babel import gettext as _

from .. import search
from ..errors import ValidationError
from . import bp
from .documents import int_arg
from .schema import AUTH, MAX_PAGE, UNPROCESSABLE, param
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref

PER_PAGE = 20
MAX_PER_PAGE = 100


def result_json(result):
    """One search result; the snippet is HTML with the matched words in <mark>."""
    return {"kind": result.kind, "id": result.id, "title": str(result.title.striptags()),
            "snippet": str(result.snippet), "url": result.url, "rank": result.rank}


@bp.get("/search")
def search_all():
    q = request.args.get("q", "").replace("\x00", "")[:search.querying.MAX_QUERY]
    kind = request.args.get("kind") or None
    if kind is not None and kind not in search.querying.KINDS:
        raise ValidationError(_("Unknown kind; use one of: %(kinds)s.",
                                kinds=", ".join(search.querying.KINDS)), field="kind")
    page = int_arg("page", 1, MAX_PAGE)
    per_page = min(int_arg("per_page", PER_PAGE), MAX_PER_PAGE)
    found = search.query(g.api_user, q, kinds=(kind,) if kind else search.querying.KINDS,
                         page=page, per_page=per_page)
    return jsonify(results=[result_json(r) for r in found.results], total=found.total,
                   capped=found.capped, page=page, per_page=per_page)


# --- OpenAPI ------------------------------------------------------------------------------

SCHEMAS = {
    "SearchResult": _object(
        {
            "kind": {"type": "string", "enum": list(search.querying.KINDS)},
            "id": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "snippet": {"type": "string",
                        "description": "HTML: a passage of the text, escaped, with the matched "
                                       "words in <mark>."},
            "url": {"type": "string", "description": "The page of the document or item."},
            "rank": {"type": "number", "description": "Relevance; higher is better."},
        },
        ("kind", "id", "title", "snippet", "url", "rank"),
    ),
    "SearchResults": _object(
        {
            "results": {"type": "array", "items": _ref("SearchResult"),
                        "description": "Best first."},
            "total": {"type": "integer", "minimum": 0},
            "capped": {"type": "boolean",
                       "description": f"More than {search.querying.CANDIDATES} texts match: "
                                      "the newest of them are ranked and total is that many."},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
        },
        ("results", "total", "capped", "page", "per_page"),
    ),
}

PATHS = {
    "/search": {
        "get": {
            "operationId": "search", "tags": ["search"],
            "summary": "Full-text search over the documents the caller may see and the "
                       "organisation's monitored items, in any word form, best first.",
            "parameters": [
                param("q", "query", {"type": "string"},
                      "Words that must all match (in any form); \"quoted phrases\" match "
                      "their words in order. Read up to "
                      f"{search.querying.MAX_QUERY} characters; never an error."),
                param("kind", "query", {"type": "string", "enum": list(search.querying.KINDS)},
                      "Only documents or only items."),
                param("page", "query", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                        "default": 1}, "Page number."),
                param("per_page", "query", {"type": "integer", "minimum": 1,
                                            "default": PER_PAGE},
                      f"Results per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."),
            ],
            "responses": {"200": {"description": "A page of results.",
                                  "content": _json(_ref("SearchResults"))},
                          **AUTH, **UNPROCESSABLE},
        },
    },
}
