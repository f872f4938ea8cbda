"""Newspaper submissions on the signed-in side: the outlets settings page (/settings/outlets)
and, on an op-ed's or letter's page, the panel that offers it to an outlet and records the
desk's answers."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import kinds, outlets, submissions, workflow
from ..access import can_edit, get_document
from ..errors import Conflict, ValidationError
from ..extensions import db
from ..models import utcnow
from ..publishing import overview
from . import members_only

bp = Blueprint("submissions", __name__)
members_only(bp)

OUTLET_FIELDS = ("name", "email", "length_limit", "exclusivity_note", "reply_days")
# Lazy: translated when flashed, in the language of whoever acted.
DONE = {"accept": _l("Marked as accepted."), "refuse": _l("Marked as refused."),
        "publish": _l("Marked as published."),
        "withdraw": _l("Withdrawn: the desk is told by email.")}


# --- outlets --------------------------------------------------------------------------------

@bp.get("/settings/outlets/")
def outlet_index():
    outlets.require_manage(current_user)
    return render_template("submissions/outlets.html",
                           rows=outlets.for_organisation(current_user.organisation_id))


def _outlet_values():
    values = {key: request.form.get(key, "") for key in OUTLET_FIELDS}
    values["wants_exclusive"] = bool(request.form.get("wants_exclusive"))
    return values


def _outlet_form(outlet, values, status=200):
    return render_template("submissions/outlet_form.html", outlet=outlet,
                           values=values), status


@bp.route("/settings/outlets/new", methods=["GET", "POST"])
def outlet_new():
    outlets.require_manage(current_user)
    if request.method == "GET":
        return _outlet_form(None, {"reply_days": outlets.DEFAULT_REPLY_DAYS})
    values = _outlet_values()
    try:
        outlet = outlets.save(current_user, values)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _outlet_form(None, values, 422)
    flash(_("Outlet %(name)s added.", name=outlet.name), "info")
    return redirect(url_for(".outlet_index"))


@bp.route("/settings/outlets/<int:outlet_id>", methods=["GET", "POST"])
def outlet_edit(outlet_id):
    outlet = outlets.get_outlet(current_user, outlet_id)  # another's: 404 before 403
    outlets.require_manage(current_user)
    if request.method == "GET":
        return _outlet_form(outlet, {f: getattr(outlet, f) for f in outlets.FIELDS})
    values = _outlet_values()
    try:
        outlets.save(current_user, values, outlet)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _outlet_form(outlet, values, 422)
    flash(_("Outlet %(name)s saved.", name=outlet.name), "info")
    return redirect(url_for(".outlet_index"))


@bp.post("/settings/outlets/<int:outlet_id>/active")
def outlet_active(outlet_id):
    outlet = outlets.get_outlet(current_user, outlet_id)
    active = request.form.get("active") == "1"
    outlets.save(current_user, {"active": active}, outlet)
    flash(_("Outlet %(name)s can be chosen again.", name=outlet.name) if active else
          _("Outlet %(name)s deactivated: texts are no longer offered to it.",
            name=outlet.name), "info")
    return redirect(url_for(".outlet_index"))


# --- the document's panel ---------------------------------------------------------------------

@bp.app_template_global()
def submission_state_label(state):
    return submissions.STATE_LABELS.get(state, state)


@bp.app_template_global()
def submissions_panel(doc):
    """What an op-ed's or letter's page shows about its submissions (None for other kinds)."""
    if doc.kind not in submissions.KINDS:
        return None
    rows = submissions.for_document(doc)
    can = submissions.can_submit(current_user, doc)
    if not rows and not can:
        return None
    gate = None
    if can:
        try:
            submissions.approved_revision(doc)
        except Conflict as exc:
            gate = exc.message
    published = next((r for r in rows if r.state == "published"), None)
    newsroom = []
    if published and can and "publish" in workflow.allowed_actions(current_user, doc):
        newsroom = [c for c in overview.offered_channels(doc) if c.type == "website"]
    now = utcnow()
    return {
        "rows": rows, "can_submit": can, "gate": gate, "now": now,
        "outlets": outlets.for_organisation(doc.organisation_id, active_only=True) if can
        else [],
        "actions": {r.id: submissions.allowed_actions(current_user, doc, r) for r in rows},
        "overdue": [r for r in rows if submissions.is_overdue(r, now)],
        "open": [r for r in rows if r.state in ("offered", "accepted")],
        "published": published, "newsroom": newsroom[0] if newsroom else None,
        "presentation": submissions.default_presentation(doc),
        "used": submissions.length_used(doc.current_revision),
    }


def _document_page(doc, form, status):
    """The document page again with the refused submission form as it was sent."""
    content = doc.current_revision.content
    return render_template(
        "documents/show.html", doc=doc, content=content, can_edit=can_edit(current_user, doc),
        stats=kinds.text_stats(content), warnings=kinds.warnings(doc.kind, content),
        submission_form=form), status


def _back(doc):
    return redirect(url_for("documents.show", document_id=doc.id) + "#submissions")


@bp.post("/documents/<int:document_id>/submissions")
def submit(document_id):
    doc = get_document(current_user, document_id)
    form = {k: request.form.get(k, "") for k in ("outlet_id", "presentation", "note",
                                                 "reply_by")}
    try:
        row = submissions.submit(current_user, doc, form["outlet_id"], form["presentation"],
                                 form["note"], form["reply_by"] or None)
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _document_page(doc, form, exc.status)
    flash(_("Offered to %(outlet)s: the text is on its way to the desk.",
            outlet=row.outlet.name), "info")
    return _back(doc)


def _change(document_id, submission_id, action, **params):
    doc = get_document(current_user, document_id)
    row = submissions.get_submission(doc, submission_id)
    try:
        submissions.change_state(current_user, doc, row, action, **params)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _document_page(doc, {"submission_id": row.id, **params}, 422)
    flash(str(DONE[action]), "info")
    return _back(doc)


@bp.post("/documents/<int:document_id>/submissions/<int:submission_id>/accept")
def accept(document_id, submission_id):
    return _change(document_id, submission_id, "accept")


@bp.post("/documents/<int:document_id>/submissions/<int:submission_id>/refuse")
def refuse(document_id, submission_id):
    return _change(document_id, submission_id, "refuse")


@bp.post("/documents/<int:document_id>/submissions/<int:submission_id>/publish")
def publish(document_id, submission_id):
    return _change(document_id, submission_id, "publish",
                   published_on=request.form.get("published_on", ""),
                   published_url=request.form.get("published_url", ""))


@bp.post("/documents/<int:document_id>/submissions/<int:submission_id>/withdraw")
def withdraw(document_id, submission_id):
    return _change(document_id, submission_id, "withdraw")


@bp.post("/documents/<int:document_id>/submissions/<int:submission_id>/reply-by")
def reply_by(document_id, submission_id):
    doc = get_document(current_user, document_id)
    row = submissions.get_submission(doc, submission_id)
    submissions.set_reply_by(current_user, doc, row, request.form.get("reply_by", ""))
    flash(_("Reply deadline changed."), "info")
    return _back(doc)
