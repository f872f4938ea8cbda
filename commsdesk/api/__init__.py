"""The JSON API at /api/v1, authenticated with Bearer tokens."""
from flask import Blueprint, g, jsonify, request

from .. import people
from ..extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error_response(status, message, **details):
    """A JSON error body: {"error": {"status", "message", ...details}}."""
    details.pop("proposed", None)  # the client sent it; no need to echo it back
    return jsonify(error={"status": status, "message": str(message), **details}), status


@bp.before_request
def authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = people.user_for_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None or user.organisation_id is None:
        response = error_response(401, "A valid API token is required (Authorization: Bearer …).")
        response[0].headers["WWW-Authenticate"] = 'Bearer realm="commsdesk"'
        return response
    g.api_user = user
    return None


def init_app(app):
    from . import documents, openapi  # noqa: F401 - registers the routes

    csrf.exempt(bp)
    app.register_blueprint(bp)
