"""The audit log pages: per organisation (admins; superusers see all) and per document."""
from flask import Blueprint, Response, render_template, request, stream_with_context
from flask_login import current_user

from .. import audit
from ..access import can_read_document_log, get_document, require_document_log
from ..models import utcnow
from ..times import organisation_zone
from . import members_only, page_arg

bp = Blueprint("audit", __name__)


members_only(bp, superusers=True)


@bp.app_template_global()
def can_read_audit(doc):
    return current_user.is_authenticated and can_read_document_log(current_user, doc)


@bp.app_template_global()
def audit_action_label(code):
    return audit.action_label(code)


def _zone(doc=None):
    return organisation_zone(doc.organisation if doc is not None else current_user.organisation)


def _page(scope, doc=None):
    filters = audit.parse_filters(request.args, _zone(doc))
    page = page_arg()
    rows, total = audit.entries(scope, filters, page)
    args = {k: v for k, v in request.args.items() if k in {"action", "from", "to"} and v}
    link_args = {**args, "document_id": doc.id} if doc else args
    return render_template(
        "audit/log.html", doc=doc, rows=rows, total=total, page=page, args=args,
        link_args=link_args,
        pages=max(1, -(-total // audit.PER_PAGE)), actions=audit.actions(scope),
        all_organisations=doc is None and current_user.is_superuser,
    )


def _csv(scope, doc=None):
    filters = audit.parse_filters(request.args, _zone(doc))
    chunks = audit.export_csv(current_user, scope, filters, document=doc)
    prefix = f"audit-document-{doc.id}" if doc else "audit"
    name = f"{prefix}-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.route("/audit")
def log():
    return _page(audit.global_scope(current_user))


@bp.route("/audit.csv")
def csv():
    return _csv(audit.global_scope(current_user))


def _document(document_id):
    doc = get_document(current_user, document_id)
    require_document_log(current_user, doc)
    return doc


@bp.route("/documents/<int:document_id>/audit")
def document_log(document_id):
    doc = _document(document_id)
    return _page(audit.document_scope(doc), doc)


@bp.route("/documents/<int:document_id>/audit.csv")
def document_csv(document_id):
    doc = _document(document_id)
    return _csv(audit.document_scope(doc), doc)
