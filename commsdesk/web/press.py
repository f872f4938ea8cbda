"""Press contacts and press lists (/press)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..audience import members, press, press_import
from ..errors import ValidationError
from ..extensions import db
from . import FAILED, attempt, members_only, private_headers

bp = Blueprint("press", __name__, url_prefix="/press")
members_only(bp)
CONTACT_FIELDS = ("name", "email", "outlet", "beat", "phone")


@bp.before_request
def _stewards_only():
    members.require_steward(current_user)


@bp.get("")
def index():
    return render_template("press/index.html", contacts=press.contacts(current_user),
                           lists=press.lists(current_user))


@bp.route("/import", methods=["GET", "POST"])
def import_contacts():
    """Upload a file of press contacts (optionally onto a list); the result at once."""
    lists, result, status = press.lists(current_user), None, 200
    chosen = request.form.get("press_list", "")
    if request.method == "POST":
        upload = request.files.get("file")
        try:
            result = press_import.import_file(
                current_user, upload.filename if upload else "",
                upload.read() if upload else b"", chosen if chosen.isdigit() else None)
        except ValidationError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 422
    return private_headers(render_template("press/import.html", lists=lists, result=result,
                                           chosen=chosen)), status


def _contact_form(contact, values, status=200):
    return render_template("press/contact.html", contact=contact, values=values), status


@bp.route("/contacts/new", methods=["GET", "POST"])
def new_contact():
    return _save_contact(None)


@bp.route("/contacts/<int:contact_id>", methods=["GET", "POST"])
def contact(contact_id):
    return _save_contact(press.get_contact(current_user, contact_id))


def _save_contact(contact):
    if request.method == "GET":
        values = {k: (getattr(contact, k) or "") if contact else "" for k in CONTACT_FIELDS}
        return _contact_form(contact, values)
    values = {k: request.form.get(k, "") for k in CONTACT_FIELDS}
    if attempt(lambda: press.save_contact(current_user, contact, values),
               _("Press contact saved.")) is FAILED:
        return _contact_form(contact, values, 422)
    return redirect(url_for(".index"))


@bp.post("/contacts/<int:contact_id>/delete")
def delete_contact(contact_id):
    press.delete_contact(current_user, press.get_contact(current_user, contact_id))
    flash(_("Press contact deleted."), "info")
    return redirect(url_for(".index"))


@bp.route("/lists/new", methods=["GET", "POST"])
def new_list():
    return _save_list(None)


@bp.route("/lists/<int:press_list_id>", methods=["GET", "POST"])
def press_list(press_list_id):
    return _save_list(press.get_list(current_user, press_list_id))


def _save_list(press_list):
    contacts = press.contacts(current_user)
    if request.method == "GET":
        chosen = {c.id for c in press_list.contacts} if press_list else set()
        return render_template("press/list.html", press_list=press_list, contacts=contacts,
                               name=press_list.name if press_list else "", chosen=chosen)
    name, ids = request.form.get("name", ""), request.form.getlist("contacts")
    if attempt(lambda: press.save_list(current_user, press_list, name, ids),
               _("Press list saved.")) is FAILED:
        return render_template("press/list.html", press_list=press_list, contacts=contacts,
                               name=name, chosen={int(i) for i in ids if i.isdigit()}), 422
    return redirect(url_for(".index"))


@bp.post("/lists/<int:press_list_id>/delete")
def delete_list(press_list_id):
    press.delete_list(current_user, press.get_list(current_user, press_list_id))
    flash(_("Press list deleted."), "info")
    return redirect(url_for(".index"))
