"""The member import pages: upload, mapping with a checked preview, confirmation, progress
(polled as JSON) and the report of rejected rows."""
from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audience import importing
from ..errors import ValidationError
from ..extensions import db
from . import private_headers
from .audience import bp

PREVIEW_ROWS = 10


@bp.route("/import", methods=["GET", "POST"], endpoint="import_upload")
def upload():
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            job, _table = importing.upload(current_user, upload.filename if upload else "",
                                           upload.read() if upload else b"")
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return render_template("audience/import_upload.html"), 422
        return redirect(url_for(".import_preview", import_id=job.id))
    return render_template("audience/import_upload.html")


@bp.route("/import/<int:import_id>", methods=["GET", "POST"], endpoint="import_preview")
def preview(import_id):
    job = importing.get_import(current_user, import_id)
    if job.state != "uploaded":
        return redirect(url_for(".import_progress", import_id=job.id))
    table = importing.table_of(job)
    status = 200
    if request.method == "POST" and request.form.get("action") == "drop":
        importing.drop(current_user, job)
        flash(_("The import is cancelled. Nothing was written."), "info")
        return redirect(url_for(".index"))
    if request.method == "POST":
        raw = {key[4:]: value for key, value in request.form.items() if key.startswith("col-")}
        try:
            importing.set_mapping(current_user, job, raw, table)
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
        else:
            if request.form.get("action") == "confirm":
                importing.confirm(current_user, job)
                return redirect(url_for(".import_progress", import_id=job.id))
    checked = importing.check(job.organisation_id, table, job.mapping)
    return private_headers(render_template(
        "audience/import_preview.html", job=job, table=table,
        rows=table.rows[:PREVIEW_ROWS], checked=checked, fields=importing.FIELDS,
        unknown=importing.unknown_columns(table.header, job.mapping),
        rejected=checked.rejected[:PREVIEW_ROWS])), status


@bp.get("/import/<int:import_id>/progress", endpoint="import_progress")
def progress_page(import_id):
    job = importing.get_import(current_user, import_id)
    return render_template("audience/import_progress.html", job=job,
                           progress=importing.progress(job))


@bp.get("/import/<int:import_id>/progress.json", endpoint="import_progress_json")
def progress_json(import_id):
    job = importing.get_import(current_user, import_id)
    return jsonify(importing.progress(job))


@bp.get("/import/<int:import_id>/rejected.csv", endpoint="import_report")
def report(import_id):
    job = importing.get_import(current_user, import_id)
    response = Response("\ufeff" + (job.report or ""), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="rejected-{job.id}.csv"'
    return private_headers(response)
