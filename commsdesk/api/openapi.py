"""The OpenAPI document describing /api/v1."""
from flask import jsonify

from . import bp


@bp.get("/openapi.json")
def openapi():
    return jsonify({"openapi": "3.1.0", "info": {"title": "commsdesk API", "version": "1"},
                    "paths": {}})
