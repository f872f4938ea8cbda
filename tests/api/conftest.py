"""Fixtures for the JSON API: a client per token, and checking responses against the OpenAPI."""
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commsdesk import people
from commsdesk.api.openapi import SPEC

SPEC_URI = "urn:commsdesk:openapi"
_REGISTRY = Registry().with_resource(SPEC_URI, Resource.from_contents(
    SPEC, default_specification=DRAFT202012))
PREFIX = "/api/v1"


def _pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _template(path):
    """The OpenAPI path that a concrete /api/v1 path falls under."""
    path = path.split("?")[0].removeprefix(PREFIX)
    for template in SPEC["paths"]:
        pattern = "^" + re.sub(r"\\{[^}]+\\}", r"[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI paths")


def assert_documented(response, method, path):
    """The response's status, headers and body are what the OpenAPI document says."""
    template = _template(path)
    operation = SPEC["paths"][template][method.lower()]
    status = str(response.status_code)
    assert status in operation["responses"], (
        f"{method} {template} answered {status}, which the OpenAPI does not list")
    location = ["paths", template, method.lower(), "responses", status]
    documented = operation["responses"][status]
    if "$ref" in documented:
        location = documented["$ref"].removeprefix("#/").split("/")
        documented = SPEC["components"]["responses"][location[-1]]
    for name in documented.get("headers", {}):
        assert name in response.headers, f"{name} header missing from {method} {path}"
    if "content" in documented:
        assert response.is_json, response.get_data(as_text=True)[:200]
        schema = {"$ref": SPEC_URI + "#" + _pointer(*location, "content", "application/json",
                                                    "schema")}
        validator = Draft202012Validator(schema, registry=_REGISTRY,
                                         format_checker=Draft202012Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(response.get_json()), key=str)
        assert not errors, f"{method} {path} -> {status}: {errors[0].message}"


class Api:
    """Calls /api/v1 with one user's token and checks every answer against the OpenAPI.

    Messages are asked for in English, so tests can look for words in them."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def request(self, method, path, json=None, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en",
                   **(headers or {})}
        response = self.client.open(PREFIX + path, method=method, json=json, headers=headers,
                                    **kwargs)
        assert_documented(response, method, PREFIX + path)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, etag=None, **kwargs):
        headers = kwargs.pop("headers", {})
        if etag is not None:
            headers["If-Match"] = etag
        return self.request("PATCH", path, json=json, headers=headers, **kwargs)


@pytest.fixture
def api_as(client):
    """api_as(user) -> an Api client holding a fresh token of that user."""
    return lambda user: Api(client, people.issue_token(user))
