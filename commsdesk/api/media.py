"""The media library and a document's images in the API: thin over commsdesk.media."""
from flask import g, jsonify, request
from flask_babel import gettext as _

from .. import media
from ..access import get_document
from ..errors import ValidationError
from . import ID, ApiError, bp, json_body
from . import iso as _iso
from .schema import AUTH, BODY_ERRORS, DOCUMENT_ID, NOT_FOUND, TIME, UNPROCESSABLE, path_id
from .schema import ID as _ID
from .schema import error as _error
from .schema import json_content as _json
from .schema import obj as _object
from .schema import ref as _ref


def media_json(item):
    """A library image, with where its renditions are served."""
    done = {r.name for r in item.renditions if r.state == "done"}
    return {
        "id": item.id, "filename": item.filename, "content_type": item.content_type,
        "width": item.width, "height": item.height, "bytes": item.bytes,
        "sha256": item.sha256, "alt_text": item.alt_text, "caption": item.caption,
        "credit": item.credit, "created_at": _iso(item.created_at),
        "uploaded_by_id": item.uploaded_by_id,
        "renditions": {name: {"url": path, "ready": name in done}
                       for name, path in media.rendition_paths(item.id).items()},
    }


@bp.get("/media")
def list_media():
    return jsonify(items=[media_json(item) for item in media.library(g.api_user)])


@bp.post("/media")
def upload_media():
    if not request.mimetype.startswith("multipart/form-data"):
        raise ApiError(415, _("Send the image as multipart/form-data, in the field file."))
    upload = request.files.get("file")
    if upload is None:
        raise ValidationError(_("Send the image in the field file."), field="file")
    item = media.upload(g.api_user, upload.filename, upload.read(),
                        alt_text=request.form.get("alt_text", ""),
                        caption=request.form.get("caption", ""),
                        credit=request.form.get("credit", ""))
    return jsonify(media_json(item)), 201


@bp.get(f"/media/<{ID}:media_id>")
def get_media(media_id):
    return jsonify(media_json(media.get_media(g.api_user, media_id)))


@bp.patch(f"/media/<{ID}:media_id>")
def describe_media(media_id):
    item = media.get_media(g.api_user, media_id)
    data = json_body()
    media.describe(g.api_user, item, **data)
    return jsonify(media_json(item))


@bp.delete(f"/media/<{ID}:media_id>")
def delete_media(media_id):
    media.delete(g.api_user, media.get_media(g.api_user, media_id))
    return "", 204


def _document_images(doc):
    return jsonify(items=[{**media_json(row.media), "position": index}
                          for index, row in enumerate(media.attached(doc), start=1)])


@bp.get(f"/documents/<{ID}:document_id>/media")
def list_document_media(document_id):
    return _document_images(get_document(g.api_user, document_id))


@bp.post(f"/documents/<{ID}:document_id>/media")
def attach_media(document_id):
    doc = get_document(g.api_user, document_id)
    media_id = json_body().get("media_id")
    if not isinstance(media_id, int) or isinstance(media_id, bool):
        raise ValidationError(_("media_id must be the id of a library image."),
                              field="media_id")
    media.attach(g.api_user, doc, media_id)
    return _document_images(doc)


@bp.delete(f"/documents/<{ID}:document_id>/media/<{ID}:media_id>")
def detach_media(document_id, media_id):
    media.detach(g.api_user, get_document(g.api_user, document_id), media_id)
    return "", 204


# --- OpenAPI ------------------------------------------------------------------------------

_TEXT = {"alt_text": {"type": "string", "maxLength": 1000,
                      "description": "What the image shows; required before publishing "
                                     "to a channel that shows images."},
         "caption": {"type": "string", "maxLength": 1000},
         "credit": {"type": "string", "maxLength": 300}}
_RENDITION = _object({"url": {"type": "string"}, "ready": {"type": "boolean"}},
                     ("url", "ready"))
MEDIA_ID = path_id("media_id", "A library image.")

SCHEMAS = {
    "Media": _object(
        {"id": _ID, "filename": {"type": "string"},
         "content_type": {"type": "string",
                          "enum": ["image/jpeg", "image/png", "image/webp", "image/gif"]},
         "width": {"type": "integer"}, "height": {"type": "integer"},
         "bytes": {"type": "integer"}, "sha256": {"type": "string"}, **_TEXT,
         "created_at": TIME, "uploaded_by_id": {"type": ["integer", "null"]},
         "position": {"type": "integer", "description": "On a document: its place, from 1."},
         "renditions": _object({name: _RENDITION for name in media.SIZES},
                               tuple(media.SIZES))},
        ("id", "filename", "content_type", "width", "height", "bytes", "sha256", "alt_text",
         "caption", "credit", "created_at", "renditions"),
    ),
    "MediaList": _object({"items": {"type": "array", "items": _ref("Media")}}, ("items",)),
    "MediaUpload": _object({"file": {"type": "string", "contentMediaType": "image/*",
                                     "description": "JPEG, PNG, WebP or GIF."}, **_TEXT},
                           ("file",)),
    "MediaPatch": _object(_TEXT),
    "MediaAttach": _object({"media_id": _ID}, ("media_id",)),
}

_LIST = {"200": {"description": "The images.", "content": _json(_ref("MediaList"))}}
_ONE = {"200": {"description": "The image.", "content": _json(_ref("Media"))}}

PATHS = {
    "/media": {
        "get": {"operationId": "listMedia", "tags": ["media"],
                "summary": "The organisation's image library, newest first.",
                "responses": {**_LIST, **AUTH}},
        "post": {
            "operationId": "uploadMedia", "tags": ["media"],
            "summary": "Upload an image (multipart/form-data, field `file`).",
            "description": "Judged by its content, not its name: JPEG, PNG, WebP or GIF (its "
                           "first frame), at most COMMSDESK_MAX_IMAGE_BYTES (15 MB) and "
                           "COMMSDESK_MAX_IMAGE_PIXELS (40 megapixels). Damaged, truncated, "
                           "oversized and non-image files are refused with 422 and nothing "
                           "is stored. Renditions are made by the worker.",
            "requestBody": {"required": True, "content": {
                "multipart/form-data": {"schema": _ref("MediaUpload")}}},
            "responses": {"201": {"description": "Stored (or the same file already was).",
                                  "content": _json(_ref("Media"))},
                          **AUTH, **UNPROCESSABLE,
                          "400": _error("The multipart body could not be read."),
                          "413": _error("The body is larger than the upload limit."),
                          "415": _error("Not sent as multipart/form-data.")}},
    },
    "/media/{media_id}": {
        "parameters": [MEDIA_ID],
        "get": {"operationId": "getMedia", "tags": ["media"], "summary": "One image.",
                "responses": {**_ONE, **AUTH, **NOT_FOUND}},
        "patch": {"operationId": "describeMedia", "tags": ["media"],
                  "summary": "Change the alt text, caption or credit.",
                  "requestBody": {"required": True, "content": _json(_ref("MediaPatch"))},
                  "responses": {**_ONE, **AUTH, **NOT_FOUND, **BODY_ERRORS}},
        "delete": {"operationId": "deleteMedia", "tags": ["media"],
                   "summary": "Delete an image no text uses (422 if one does).",
                   "responses": {"204": {"description": "Deleted."}, **AUTH, **NOT_FOUND,
                                 **UNPROCESSABLE}},
    },
    "/documents/{document_id}/media": {
        "parameters": [DOCUMENT_ID],
        "get": {"operationId": "listDocumentMedia", "tags": ["media"],
                "summary": "The document's images, in order.",
                "responses": {**_LIST, **AUTH, **NOT_FOUND}},
        "post": {"operationId": "attachMedia", "tags": ["media"],
                 "summary": "Attach a library image at the end (audited; no new revision).",
                 "requestBody": {"required": True, "content": _json(_ref("MediaAttach"))},
                 "responses": {"200": {"description": "The document's images now.",
                                       "content": _json(_ref("MediaList"))},
                               **AUTH, **NOT_FOUND, **BODY_ERRORS}},
    },
    "/documents/{document_id}/media/{media_id}": {
        "parameters": [DOCUMENT_ID, MEDIA_ID],
        "delete": {"operationId": "detachMedia", "tags": ["media"],
                   "summary": "Take an image off the document (it stays in the library).",
                   "responses": {"204": {"description": "Detached."}, **AUTH, **NOT_FOUND,
                                 **UNPROCESSABLE}},
    },
}
