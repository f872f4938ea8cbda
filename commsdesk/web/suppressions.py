"""The suppression list for staff who may see member data (/members/suppressed): counts by
reason, "is this address suppressed?", and taking an address off (admins, with a reason)."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can_see_members, is_admin
from ..audience import suppressed
from ..errors import NotFound, ValidationError
from ..extensions import db
from . import members_only, private_headers

bp = Blueprint("suppressions", __name__, url_prefix="/members/suppressed")
members_only(bp)


@bp.before_request
def stewards_only():
    if not can_see_members(current_user):
        abort(404)


@bp.route("/", methods=["GET", "POST"])
def index():
    """Counts, and with a typed address whether it is on the list."""
    checked, found, email = False, None, ""
    if request.method == "POST":
        email = request.form.get("email", "").strip()[:254]
        if email:
            found, checked = suppressed.lookup(current_user, email), True
    by_reason, total = suppressed.counts(current_user)
    # The typed address is shown back once, never put in a URL (no logs, no history).
    return private_headers(render_template(
        "suppressions/index.html", by_reason=by_reason, total=total, checked=checked,
        found=found, email=email, may_lift=is_admin(current_user)))


@bp.route("/remove", methods=["POST"])
def remove():
    """Take an address off the list (admins), with the reason why."""
    try:
        suppressed.lift(current_user, request.form.get("email", ""), request.form.get("why", ""))
    except (ValidationError, NotFound) as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(_("The address is off the suppression list."), "info")
    return redirect(url_for(".index"))
