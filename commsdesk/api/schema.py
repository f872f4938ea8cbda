"""Building blocks of the OpenAPI document, shared by every API module's PATHS and SCHEMAS."""
from ..access import MAX_ID

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100
MAX_PAGE = 100_000

ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
TIME = {"type": "string", "format": "date-time"}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}


def ref(name, kind="schemas"):
    """A $ref to a component."""
    return {"$ref": f"#/components/{kind}/{name}"}


def json_content(schema):
    """A JSON request or response body with this schema."""
    return {"application/json": {"schema": schema}}


def obj(properties, required=(), extra=False, **more):
    """An object schema; no properties beyond those named unless `extra`."""
    schema = {"type": "object", "properties": properties, "additionalProperties": extra, **more}
    if required:
        schema["required"] = list(required)
    return schema


def extend(schema, properties, required=()):
    """A copy of an object schema with more properties, also required."""
    return {**schema, "properties": {**schema["properties"], **properties},
            "required": [*schema.get("required", ()), *required]}


def error(description, headers=None):
    """A response whose body is the Error schema."""
    response = {"description": description, "content": json_content(ref("Error"))}
    if headers:
        response["headers"] = headers
    return response


def param(name, where, schema, description, required=False):
    """A parameter; one in the path is always required."""
    return {"name": name, "in": where, "schema": schema, "description": description,
            "required": required or where == "path"}


def path_id(name, description):
    """A path parameter holding an id."""
    return param(name, "path", ID, description)


def page_params(noun):
    """The page and per_page query parameters of a paged list."""
    return [
        param("page", "query",
              {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
              "Page number."),
        param("per_page", "query",
              {"type": "integer", "minimum": 1, "default": DEFAULT_PER_PAGE},
              f"{noun} per page; more than {MAX_PER_PAGE} gives {MAX_PER_PAGE}."),
    ]


DOCUMENT_ID = ref("DocumentId", "parameters")
AUTH = {"401": ref("Unauthorized", "responses"), "403": ref("Forbidden", "responses")}
NOT_FOUND = {"404": ref("NotFound", "responses")}
UNPROCESSABLE = {"422": ref("Unprocessable", "responses")}
BODY_ERRORS = {
    "400": error("The body is not valid JSON."),
    "413": error("The body is larger than the server accepts (1 MiB by default)."),
    "415": error("The body is not sent as application/json."),
    **UNPROCESSABLE,
}
