"""Building blocks of the OpenAPI document, shared by every API module's PATHS and SCHEMAS."""
from .documents import MAX_ID

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


def error(description, headers=None):
    """A response whose body is the Error schema."""
    response = {"description": description, "content": json_content(ref("Error"))}
    if headers:
        response["headers"] = headers
    return response
