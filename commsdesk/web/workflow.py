"""Workflow actions, approvals and the approval policy page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import kinds, workflow
from ..access import APPROVER, get_document, is_admin
from ..errors import Forbidden
from ..times import organisation_zone, parse_datetime

bp = Blueprint("workflow", __name__)

DONE = {
    "submit": _("Sent for review."), "approve": _("Your approval is recorded."),
    "request_changes": _("Changes requested."), "schedule": _("Scheduled."),
    "unschedule": _("No longer scheduled."), "publish": _("Marked as published."),
    "withdraw": _("Withdrawn."), "archive": _("Archived."), "reopen": _("Reopened as a draft."),
}


@bp.before_request
@login_required
def require_login():
    if current_user.organisation_id is None:
        raise Forbidden(_("You belong to no organisation."))


@bp.route("/documents/<int:document_id>/actions/<action>", methods=["POST"])
def act(document_id, action):
    doc = get_document(current_user, document_id)
    form = request.form
    params = {}
    if action == "submit":
        params["reviewer_ids"] = form.getlist("reviewer")
        params["due_at"] = parse_datetime(form.get("due_at") or None, organisation_zone(doc),
                                          label=_("Review due"))
    elif action == "approve":
        params["revision_id"] = form.get("revision_id")
    elif action == "request_changes":
        params["message"] = form.get("message", "")
    elif action == "schedule":
        params["at"] = parse_datetime(form.get("at") or None, organisation_zone(doc),
                                      label=_("Publish at"))
    workflow.perform(current_user, doc, action, **params)
    message = DONE.get(action, "")
    if action == "approve":
        status = workflow.approval_status(doc)
        if status.agreed and status.shared:
            message = _("The document is agreed by every organisation.")
    flash(message, "info")
    return redirect(url_for("documents.show", document_id=doc.id))


@bp.route("/settings/approvals", methods=["GET", "POST"])
def policy():
    if not is_admin(current_user):
        raise Forbidden(_("Only an admin may change the approval policy."))
    if request.method == "POST":
        for key in kinds.KINDS:
            workflow.set_policy(current_user, key, request.form.get(f"role-{key}", APPROVER),
                                request.form.get(f"self-{key}") == "on")
        flash(_("Approval policy saved."), "info")
        return redirect(url_for(".policy"))
    rows = {key: workflow.policy(current_user.organisation_id, key) for key in kinds.KINDS}
    return render_template("workflow/policy.html", rows=rows)


@bp.app_template_global()
def workflow_panel(doc):
    """What the document page shows about the workflow, for the current user."""
    actions = workflow.allowed_actions(current_user, doc)
    reviewers = workflow.possible_reviewers(doc, current_user) if "submit" in actions else []
    status = workflow.approval_status(doc)
    own = status.of(current_user.organisation_id)
    return {
        "actions": actions,
        "transitions": workflow.TRANSITIONS,
        "status": status,
        "since": own.last_approved_revision_id if own else None,
        "requests": workflow.open_requests_for(doc),
        "reviewers": reviewers,
        "own_text": workflow.is_own_text(current_user, doc),
    }
