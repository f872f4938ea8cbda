"""Monitoring sources (/monitoring/sources): everyone in the organisation sees the feeds and
meeting-document pages it follows and their health; editors and admins add, change, pause,
remove and check them, import and export OPML; admins allow private hosts."""
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can_manage_sources, can_monitor, is_admin
from ..errors import ValidationError
from ..extensions import db
from ..models import SOURCE_KINDS
from ..monitoring import opml, sources
from . import members_only

bp = Blueprint("monitoring_sources", __name__, url_prefix="/monitoring/sources")
members_only(bp)
FIELDS = ("url", "name", "kind", "interval_minutes")


def _page(template, **context):
    """Render with what every sources page needs."""
    return render_template(
        template, may_manage=can_manage_sources(current_user), KINDS=SOURCE_KINDS,
        minimum=sources.MIN_INTERVAL, maximum=sources.MAX_INTERVAL, **context)


@bp.get("/")
def index():
    if not can_monitor(current_user):
        abort(404)
    rows = sources.for_organisation(current_user.organisation_id)
    return _page("monitoring/sources/index.html", rows=rows,
                 health={s.id: sources.health(s, window=5) for s in rows},
                 may_allow=is_admin(current_user))


@bp.route("/new", methods=["GET", "POST"])
def new():
    sources.require_manage(current_user)
    values = {"url": "", "name": "", "kind": "feed", "interval_minutes": 30}
    if request.method == "GET":
        return _page("monitoring/sources/form.html", source=None, values=values)
    values = {key: request.form.get(key, values[key]) for key in FIELDS}
    try:
        source = sources.add(current_user, values["url"], name=values["name"] or None,
                             kind=values["kind"], interval_minutes=values["interval_minutes"])
    except ValidationError as exc:
        db.session.rollback()
        return _page("monitoring/sources/form.html", source=None, values=values,
                     error=exc), 422
    resolved = source.resolved
    if resolved.page:
        flash(_("%(page)s is a web page; following its feed %(feed)s.",
                page=resolved.page, feed=source.url), "info")
        if resolved.others:
            flash(_("The page names %(count)d more feeds: %(feeds)s. Add them by their "
                    "addresses if you want them too.", count=len(resolved.others),
                    feeds=", ".join(resolved.others)), "info")
    flash(_("Source %(name)s added; it is checked within a few minutes.", name=source.name),
          "info")
    return redirect(url_for(".show", source_id=source.id))


@bp.get("/<int:source_id>")
def show(source_id):
    source = sources.get_source(current_user, source_id)
    return _page("monitoring/sources/show.html", source=source,
                 health=sources.health(source))


@bp.route("/<int:source_id>/edit", methods=["GET", "POST"])
def edit(source_id):
    source = sources.get_source(current_user, source_id)  # another's: 404 before 403
    sources.require_manage(current_user)
    values = {"url": source.url, "name": source.name, "kind": source.kind,
              "interval_minutes": source.interval_minutes}
    if request.method == "GET":
        return _page("monitoring/sources/form.html", source=source, values=values)
    changes = {key: request.form[key] for key in ("url", "name", "interval_minutes")
               if key in request.form}
    try:
        sources.update(current_user, source, changes)
    except ValidationError as exc:
        db.session.rollback()
        return _page("monitoring/sources/form.html", source=source,
                     values={**values, **changes}, error=exc), 422
    flash(_("Source %(name)s saved.", name=source.name), "info")
    return redirect(url_for(".show", source_id=source.id))


@bp.post("/<int:source_id>/active")
def set_active(source_id):
    source = sources.get_source(current_user, source_id)
    active = request.form.get("active") == "1"
    sources.set_active(current_user, source, active)
    flash(_("Source %(name)s resumed.", name=source.name) if active
          else _("Source %(name)s paused: it is not checked until you resume it.",
                 name=source.name), "info")
    back = request.form.get("back") == "show"
    return redirect(url_for(".show", source_id=source.id) if back else url_for(".index"))


@bp.post("/<int:source_id>/check")
def check_now(source_id):
    source = sources.get_source(current_user, source_id)
    sources.check_now(current_user, source)
    flash(_("Source %(name)s is checked at the worker's next round.", name=source.name),
          "info")
    return redirect(url_for(".show", source_id=source.id))


@bp.route("/<int:source_id>/remove", methods=["GET", "POST"])
def remove(source_id):
    source = sources.get_source(current_user, source_id)
    sources.require_manage(current_user)
    if request.method == "GET":
        return _page("monitoring/sources/remove.html", source=source)
    name = source.name
    sources.remove(current_user, source)
    flash(_("Source %(name)s removed. Its items stay in the inbox.", name=name), "info")
    return redirect(url_for(".index"))


@bp.post("/import")
def import_opml():
    sources.require_manage(current_user)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError(_("Choose an OPML file to import."), field="file")
    report = opml.import_opml(current_user, upload.read())
    return _page("monitoring/sources/imported.html", report=report)


@bp.get("/export.opml")
def export_opml():
    if not can_monitor(current_user):
        abort(404)
    body = opml.export_opml(current_user.organisation)
    return Response(body, mimetype="text/x-opml", headers={
        "Content-Disposition": 'attachment; filename="sources.opml"'})


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    if not can_manage_sources(current_user):
        abort(404)
    may_change = is_admin(current_user)
    text = sources.allowed_hosts_text(current_user.organisation_id)
    if request.method == "POST":
        text = request.form.get("allowed_hosts", "")
        try:
            sources.set_allowed_hosts(current_user, text)
        except ValidationError as exc:
            db.session.rollback()
            return _page("monitoring/sources/settings.html", text=text, error=exc,
                         may_change=may_change), 422
        flash(_("The allowed hosts are saved."), "info")
        return redirect(url_for(".settings"))
    return _page("monitoring/sources/settings.html", text=text, may_change=may_change)
