"""Comments and suggestions on a document."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import diff, discussion, documents, kinds, workflow
from ..access import can_edit, get_document
from ..errors import Conflict, ValidationError
from . import members_only
from .documents import form_content

bp = Blueprint("discussion", __name__)


members_only(bp)


@bp.app_template_global()
def discussion_panel(doc):
    """What the document page shows of the discussion, for the current user."""
    threads = discussion.threads(current_user, doc)
    return {
        "open": [t for t in threads if not t.resolved],
        "resolved": [t for t in threads if t.resolved],
        "suggestions": discussion.suggestions(current_user, doc, status="open"),
        "can_edit": can_edit(current_user, doc),
        "editable": doc.state in workflow.EDITABLE,
    }


@bp.app_template_global()
def suggestion_status(status):
    return discussion.status_label(status)


def _show(doc, anchor=None):
    return redirect(url_for("documents.show", document_id=doc.id, _anchor=anchor))


# --- comments ------------------------------------------------------------------------------

@bp.route("/documents/<int:document_id>/comments", methods=["GET", "POST"])
def comment(document_id):
    doc = get_document(current_user, document_id)
    form = request.form if request.method == "POST" else request.args
    values = {"body": form.get("body", ""), "quote": form.get("quote", ""),
              "parent_id": form.get("parent_id", "")}
    parent = discussion.get_comment(doc, values["parent_id"]) if values["parent_id"] else None
    if request.method == "GET":
        return _comment_form(doc, values, parent)
    try:
        created = discussion.add_comment(current_user, doc, values["body"], quote=values["quote"],
                                     parent_id=values["parent_id"] or None)
    except ValidationError as exc:
        return _comment_form(doc, values, parent, error=exc.message, status=422)
    flash(_("Your reply is posted.") if parent else _("Your comment is posted."), "info")
    if created.mentioned:
        flash(_("Mentioned: %(names)s.", names=", ".join(u.name for u in created.mentioned)),
              "info")
    if created.ambiguous_mentions:
        flash(_("%(names)s matches more than one person, so nobody was told: write the whole "
                "email address, e.g. @name@example.org.",
                names=", ".join("@" + n for n in created.ambiguous_mentions)), "warning")
    return _show(doc, f"comment-{created.id}")


def _comment_form(doc, values, parent, error=None, status=200):
    return render_template("discussion/comment.html", doc=doc, values=values, parent=parent,
                           error=error, can_edit=can_edit(current_user, doc)), status


@bp.route("/documents/<int:document_id>/comments/<int:comment_id>/<any(resolve, reopen):action>",
          methods=["POST"])
def decide_comment(document_id, comment_id, action):
    doc = get_document(current_user, document_id)
    act = discussion.resolve_comment if action == "resolve" else discussion.reopen_comment
    try:
        act(current_user, doc, comment_id)
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash(_("Thread resolved.") if action == "resolve" else _("Thread reopened."), "info")
    return _show(doc, f"comment-{comment_id}")


# --- suggestions ---------------------------------------------------------------------------

@bp.route("/documents/<int:document_id>/suggest", methods=["GET", "POST"])
def suggest(document_id):
    doc = get_document(current_user, document_id)
    if request.method == "GET":
        return _suggest_form(doc, doc.current_revision.content, doc.current_revision_id)
    data, note = form_content(doc, request.form), request.form.get("note", "")
    try:
        created = discussion.create_suggestion(current_user, doc, data,
                                           request.form.get("base_revision_id"), note=note)
    except ValidationError as exc:
        return _suggest_form(doc, data, request.form.get("base_revision_id"), note=note,
                             error=exc.message, status=422, raw=True)
    except Conflict as exc:
        # The text moved on (or cannot change now): keep theirs, show what changed meanwhile.
        since = None
        if exc.details.get("base_revision_id"):
            base = documents.get_revision(doc, exc.details["base_revision_id"])
            since = diff.diff_content(base.content, doc.current_revision.content)
        return _suggest_form(doc, exc.details.get("proposed", data), doc.current_revision_id,
                             note=note, error=exc.message, since=since, status=409)
    flash(_("Your suggestion is sent to the document's editors."), "info")
    return redirect(url_for(".suggestion", document_id=doc.id, suggestion_id=created.id))


def _suggest_form(doc, content, base_id, note="", error=None, since=None, status=200,
                  raw=False):
    """The suggestion form; raw: content is the form as sent (times in local time)."""
    return render_template(
        "discussion/suggest.html", doc=doc, content=content, base_id=base_id, note=note,
        error=error, since=since, kind=kinds.get_kind(doc.kind), raw=raw,
        can_edit=can_edit(current_user, doc),
    ), status


@bp.route("/documents/<int:document_id>/suggestions")
def suggestions(document_id):
    doc = get_document(current_user, document_id)
    return render_template("discussion/suggestions.html", doc=doc,
                           items=discussion.suggestions(current_user, doc),
                           can_edit=can_edit(current_user, doc))


@bp.route("/documents/<int:document_id>/suggestions/<int:suggestion_id>")
def suggestion(document_id, suggestion_id, error=None, status=200):
    doc = get_document(current_user, document_id)
    item = discussion.get_suggestion(current_user, doc, suggestion_id)
    return render_template(
        "discussion/suggestion.html", doc=doc, item=item,
        review_changes=discussion.changes(doc, item),
        stale=discussion.is_stale(doc, item), reason=discussion.rejection_reason(doc, item),
        can_edit=can_edit(current_user, doc), error=error,
        editable=doc.state in workflow.EDITABLE,
    ), status


@bp.route("/documents/<int:document_id>/suggestions/<int:suggestion_id>/accept",
          methods=["POST"])
def accept(document_id, suggestion_id):
    doc = get_document(current_user, document_id)
    try:
        item = discussion.accept_suggestion(current_user, doc, suggestion_id)
    except Conflict as exc:
        return suggestion(document_id, suggestion_id, error=exc.message, status=409)
    flash(_("Suggestion accepted: it is now revision %(n)d.",
            n=doc.current_revision.number), "info")
    return redirect(url_for(".suggestion", document_id=doc.id, suggestion_id=item.id))


@bp.route("/documents/<int:document_id>/suggestions/<int:suggestion_id>/reject",
          methods=["POST"])
def reject(document_id, suggestion_id):
    doc = get_document(current_user, document_id)
    try:
        item = discussion.reject_suggestion(current_user, doc, suggestion_id,
                                        reason=request.form.get("reason", ""))
    except Conflict as exc:
        return suggestion(document_id, suggestion_id, error=exc.message, status=409)
    flash(_("Suggestion rejected."), "info")
    return redirect(url_for(".suggestion", document_id=doc.id, suggestion_id=item.id))
