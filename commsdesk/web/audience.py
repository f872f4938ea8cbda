"""The member pages (/members): the list with search, filters and counts, a member's page
(edit, access-request export, erasure), import with mapping, preview, progress and report,
and export. Only users who may see members reach them (others get 404); every view and
export is audited by the domain."""
import json

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import can_see_members
from ..audience import exporting, members, privacy, reading, segments
from ..errors import ValidationError
from ..extensions import db
from ..models import MEMBER_STATES, TOPICS
from . import members_only, page_arg, private_headers

bp = Blueprint("audience", __name__, url_prefix="/members")
members_only(bp)
UPLOAD_SLACK = 64 * 1024
FORM_FIELDS = ("name", "email", "phone", "branch", "tags", "member_since", "state")


@bp.before_request
def _stewards_only():
    members.require_steward(current_user)


def _raise_upload_limit():
    """The import form takes a file up to reading.MAX_BYTES (for signed-in stewards only;
    this runs before CSRF reads the form)."""
    if request.endpoint == "audience.import_upload" and request.method == "POST" \
            and current_user.is_authenticated and can_see_members(current_user):
        request.max_content_length = reading.MAX_BYTES + UPLOAD_SLACK


@bp.record_once
def _first_before_request(state):
    state.app.before_request_funcs.setdefault(None, []).insert(0, _raise_upload_limit)


STATE_LABELS = {"pending": _l("Waiting for confirmation"), "subscribed": _l("Subscribed"),
                "unsubscribed": _l("Unsubscribed")}
TOPIC_LABELS = {"newsletter": _l("Newsletters"), "meetings": _l("Meeting notices")}
FIELD_LABELS = {"name": _l("Name"), "email": _l("Email"), "phone": _l("Phone"),
                "branch": _l("Municipality or local branch"), "tags": _l("Tags"),
                "member_since": _l("Member since"), "consent": _l("Consent")}


@bp.app_context_processor
def _globals():
    user = current_user
    return {"may_see_members": bool(user and user.is_authenticated and can_see_members(user)),
            "member_state_label": lambda s: str(STATE_LABELS.get(s, s)),
            "member_topic_label": lambda t: str(TOPIC_LABELS.get(t, t)),
            "import_field_label": lambda f: str(FIELD_LABELS.get(f, f))}


def _filters():
    return {key: request.args.get(key, "").strip()[:200] for key in ("q", "branch", "tag", "state")}


@bp.get("")
def index():
    filters, page = _filters(), page_arg()
    rows, total = members.search(current_user, page=page, **filters)
    org_id = current_user.organisation_id
    return private_headers(render_template(
        "audience/index.html", rows=rows, total=total, page=page, args=filters,
        pages=max(1, -(-total // members.PER_PAGE)), counts=members.counts(org_id),
        branches=members.branches(org_id), tags=members.tags(org_id), states=MEMBER_STATES))


def _form_values():
    values = {key: request.form.get(key, "") for key in FORM_FIELDS}
    values["topics"] = request.form.getlist("topics")
    return values


@bp.route("/new", methods=["GET", "POST"])
def new():
    values, status = {"state": "subscribed", "topics": list(TOPICS)}, 200
    if request.method == "POST":
        values = _form_values()
        try:
            member = members.add(current_user, values)
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
        else:
            flash(_("Member added."), "info")
            return redirect(url_for(".show", member_id=member.id))
    return render_template("audience/form.html", member=None, values=values,
                           states=MEMBER_STATES, topics=TOPICS), status


@bp.route("/<int:member_id>", methods=["GET", "POST"])
def show(member_id):
    member = members.get_member(current_user, member_id)
    status = 200
    if request.method == "POST":
        try:
            members.edit(current_user, member, _form_values())
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
            member = members.get_member(current_user, member_id)
        else:
            flash(_("Saved."), "info")
            return redirect(url_for(".show", member_id=member.id))
    else:
        members.view(current_user, member)
    values = {key: getattr(member, key) or "" for key in FORM_FIELDS}
    values.update(tags=", ".join(member.tags or []), topics=member.topics or [],
                  member_since=member.member_since.isoformat() if member.member_since else "")
    return private_headers(render_template(
        "audience/form.html", member=member, values=values, states=MEMBER_STATES,
        topics=TOPICS)), status


@bp.get("/<int:member_id>/data.json")
def data_export(member_id):
    member = members.get_member(current_user, member_id)
    data = privacy.access_request(current_user, member)
    response = Response(json.dumps(data, ensure_ascii=False, indent=2),
                        mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="member-{member_id}.json"'
    return private_headers(response)


@bp.post("/<int:member_id>/erase")
def erase(member_id):
    member = members.get_member(current_user, member_id)
    privacy.erase(current_user, member)
    flash(_("The member is erased. Their address stays only as a code on the suppression "
            "list, so they get nothing from us again."), "info")
    return redirect(url_for(".index"))


@bp.get("/export")
def export_page():
    return render_template("audience/export.html",
                           segments=segments.for_organisation(current_user.organisation_id))


@bp.get("/export.csv")
def export_csv():
    segment = None
    if request.args.get("segment"):
        segment = segments.get_segment(current_user, request.args["segment"])
    name, text = exporting.export_members(current_user, segment)
    response = Response("\ufeff" + text, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return private_headers(response)


from . import audience_import  # noqa: E402,F401  (the import pages on the same blueprint)
