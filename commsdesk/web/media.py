"""The media library pages, the document page's Images panel, and the renditions served at
/media/<media id>/<name>.jpg."""
import io

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import media
from ..access import can_edit, get_document
from ..errors import Forbidden
from ..workflow import EDITABLE

bp = Blueprint("media", __name__)

# A public rendition is the same bytes for as long as its image exists: cache it a month.
PUBLIC_MAX_AGE = 30 * 24 * 3600
PRIVATE_MAX_AGE = 24 * 3600
UPLOAD_SLACK = 64 * 1024  # the form's other fields and multipart framing


def _raise_upload_limit():
    """The upload routes accept an image up to MAX_IMAGE_BYTES instead of the global request
    limit. This runs before CSRF and the NUL check read the form, and only for signed-in
    users, so nobody else can make the server read a large body."""
    if request.endpoint in ("media.upload", "api.upload_media") and request.method == "POST" \
            and (request.endpoint.startswith("api.") or current_user.is_authenticated):
        request.max_content_length = media.limits()[0] + UPLOAD_SLACK


@bp.record_once
def _first_before_request(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _raise_upload_limit)


def _member():
    if current_user.organisation_id is None:
        raise Forbidden(_("You belong to no organisation."))


@bp.app_template_global()
def media_panel(doc):
    """For the document page: the document's images and the library to attach from, or
    None when the user may not change them."""
    if not current_user.is_authenticated or not can_edit(current_user, doc):
        return None
    rows = media.attached(doc)
    used = {row.media_id for row in rows}
    return {"rows": rows, "editable": doc.state in EDITABLE,
            "library": [m for m in media.library(current_user) if m.id not in used]}


@bp.route("/media", methods=["GET", "POST"], endpoint="upload")
@login_required
def library():
    _member()
    if request.method == "POST":
        upload = request.files.get("file")
        data = upload.read() if upload else b""
        item = media.upload(current_user, upload.filename if upload else "", data,
                            alt_text=request.form.get("alt_text", ""),
                            caption=request.form.get("caption", ""),
                            credit=request.form.get("credit", ""))
        flash(_("%(name)s is in the library; its sizes are being made.", name=item.filename),
              "info")
        return redirect(url_for(".upload"))
    items = media.library(current_user)
    return render_template("media/library.html", items=items,
                           uses={item.id: media.uses(item) for item in items},
                           max_mb=media.limits()[0] // 1_000_000)


@bp.route("/media/<int:media_id>/describe", methods=["POST"])
@login_required
def describe(media_id):
    _member()
    item = media.get_media(current_user, media_id)
    media.describe(current_user, item, **{field: request.form.get(field)
                                          for field in ("alt_text", "caption", "credit")})
    flash(_("Saved the description of %(name)s.", name=item.filename), "info")
    return redirect(_back(url_for(".upload")))


@bp.route("/media/<int:media_id>/delete", methods=["POST"])
@login_required
def delete(media_id):
    _member()
    item = media.get_media(current_user, media_id)
    media.delete(current_user, item)
    flash(_("%(name)s is deleted.", name=item.filename), "info")
    return redirect(url_for(".upload"))


def _back(fallback):
    target = request.form.get("next", "")
    return target if target.startswith("/documents/") else fallback


@bp.route("/documents/<int:document_id>/images", methods=["POST"])
@login_required
def attach(document_id):
    doc = get_document(current_user, document_id)
    media.attach(current_user, doc, request.form.get("media_id"))
    return _changed(doc)


def _changed(doc):
    return redirect(url_for("documents.show", document_id=doc.id) + "#images-h")


@bp.route("/documents/<int:document_id>/images/<int:media_id>/detach", methods=["POST"])
@login_required
def detach(document_id, media_id):
    doc = get_document(current_user, document_id)
    media.detach(current_user, doc, media_id)
    return _changed(doc)


@bp.route("/documents/<int:document_id>/images/<int:media_id>/up", methods=["POST"])
@login_required
def earlier(document_id, media_id):
    doc = get_document(current_user, document_id)
    media.move(current_user, doc, media_id, -1)
    return _changed(doc)


@bp.route("/documents/<int:document_id>/images/<int:media_id>/down", methods=["POST"])
@login_required
def later(document_id, media_id):
    doc = get_document(current_user, document_id)
    media.move(current_user, doc, media_id, 1)
    return _changed(doc)


@bp.route("/media/<int:media_id>/<any(card,square,portrait,thumb,large):name>.jpg")
def rendition(media_id, name):
    found, public = media.rendition_for(current_user, media_id, name,
                                        signature=request.args.get("sig"))
    response = send_file(io.BytesIO(found.data), mimetype="image/jpeg", etag=f"r{found.id}",
                         conditional=True, download_name=f"{media_id}-{name}.jpg",
                         max_age=PUBLIC_MAX_AGE if public else PRIVATE_MAX_AGE)
    response.cache_control.public = public
    response.cache_control.private = not public
    if not public:
        response.vary.add("Cookie")
    return response


@bp.after_request
def _no_store_refusals(response):
    # A refusal (embargoed, not yet rendered) must not be cached as the image's answer.
    if response.status_code >= 400:
        response.headers["Cache-Control"] = "no-store"
    return response
