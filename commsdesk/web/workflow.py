"""Workflow actions, approvals and the approval policy page."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import diff, documents, kinds, workflow
from ..access import APPROVER, get_document, is_admin, is_owner_org
from ..errors import Conflict, Forbidden, NotFound
from ..publishing import overview
from ..times import organisation_zone, parse_datetime
from . import members_only
from .filters import local_input

bp = Blueprint("workflow", __name__)

# Lazy: translated when flashed, in the language of whoever acted.
DONE = {
    "submit": _l("Sent for review."), "approve": _l("Your approval is recorded."),
    "request_changes": _l("Changes requested."), "schedule": _l("Scheduled."),
    "recall": _l("Recalled from review: it is a draft again."),
    "unschedule": _l("No longer scheduled."), "publish": _l("Marked as published."),
    "reschedule": _l("Rescheduled."),
    "withdraw": _l("Withdrawn."), "archive": _l("Archived."), "reopen": _l("Reopened as a draft."),
}


members_only(bp)


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
    elif action in ("schedule", "reschedule"):
        params["at"] = parse_datetime(form.get("at") or None, organisation_zone(doc),
                                      label=_("Publish at"))
    if action in ("schedule", "publish"):
        # The form offers channels with a marker; without it (a kind with no channel, an
        # older page), every channel that publishes the kind.
        chosen = form.getlist("channel") if form.get("channels_offered") else None
        params["channels"] = overview.channel_choice(doc, chosen)
    try:
        workflow.perform(current_user, doc, action, **params)
    except Conflict as exc:
        if action != "approve" or "current_revision_id" not in exc.details:
            raise
        return _changed_while_reading(doc, params["revision_id"], exc.message)
    message = str(DONE.get(action, ""))
    if action == "publish" and doc.state == workflow.SCHEDULED:
        message = _("Publishing: it goes out within seconds.")
    if action == "approve":
        status = workflow.approval_status(doc)
        if status.agreed and status.shared:
            message = _("The document is agreed by every organisation.")
    flash(message, "info")
    return redirect(url_for("documents.show", document_id=doc.id))


def _changed_while_reading(doc, read_id, message):
    """The text changed while the approver read it: what changed since, and a button to
    approve the revision that is current now."""
    try:
        read = documents.get_revision(doc, read_id)
    except NotFound:
        read = None
    changes = diff.diff_content(read.content, doc.current_revision.content) if read else []
    can_approve = "approve" in workflow.allowed_actions(current_user, doc)
    return render_template("workflow/changed.html", doc=doc, read=read, changes=changes,
                           message=message, can_approve=can_approve), 409


@bp.route("/documents/<int:document_id>/review", methods=["POST"])
def change_review(document_id):
    """Change the reviewers or the due time of a running review."""
    doc = get_document(current_user, document_id)
    form = request.form
    due = form.get("due_at") or None
    current = next((r.due_at for r in workflow.open_requests_for(doc) if r.due_at), None)
    # The form shows the current due time: sent back as it was, it is kept (even if past).
    unchanged = (due or "") == local_input(current)
    due_at = workflow.UNCHANGED if unchanged else parse_datetime(
        due, organisation_zone(doc), label=_("Review due"))
    workflow.update_review(current_user, doc, reviewer_ids=form.getlist("reviewer"),
                           due_at=due_at)
    flash(_("The review is updated."), "info")
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
    editing_review = doc.state == workflow.IN_REVIEW and "recall" in actions
    choosing = "submit" in actions or editing_review
    reviewers = workflow.possible_reviewers(doc, current_user) if choosing else []
    status = workflow.approval_status(doc)
    own = status.of(current_user.organisation_id)
    requests = workflow.open_requests_for(doc)
    if "submit" in actions:
        chosen = {u.id for u in workflow.previous_reviewers(doc)}
    else:
        chosen = {r.reviewer_id for r in requests}
    publishing = "publish" in actions or "schedule" in actions
    return {
        "actions": actions,
        "transitions": workflow.TRANSITIONS,
        "channels": overview.offered_channels(doc) if publishing else [],
        "status": status,
        "since": own.last_approved_revision_id if own else None,
        "requests": requests,
        "reviewers": reviewers,
        "chosen": chosen,
        "editing_review": editing_review,
        "due_at": next((r.due_at for r in requests if r.due_at), None),
        "own_text": workflow.own_text_reason(current_user, doc),
        "bar": "approve" in actions,
    }


@bp.app_template_global()
def review_bar(doc):
    """For a reviewer who has still to decide: the revision to approve and what changed
    since they last looked (None for everybody else)."""
    if doc.state != workflow.IN_REVIEW or \
            "approve" not in workflow.allowed_actions(current_user, doc):
        return None
    since = workflow.last_seen_revision(current_user, doc)
    changes = diff.diff_content(since.content, doc.current_revision.content) if since else []
    return {"revision": doc.current_revision, "since": since, "changes": changes}


@bp.app_template_global()
def changes_note(doc):
    """The note that asked for changes, for the owning organisation and the requester's own."""
    note = workflow.changes_requested_note(doc)
    if note is None:
        return None
    if is_owner_org(current_user, doc) or note["organisation_id"] == current_user.organisation_id:
        return note
    return None
