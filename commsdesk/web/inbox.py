"""The notification inbox and preferences, preview links and the audit log."""
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from .. import auditlog, notifications, previews
from ..access import get_document
from ..errors import DomainError, NotFound
from ..extensions import db
from ..models import utcnow
from . import safe_next

bp = Blueprint("inbox", __name__)
PER_PAGE = 25
# The preview pages answer people without an account.
PUBLIC = {"inbox.preview"}


@bp.before_request
def require_login():
    if request.endpoint in PUBLIC:
        return None
    return _login_required()


@login_required
def _login_required():
    if current_user.organisation_id is None and not current_user.is_superuser:
        abort(403)


@bp.after_request
def private_headers(response):
    """Preview pages and new tokens: never indexed, cached or sent on as a referrer."""
    if request.endpoint in PUBLIC or request.endpoint == "inbox.create_preview_link":
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def inbox_unread_count():
    """For the navigation: the signed-in user's unread notifications."""
    if not current_user.is_authenticated:
        return 0
    try:
        return notifications.unread_count(current_user)
    except SQLAlchemyError:  # an error page after a database failure must still render
        db.session.rollback()
        return 0


@bp.app_template_global()
def preview_panel(doc):
    """For the document page: the preview links the user may manage, else None."""
    if not current_user.is_authenticated or not previews.can_manage(current_user, doc):
        return None
    return {"links": [(link, previews.status(link))
                      for link in previews.links(current_user, doc)],
            "max_days": previews.MAX_DAYS, "default_days": previews.DEFAULT_DAYS}


@bp.app_template_global()
def can_read_audit(doc):
    return current_user.is_authenticated and auditlog.can_read_document_log(current_user, doc)


# --- the inbox --------------------------------------------------------------------------

@bp.route("/inbox")
def index():
    page = max(1, request.args.get("page", 1, type=int))
    unread_only = request.args.get("unread") == "1"
    items, total = notifications.inbox(current_user, page, PER_PAGE, unread_only)
    rows = [(n, notifications.describe(n.event, n.document.title if n.document else "",
                                       n.actor, n.data, reader=current_user),
             notifications.excerpt(n.data)) for n in items]
    return render_template("inbox/index.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), unread_only=unread_only,
                           unread=notifications.unread_count(current_user))


def _back():
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for(".index"))


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id):
    notifications.mark_read(current_user, notification_id)
    return _back()


@bp.route("/inbox/<int:notification_id>/unread", methods=["POST"])
def mark_unread(notification_id):
    notifications.mark_unread(current_user, notification_id)
    return _back()


@bp.route("/inbox/<int:notification_id>/open", methods=["POST"])
def open_notification(notification_id):
    note = notifications.mark_read(current_user, notification_id)
    if note.document_id is None:
        return redirect(url_for(".index"))
    return redirect(url_for("documents.show", document_id=note.document_id))


@bp.route("/inbox/read-all", methods=["POST"])
def mark_all_read():
    count = notifications.mark_all_read(current_user)
    flash(_("%(n)d notifications marked as read.", n=count), "info")
    return redirect(url_for(".index"))


@bp.route("/inbox/preferences", methods=["GET", "POST"])
def preferences():
    if request.method == "POST":
        notifications.set_preferences(current_user, request.form.getlist("email"))
        flash(_("Your notification settings are saved."), "info")
        return redirect(url_for(".preferences"))
    return render_template("inbox/preferences.html", events=notifications.EVENTS,
                           labels=notifications.EVENT_LABELS,
                           chosen=notifications.preferences(current_user),
                           defaults=notifications.EMAIL_DEFAULTS)


# --- preview links ----------------------------------------------------------------------

@bp.route("/documents/<int:document_id>/preview-links", methods=["POST"])
def create_preview_link(document_id):
    doc = get_document(current_user, document_id)
    form = request.form
    link, raw = previews.create_link(current_user, doc, form.get("label"), form.get("days"),
                                     allow_comments=form.get("allow_comments") == "1")
    # Shown once, in this response only: the token is neither stored nor flashed.
    return render_template("previews/created.html", doc=doc, link=link,
                           url=previews.url_for_token(raw))


@bp.route("/documents/<int:document_id>/preview-links/<int:link_id>/revoke", methods=["POST"])
def revoke_preview_link(document_id, link_id):
    doc = get_document(current_user, document_id)
    link = previews.revoke_link(current_user, doc, link_id)
    flash(_("The preview link for %(label)s no longer works.", label=link.label), "info")
    return redirect(url_for("documents.show", document_id=doc.id))


@bp.route("/p/<token>", methods=["GET", "POST"])
def preview(token):
    """A person without an account reads the link's revision and may leave a comment."""
    try:
        link = previews.open_link(token)
    except NotFound:
        return render_template("previews/unavailable.html"), 404
    form, error, status = {}, None, 200
    if request.method == "POST":
        form = {"name": request.form.get("name", ""), "body": request.form.get("body", "")}
        try:
            previews.guest_comment(token, form["name"], form["body"])
        except NotFound:
            return render_template("previews/unavailable.html"), 404
        except DomainError as exc:
            db.session.rollback()
            error, status = exc.message, exc.status
        else:
            flash(_("Thank you. Your comment has been sent."), "info")
            return redirect(url_for(".preview", token=token))
    doc = previews.link_document(link)
    return render_template(
        "previews/show.html", link=link, doc=doc, content=link.revision.content,
        newer=previews.has_newer_revision(link), comments=previews.guest_comments(link),
        form=form, error=error, max_comment=previews.MAX_COMMENT, token=token,
    ), status


# --- the audit log ----------------------------------------------------------------------

def _zone(doc=None):
    if doc is not None:
        return ZoneInfo(doc.organisation.timezone)
    org = current_user.organisation
    return ZoneInfo(org.timezone if org else current_app.config["TIMEZONE"])


def _audit_page(scope, doc=None):
    filters = auditlog.parse_filters(request.args, _zone(doc))
    page = max(1, request.args.get("page", 1, type=int))
    rows, total = auditlog.entries(scope, filters, page)
    args = {k: v for k, v in request.args.items() if k in {"action", "from", "to"} and v}
    link_args = {**args, "document_id": doc.id} if doc else args
    return render_template(
        "audit/log.html", doc=doc, rows=rows, total=total, page=page, args=args,
        link_args=link_args,
        pages=max(1, -(-total // auditlog.PER_PAGE)), actions=auditlog.actions(scope),
        all_organisations=doc is None and current_user.is_superuser,
    )


def _csv(scope, doc=None):
    filters = auditlog.parse_filters(request.args, _zone(doc))
    chunks = auditlog.export_csv(current_user, scope, filters, document=doc)
    prefix = f"audit-document-{doc.id}" if doc else "audit"
    name = f"{prefix}-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.route("/audit")
def audit_log():
    return _audit_page(auditlog.global_scope(current_user))


@bp.route("/audit.csv")
def audit_csv():
    return _csv(auditlog.global_scope(current_user))


def _document_for_audit(document_id):
    doc = get_document(current_user, document_id)
    auditlog.require_document_log(current_user, doc)
    return doc


@bp.route("/documents/<int:document_id>/audit")
def document_audit(document_id):
    doc = _document_for_audit(document_id)
    return _audit_page(auditlog.document_scope(doc), doc)


@bp.route("/documents/<int:document_id>/audit.csv")
def document_audit_csv(document_id):
    doc = _document_for_audit(document_id)
    return _csv(auditlog.document_scope(doc), doc)
