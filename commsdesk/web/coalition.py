"""Sharing with coalition partners, signatories and the decision trail."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import coalition, workflow
from ..access import can_order_signatories, can_share, can_sign_for, get_document, is_owner_org
from ..trail import export_trail
from . import members_only

bp = Blueprint("coalition", __name__)


members_only(bp)


@bp.app_context_processor
def panel_helper():
    return {"coalition_panel": panel, "coalition_signatories": coalition.signatories}


def panel(doc):
    """What the document page's coalition panel shows to the current user."""
    user = current_user
    status = workflow.approval_status(doc)
    sharing = can_share(user, doc)
    return {
        "shares": coalition.shares(doc),
        "can_share": sharing,
        "candidates": coalition.share_candidates(doc) if sharing else [],
        "status": status,
        "signatories": coalition.signatories(doc),
        "can_sign": can_sign_for(user, doc) and doc.state in workflow.EDITABLE,
        "can_order": can_order_signatories(user, doc) and doc.state in workflow.EDITABLE,
        "is_owner_org": is_owner_org(user, doc),
    }


def _back(doc):
    return redirect(url_for("documents.show", document_id=doc.id) + "#coalition")


@bp.post("/documents/<int:document_id>/shares")
def share(document_id):
    doc = get_document(current_user, document_id)
    row = coalition.share(current_user, doc, request.form.get("organisation", ""))
    flash(_("Shared with %(org)s. They must approve it too.", org=row.organisation.name), "info")
    return _back(doc)


@bp.post("/documents/<int:document_id>/shares/<slug>/delete")
def unshare(document_id, slug):
    doc = get_document(current_user, document_id)
    coalition.unshare(current_user, doc, slug)
    flash(_("No longer shared with that organisation; its users have lost access."), "info")
    return _back(doc)


@bp.post("/documents/<int:document_id>/signatories")
def add_signatory(document_id):
    doc = get_document(current_user, document_id)
    form = request.form
    coalition.add_signatory(current_user, doc, form.get("name"), form.get("title", ""))
    flash(_("Signatory added."), "info")
    return _back(doc)


@bp.post("/documents/<int:document_id>/signatories/<int:signatory_id>")
def update_signatory(document_id, signatory_id):
    doc = get_document(current_user, document_id)
    signatory = coalition.get_signatory(current_user, doc, signatory_id)
    form = request.form
    coalition.update_signatory(current_user, doc, signatory, name=form.get("name"),
                               title=form.get("title"), position=form.get("position") or None)
    flash(_("Signatory saved."), "info")
    return _back(doc)


@bp.post("/documents/<int:document_id>/signatories/<int:signatory_id>/move")
def move_signatory(document_id, signatory_id):
    doc = get_document(current_user, document_id)
    signatory = coalition.get_signatory(current_user, doc, signatory_id)
    coalition.move_signatory(current_user, doc, signatory, request.form.get("direction"))
    return _back(doc)


@bp.post("/documents/<int:document_id>/signatories/<int:signatory_id>/delete")
def remove_signatory(document_id, signatory_id):
    doc = get_document(current_user, document_id)
    signatory = coalition.get_signatory(current_user, doc, signatory_id)
    coalition.remove_signatory(current_user, doc, signatory)
    flash(_("Signatory removed."), "info")
    return _back(doc)


@bp.get("/documents/<int:document_id>/trail")
def trail(document_id):
    doc, data = export_trail(current_user, document_id, "html")
    return render_template("coalition/trail.html", doc=doc, trail=data)


@bp.get("/documents/<int:document_id>/trail.json")
def trail_json(document_id):
    doc, data = export_trail(current_user, document_id, "json")
    response = jsonify(data)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="decision-trail-{doc.id}.json"')
    return response
