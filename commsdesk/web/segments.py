"""Segments (/segments): saved filters over members with a live count while editing."""
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audience import members, segments
from ..errors import ValidationError
from ..models import MEMBER_STATES
from . import FAILED, attempt, members_only

bp = Blueprint("segments", __name__, url_prefix="/segments")
members_only(bp)


@bp.before_request
def _stewards_only():
    members.require_steward(current_user)


def _filters_from(source):
    return {"branches": source.getlist("branches"), "tags": source.getlist("tags"),
            "states": source.getlist("states"),
            "member_since_after": source.get("member_since_after", ""),
            "member_since_before": source.get("member_since_before", "")}


@bp.get("")
def index():
    org_id = current_user.organisation_id
    rows = [(s, segments.count(org_id, s.filters)) for s in segments.for_organisation(org_id)]
    return render_template("segments/index.html", rows=rows)


def _form(segment, name, filters, status=200):
    org_id = current_user.organisation_id
    return render_template(
        "segments/form.html", segment=segment, name=name, filters=filters,
        branches=members.branches(org_id), tags=members.tags(org_id), states=MEMBER_STATES,
        count=segments.count(org_id, filters)), status


@bp.route("/new", methods=["GET", "POST"])
def new():
    if request.method == "GET":
        return _form(None, "", {})
    name, filters = request.form.get("name", ""), _filters_from(request.form)
    segment = attempt(lambda: segments.save(current_user, None, name, filters),
                      _("Segment saved."))
    if segment is FAILED:
        return _form(None, name, filters, 422)
    return redirect(url_for(".edit", segment_id=segment.id))


@bp.route("/<int:segment_id>", methods=["GET", "POST"])
def edit(segment_id):
    segment = segments.get_segment(current_user, segment_id)
    if request.method == "GET":
        return _form(segment, segment.name, segment.filters or {})
    name, filters = request.form.get("name", ""), _filters_from(request.form)
    if attempt(lambda: segments.save(current_user, segment, name, filters),
               _("Segment saved.")) is FAILED:
        return _form(segments.get_segment(current_user, segment_id), name, filters, 422)
    return redirect(url_for(".edit", segment_id=segment.id))


@bp.post("/<int:segment_id>/delete")
def delete(segment_id):
    segments.delete(current_user, segments.get_segment(current_user, segment_id))
    flash(_("Segment deleted."), "info")
    return redirect(url_for(".index"))


@bp.get("/count")
def count():
    """The number of members the filters in the query string match (for the live count)."""
    try:
        number = segments.count(current_user.organisation_id, _filters_from(request.args))
    except ValidationError as exc:
        return jsonify({"error": exc.message}), 422
    return jsonify({"count": number})
