"""Watch lists on the signed-in side (/monitoring/watch-lists): everyone in the
organisation reads them and tries terms on a sample text; editors and admins add, change
and remove them."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..access import can_manage_sources
from ..errors import ValidationError
from ..extensions import db
from ..models import User
from ..monitoring import digest, watch_lists
from . import members_only

bp = Blueprint("watch_lists", __name__, url_prefix="/monitoring/watch-lists")
members_only(bp)


def _colleagues():
    return db.session.execute(select(User).where(
        User.organisation_id == current_user.organisation_id, User.active.is_(True))
        .order_by(User.name, User.id)).scalars().all()


@bp.get("/")
def index():
    rows = watch_lists.for_organisation(current_user)
    return render_template("monitoring/watch_lists/index.html", rows=rows,
                           counts=watch_lists.recent_counts(current_user.organisation_id),
                           can_manage=can_manage_sources(current_user),
                           days=watch_lists.RECENT_DAYS,
                           digest_hour=digest.digest_hour(current_user.organisation_id))


@bp.post("/digest-hour")
def digest_hour():
    try:
        hour = watch_lists.set_digest_hour(current_user, request.form.get("digest_hour"))
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("The daily digest goes at %(hour)02d:00.", hour=hour), "info")
    return redirect(url_for(".index"))


def _values():
    return {"name": request.form.get("name", ""), "terms": request.form.get("terms", ""),
            "delivery": request.form.get("delivery", ""),
            "recipient_ids": request.form.getlist("recipient_ids"),
            "active": bool(request.form.get("active")),
            "sample": request.form.get("sample", "")}


def _form(watch_list, values, status=200):
    return render_template("monitoring/watch_lists/form.html", watch_list=watch_list,
                           values=values, colleagues=_colleagues()), status


def _save(watch_list):
    values = _values()
    try:
        saved = watch_lists.save(current_user, watch_list, values["name"], values["terms"],
                                 values["delivery"], values["recipient_ids"], values["active"])
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return _form(watch_list, values, 422)
    flash(_("Watch list %(name)s saved.", name=saved.name), "info")
    return redirect(url_for(".index"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    watch_lists.require_manage(current_user)
    if request.method == "GET":
        return _form(None, {"delivery": "instant", "active": True,
                            "recipient_ids": [str(current_user.id)]})
    return _save(None)


@bp.route("/<int:watch_list_id>", methods=["GET", "POST"])
def edit(watch_list_id):
    watch_list = watch_lists.get_watch_list(current_user, watch_list_id)  # 404 before 403
    watch_lists.require_manage(current_user)
    if request.method == "GET":
        return _form(watch_list, {
            "name": watch_list.name, "terms": "\n".join(watch_list.terms or ()),
            "delivery": watch_list.delivery, "active": watch_list.active,
            "recipient_ids": [str(u.id) for u in watch_list.recipients]})
    return _save(watch_list)


@bp.post("/<int:watch_list_id>/remove")
def remove(watch_list_id):
    watch_list = watch_lists.get_watch_list(current_user, watch_list_id)
    name = watch_list.name
    watch_lists.remove(current_user, watch_list)
    flash(_("Watch list %(name)s removed.", name=name), "info")
    return redirect(url_for(".index"))


@bp.route("/try", methods=["GET", "POST"])
def try_terms():
    watch_lists.require_read(current_user)
    terms = request.values.get("terms", "")
    sample = request.values.get("sample", "")
    marked, found = None, []
    if sample.strip():
        try:
            marked, found = watch_lists.preview(current_user.organisation_id, terms, sample)
        except ValidationError as exc:
            flash(exc.message, "error")
    return render_template("monitoring/watch_lists/try.html", terms=terms, sample=sample,
                           marked=marked, found=found)
