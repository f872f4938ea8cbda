"""The organisation's email settings (/settings/email): admins change them, editors read
them, everyone else finds nothing here."""
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from ..access import can_see_members, is_admin
from ..audience import consent, settings
from ..errors import ValidationError
from ..extensions import db
from . import members_only
from .consent import signup_url

bp = Blueprint("email_settings", __name__, url_prefix="/settings/email")
members_only(bp)
FIELDS = ("from_name", "reply_to", "weekly_cap", "tracking", "signup_open", "consent_text")


@bp.route("/", methods=["GET", "POST"])
def edit():
    if not can_see_members(current_user):
        abort(404)
    org = current_user.organisation
    current = settings.get(org)
    values = {"from_name": "" if current.from_name == org.name else current.from_name,
              "reply_to": current.reply_to, "weekly_cap": current.weekly_cap or "",
              "tracking": current.tracking, "signup_open": current.signup_open,
              "consent_text": current.consent_text}
    error, status = None, 200
    if request.method == "POST":
        values = {name: request.form.get(name, "") for name in FIELDS}
        try:
            settings.save(current_user, org, values)
        except ValidationError as exc:
            db.session.rollback()
            error, status = exc, 422
        else:
            flash(_("The email settings are saved."), "info")
            return redirect(url_for(".edit"))
    return render_template(
        "email_settings/edit.html", org=org, values=values, error=error,
        may_change=is_admin(current_user), default_consent=consent.consent_text(org)
        if not current.consent_text else None,
        signup_address=current_app.config["BASE_URL"].rstrip("/") + signup_url(org),
    ), status
