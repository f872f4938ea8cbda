"""Managing a document's preview links (the public page itself is in public.py)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import previews
from ..access import can_manage_previews, get_document
from . import members_only, private_headers

bp = Blueprint("previews", __name__)


members_only(bp, superusers=True)


@bp.app_template_global()
def preview_panel(doc):
    """For the document page: the preview links the user may manage, else None."""
    if not current_user.is_authenticated or not can_manage_previews(current_user, doc):
        return None
    return {"links": [(link, previews.status(link))
                      for link in previews.links(current_user, doc)],
            "max_days": previews.MAX_DAYS, "default_days": previews.DEFAULT_DAYS}


@bp.route("/documents/<int:document_id>/preview-links", methods=["POST"])
def create(document_id):
    doc = get_document(current_user, document_id)
    form = request.form
    link, raw = previews.create_link(current_user, doc, form.get("label"), form.get("days"),
                                     allow_comments=form.get("allow_comments") == "1")
    # Shown once, in this response only: the token is neither stored nor flashed.
    page = render_template("previews/created.html", doc=doc, link=link,
                           url=previews.url_for_token(raw))
    return private_headers(page)


@bp.route("/documents/<int:document_id>/preview-links/<int:link_id>/revoke", methods=["POST"])
def revoke(document_id, link_id):
    doc = get_document(current_user, document_id)
    link = previews.revoke_link(current_user, doc, link_id)
    flash(_("The preview link for %(label)s no longer works.", label=link.label), "info")
    return redirect(url_for("documents.show", document_id=doc.id))
