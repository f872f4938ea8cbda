"""The JSON API at /api/v1, authenticated with Bearer tokens."""
import json
import math

from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, default_exceptions

from .. import people
from ..access import MAX_ID
from ..errors import DomainError, Forbidden
from ..extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_DEPTH = 16
ID = f"int(min=1, max={MAX_ID})"  # the URL converter for ids: larger ones are 404, not 500

HTTP_MESSAGES = {
    404: _l("There is nothing here. The API's paths are listed in /api/v1/openapi.json."),
    405: _l("This method is not allowed here."),
}


class ApiError(DomainError):
    """A refusal of the HTTP exchange itself (body, headers), with its own status."""

    def __init__(self, status, message, **details):
        super().__init__(message, **details)
        self.status = status


def iso(value):
    """A datetime as ISO 8601 text for JSON, or None."""
    return value.isoformat() if value else None


def error_response(status, message, **details):
    """A JSON error body: {"error": {"status", "message", ...details}}."""
    details.pop("proposed", None)  # the client sent it; no need to echo it back
    return jsonify(error={"status": status, "message": str(message), **details}), status


@bp.errorhandler(DomainError)
def domain_error(exc):
    db.session.rollback()  # a refused request changes nothing
    return error_response(exc.status, exc.message, **exc.details)


def http_error(exc):
    db.session.rollback()
    code = exc.code or 500
    details = {}
    if code == 413:
        limit = current_app.config["MAX_CONTENT_LENGTH"]
        message = _("The request body is too large: at most %(limit)d bytes are accepted.",
                    limit=limit)
        details["limit"] = limit
    elif code >= 500:
        message = _("Something went wrong on our side. Nothing was saved.")
    else:
        message = HTTP_MESSAGES.get(code) or exc.description or exc.name
    response, status = error_response(code, message, **details)
    for name, value in exc.get_headers():
        if name == "Allow":
            response.headers["Allow"] = value
    return response, status


# By status code too: Flask prefers an app's handler for a code over a blueprint's handler
# for a class. (Unmatched /api/ URLs belong to no blueprint; the web's handlers answer them
# in JSON through error_response.)
bp.register_error_handler(HTTPException, http_error)
for _code in default_exceptions:
    bp.register_error_handler(_code, http_error)


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text):
    # Python reads 1e400 as infinity, which no field can hold (int() of it overflows).
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def refuse_crafted(data, user=None):
    """Workflow facts are never written through a body: state and approvals change only by
    POST /documents/{id}/transitions, an owner only by owner_id, and nobody acts for another
    organisation or user. Such a request is 403 and changes nothing."""
    for key in ("state", "approvals", "approval"):
        if key in data:
            raise Forbidden(_("%(key)s cannot be set here; use the workflow actions "
                              "(POST /documents/{id}/transitions).", key=key), field=key)
    if isinstance(data.get("owner"), (dict, list)):
        raise Forbidden(_("The owner is set with owner_id, by editors and admins."),
                        field="owner")
    if user is not None:
        org = data.get("organisation_id", data.get("organisation"))
        if isinstance(org, dict):
            org = org.get("id")
        if org is not None and org != user.organisation_id:
            raise Forbidden(_("You act only for your own organisation."),
                            field="organisation_id")
        if data.get("user_id") not in (None, user.id):
            raise Forbidden(_("You act only for yourself."), field="user_id")


def json_body():
    """The request body as a JSON object, or a clear 4xx (415, 400, 413, 422)."""
    if not request.is_json:
        raise ApiError(415, _("Send the body as JSON, with Content-Type: application/json."))
    raw = request.get_data(cache=True)  # raises 413 past MAX_CONTENT_LENGTH
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit:
        # A streamed (chunked) body has no length to check first: Werkzeug stops reading at
        # the limit without an error, which would leave a cut body to parse.
        raise RequestEntityTooLarge()
    try:
        data = json.loads(raw, parse_constant=_reject_constant, parse_float=_finite_float)
    except RecursionError:
        raise ApiError(400, _("The body is not valid JSON: it is nested too deeply.")) from None
    except ValueError as exc:
        raise ApiError(400, _("The body is not valid JSON: %(error)s", error=exc)) from None
    if not isinstance(data, dict):
        raise ApiError(422, _("The body must be a JSON object."))
    _check_text(data)
    return data


def _check_text(data):
    """Refuse deep nesting (nothing needs it; it could exhaust the stack later on) and text
    the database cannot store: NUL characters and unpaired surrogates."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ApiError(422, _("The body is nested too deeply (at most %(n)d levels).",
                                  n=MAX_DEPTH))
        if isinstance(item, dict):
            stack.extend((key, depth) for key in item)
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
        elif isinstance(item, str):
            if "\x00" in item:
                raise ApiError(422, _("Text may not contain NUL (\\u0000) characters."))
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ApiError(
                    422, _("Text must be valid Unicode (no unpaired surrogates).")) from None


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    user = people.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        response, status = error_response(
            401, _("A valid API token is required (Authorization: Bearer <token>).")
        )
        response.headers["WWW-Authenticate"] = 'Bearer realm="commsdesk"'
        return response, status
    if user.organisation_id is None:
        return error_response(
            403, _("This account belongs to no organisation; the API serves an "
                   "organisation's documents only.")
        )
    g.api_user = user
    return None


def init_app(app):
    from . import (  # noqa: F401 - registers the routes
        audit,
        calendar,
        channels,
        coalition,
        coalition_release,
        discussion,
        documents,
        media,
        monitoring_items,
        monitoring_sources,
        monitoring_watch,
        notifications,
        openapi,
        previews,
        publications,
        search,
        submissions,
        todo,
        workflow,
    )

    csrf.exempt(bp)
    app.register_blueprint(bp)
