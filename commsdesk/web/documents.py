"""Dashboard, document list, editor, preview, autosave, history and diffs."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import diff, documents, kinds, workflow
from ..access import can_edit, can_reassign, get_document
from ..api import ApiError, json_body
from ..errors import Conflict, DomainError, ValidationError
from ..extensions import db
from ..models import Tag, User
from ..publishing import health
from ..rendering import render_markdown
from ..times import organisation_zone
from . import members_only, page_arg
from .forms import NewDocumentForm

bp = Blueprint("documents", __name__)
PER_PAGE = 25


members_only(bp)


@bp.route("/")
def dashboard():
    broken = health.problems(current_user.organisation_id) \
        if current_user.organisation_id else []
    return render_template("documents/dashboard.html", board=documents.dashboard(current_user),
                           overdue=workflow.overdue_reviews(current_user), broken=broken)


@bp.route("/documents")
def index():
    args = request.args
    page = page_arg()
    items, total = documents.list_documents(
        current_user, q=args.get("q"), kind=args.get("kind"), tag=args.get("tag"),
        owner=args.get("owner"), state=args.get("state"), page=page, per_page=PER_PAGE,
    )
    filters = {k: v for k, v in args.items() if k != "page" and v}
    return render_template(
        "documents/index.html", items=items, total=total, page=page,
        pages=max(1, -(-total // PER_PAGE)), filters=filters,
        users=_org_users(), tags=_org_tags(),
    )


@bp.route("/documents/new", methods=["GET", "POST"])
def new():
    form = NewDocumentForm(kind=request.args.get("kind"))
    if form.validate_on_submit():
        doc = documents.create_document(current_user, form.kind.data, {"title": form.title.data})
        return redirect(url_for(".edit", document_id=doc.id))
    return render_template("documents/new.html", form=form)


@bp.route("/documents/<int:document_id>")
def show(document_id):
    doc = get_document(current_user, document_id)
    content = doc.current_revision.content
    return render_template(
        "documents/show.html", doc=doc, content=content, can_edit=can_edit(current_user, doc),
        stats=kinds.text_stats(content), warnings=kinds.warnings(doc.kind, content),
    )


def form_content(doc, form):
    """Revision content as the editor form (and the suggestion form) sends it."""
    kind = kinds.get_kind(doc.kind)
    data = {"title": form.get("title"), "lead": form.get("lead"), "body": form.get("body"),
            "fields": {s.name: form.get(f"fields-{s.name}") for s in kind.fields}}
    if kind.platforms:
        data["variants"] = {key: form.get(f"variants-{key}", "") for key in kind.platforms}
    return data


@bp.route("/documents/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id):
    doc = get_document(current_user, document_id)
    if not can_edit(current_user, doc):
        flash(_("You may read this document but not change it."), "error")
        return redirect(url_for(".show", document_id=doc.id))
    if request.method == "POST":
        return _save(doc)
    recovered = documents.pending_autosave(current_user, doc)
    content = recovered.content if recovered else doc.current_revision.content
    base_id = recovered.base_revision_id if recovered else doc.current_revision_id
    return _editor(doc, content, base_id, recovered=recovered)


def _editor(doc, content, base_id, recovered=None, status=200, error=None, typed=None):
    """The editor page; typed: the refused form, shown again as it was sent."""
    return render_template(
        "documents/edit.html", doc=doc, content=content, base_id=base_id, recovered=recovered,
        kind=kinds.get_kind(doc.kind), users=_org_users(),
        can_reassign=can_reassign(current_user), tag_text=", ".join(t.name for t in doc.tags),
        error=error, typed=typed,
    ), status


def _save(doc):
    form = request.form
    data = form_content(doc, form)
    try:
        revision, created = documents.save(
            current_user, doc, data, form.get("base_revision_id"), note=form.get("note", ""),
            tags=form.get("tags"),
            deadline=(form["deadline"] or None) if "deadline" in form else ...,
            owner_id=form.get("owner"),
        )
    except Conflict as exc:
        if "proposed" not in exc.details:  # e.g. published text: not a newer revision
            raise
        current = doc.current_revision
        proposed = exc.details["proposed"]
        return render_template(
            "documents/conflict.html", doc=doc, current=current, proposed=proposed,
            changes=diff.diff_content(current.content, proposed),
        ), 409
    except ValidationError as exc:
        db.session.rollback()  # nothing of the refused save is kept
        return _editor(doc, data, form.get("base_revision_id"), status=422,
                       error=exc.message, typed=form)
    if created:
        flash(_("Saved as revision %(n)d.", n=revision.number), "info")
    else:
        flash(_("No changes to the text; details saved."), "info")
    return redirect(url_for(".edit", document_id=doc.id))


def _draft(doc):
    """The editor's draft from a JSON body, read as strictly as the API reads one (no NaN,
    Infinity or out-of-range numbers, no NUL) and checked as a save checks its content."""
    if not request.is_json:
        raise ApiError(400, _("Send the draft as JSON."))
    data = json_body()
    content = documents.normalise_content(
        doc.kind, {**data, "title": data.get("title") or doc.title}, organisation_zone(doc))
    return data, content


@bp.route("/documents/<int:document_id>/preview", methods=["POST"])
def preview(document_id):
    doc = get_document(current_user, document_id)
    try:
        _data, content = _draft(doc)
    except DomainError as exc:  # the editor's script reads JSON, also when refused
        return jsonify(error=exc.message), exc.status
    kind = kinds.get_kind(doc.kind)
    return jsonify(
        lead_html=render_markdown(content["lead"]),
        html=render_markdown(content["body"]),
        stats=kinds.text_stats(content),
        limit=kinds.length_limit(kind, content),
        warnings=kinds.warnings(doc.kind, content),
        variants=kinds.variant_counts(content) if kind.platforms else {},
    )


@bp.route("/documents/<int:document_id>/autosave", methods=["POST"])
def autosave(document_id):
    doc = get_document(current_user, document_id)
    try:
        data, _content = _draft(doc)
        result = documents.store_autosave(current_user, doc, data, data.get("base_revision_id"))
    except DomainError as exc:
        db.session.rollback()
        return jsonify(error=exc.message), exc.status
    return jsonify(saved_at=result["saved_at"].isoformat(), stale=result["stale"],
                   current_revision_id=doc.current_revision_id)


@bp.route("/documents/<int:document_id>/autosave/discard", methods=["POST"])
def discard_autosave(document_id):
    doc = get_document(current_user, document_id)
    documents.discard_autosave(current_user, doc)
    flash(_("Unsaved changes discarded."), "info")
    return redirect(url_for(".edit", document_id=doc.id))


@bp.route("/documents/<int:document_id>/history")
def history(document_id):
    doc = get_document(current_user, document_id)
    return render_template("documents/history.html", doc=doc,
                           revisions=documents.revisions(doc), can_edit=can_edit(current_user, doc))


@bp.route("/documents/<int:document_id>/revisions/<int:revision_id>")
def revision(document_id, revision_id):
    doc = get_document(current_user, document_id)
    rev = documents.get_revision(doc, revision_id)
    return render_template("documents/revision.html", doc=doc, rev=rev,
                           can_edit=can_edit(current_user, doc))


@bp.route("/documents/<int:document_id>/diff")
def compare(document_id):
    doc = get_document(current_user, document_id)
    revs = documents.revisions(doc)
    a_id = request.args.get("a") or (revs[1].id if len(revs) > 1 else revs[0].id)
    b_id = request.args.get("b") or revs[0].id
    a, b = documents.get_revision(doc, a_id), documents.get_revision(doc, b_id)
    return render_template("documents/diff.html", doc=doc, a=a, b=b, revisions=revs,
                           changes=diff.diff_content(a.content, b.content))


@bp.route("/documents/<int:document_id>/revisions/<int:revision_id>/restore", methods=["POST"])
def restore(document_id, revision_id):
    doc = get_document(current_user, document_id)
    revision, created = documents.restore_revision(current_user, doc, revision_id)
    if created:
        flash(_("Restored as revision %(n)d.", n=revision.number), "info")
    else:
        flash(_("That revision's text is already the current text."), "info")
    return redirect(url_for(".history", document_id=doc.id))


def _org_users():
    return db.session.execute(
        select(User).where(User.organisation_id == current_user.organisation_id)
        .order_by(User.name)
    ).scalars().all()


def _org_tags():
    return db.session.execute(
        select(Tag).where(Tag.organisation_id == current_user.organisation_id).order_by(Tag.name)
    ).scalars().all()
