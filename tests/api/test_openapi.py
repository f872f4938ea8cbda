"""The OpenAPI document: served without a token, valid 3.1, and the same API as the routes."""
import re

import pytest
from conftest import assert_documented
from openapi_spec_validator import validate
from werkzeug.routing import IntegerConverter

from commsdesk.api.openapi import SPEC

METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.get_json()


def test_served_without_a_token_as_json(served):
    assert served["openapi"] == "3.1.0"
    assert served == SPEC  # what the tests check is what clients get


def test_is_a_valid_openapi_3_1_document(served):
    validate(served)


def _routes(app):
    """{(openapi path, method): rule} for every /api/v1 route."""
    routes = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            routes[(path, method.lower())] = rule
    return routes


def test_every_route_is_documented_and_every_documented_operation_exists(app):
    routes = _routes(app)
    documented = {(path, method) for path, item in SPEC["paths"].items()
                  for method in item if method in METHODS}
    assert set(routes) - documented == set(), "routes missing from the OpenAPI document"
    assert documented - set(routes) == set(), "OpenAPI operations with no route"
    assert all(rule.endpoint.startswith("api.") for rule in routes.values())


def _resolve(item):
    if "$ref" in item:
        kind, name = item["$ref"].split("/")[-2:]
        return SPEC["components"][kind][name]
    return item


def test_path_parameters_match_the_routes(app):
    for (path, method), rule in _routes(app).items():
        item = SPEC["paths"][path]
        params = [_resolve(p) for p in item.get("parameters", []) + item[method].get(
            "parameters", [])]
        in_path = {p["name"] for p in params if p["in"] == "path"}
        assert in_path == set(rule.arguments) == set(re.findall(r"{(\w+)}", path)), path
        for param in params:
            if param["in"] == "path":
                converter = rule._converters[param["name"]]
                expected = "integer" if isinstance(converter, IntegerConverter) else "string"
                assert param["required"] is True and param["schema"]["type"] == expected, (
                    path, param["name"])


def test_every_operation_has_responses_errors_and_an_id(app):
    operation_ids = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (path, method)
            operation_ids.append(operation["operationId"])
            if operation.get("security") == []:
                continue
            assert "401" in responses, (path, method)
            if "{document_id}" in path:
                assert "404" in responses, (path, method)
            if "requestBody" in operation:
                assert {"400", "413", "415", "422"} <= set(responses), (path, method)
    assert len(operation_ids) == len(set(operation_ids))


def test_concurrency_and_error_responses_are_described():
    patch = SPEC["paths"]["/documents/{document_id}"]["patch"]
    assert {"409", "412", "413", "422", "428"} <= set(patch["responses"])
    if_match = [_resolve(p) for p in patch["parameters"]]
    assert if_match[0]["name"] == "If-Match" and if_match[0]["in"] == "header"
    get = SPEC["paths"]["/documents/{document_id}"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"]
    assert SPEC["components"]["securitySchemes"]["bearer"] == {
        **SPEC["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    assert SPEC["security"] == [{"bearer": []}]
    schemas = SPEC["components"]["schemas"]
    for name in ("Document", "DocumentSummary", "Revision", "RevisionSummary", "Diff", "Error"):
        assert schemas[name]["type"] == "object" and schemas[name]["required"], name


def test_every_schema_reference_resolves():
    refs = re.findall(r"'\$ref': '#/([^']+)'", str(SPEC))
    assert refs
    for ref in refs:
        node = SPEC
        for part in ref.split("/"):
            node = node[part]


def test_the_response_check_refuses_what_is_not_documented(app):
    """The Api helper's check is real: an undocumented status or shape fails it."""
    from flask import Response

    def fake(status, body):
        return Response(body, status=status, mimetype="application/json")

    with pytest.raises(AssertionError, match="does not list"):
        assert_documented(fake(418, "{}"), "GET", "/api/v1/documents")
    with pytest.raises(AssertionError, match="required"):
        assert_documented(fake(200, '{"items": []}'), "GET", "/api/v1/documents")
    with pytest.raises(AssertionError):
        assert_documented(fake(404, '{"error": {"status": 404}}'), "GET", "/api/v1/documents/1")
